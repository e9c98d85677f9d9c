package org.licensing.infra;

import java.util.Arrays;
import java.util.List;

import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;

/**
 * Entry point of the CDK app: wires the stack from context values and synthesizes. Offline: no lookups, no Docker.
 *
 * <p>Context keys (cdk.json or {@code -c key=value}). Required, no default: clusterAdminPrincipalArn,
 * portalClientCidr, portalCertificateArn, senderDomain, senderAddress, vendorFinanceEmail, alarmEmail,
 * backOfficeCallbackUrls and backOfficeLogoutUrls (comma-separated). Optional: jwtIssuer (default: the stack's Cognito
 * user pool), authDomainPrefix, receiptIssuer, clusterApiCidrs and clusterAdminCidrs (comma-separated), clusterName, kubernetesVersion, addonVersions
 * (name=version,... for every add-on; default: EksAddons' row of kubernetesVersion), nodeInstanceType, nodeMinSize, nodeMaxSize, vpcCidr, clientRateLimit. A missing required key fails the synthesis naming it.
 */
public final class LicensingApp {

    public static final String STACK_NAME = "LicensingPlatform";

    private LicensingApp() {
    }

    public static void main(String[] args) {
        // Under the cdk CLI, CDK_OUTDIR decides; under plain Maven (exec:java), target/cdk.out.
        String outdir = System.getProperty("cdk.outdir");
        App app = System.getenv("CDK_OUTDIR") != null || outdir == null
                ? new App() : new App(AppProps.builder().outdir(outdir).build());
        createStack(app);
        app.synth();
    }

    /** Builds the stack with settings read from the app's context (defaults from {@link LicensingStackProps}). */
    public static LicensingStack createStack(App app) {
        LicensingStackProps.Builder props = LicensingStackProps.builder()
                .stackProps(StackProps.builder()
                        .stackName(STACK_NAME)
                        .description("Licensing platform: VPC, EKS, DynamoDB, SQS, SES, Aurora PostgreSQL, API Gateway")
                        .build());
        context(app, "clusterAdminPrincipalArn").ifPresent(props::clusterAdminPrincipalArn);
        context(app, "portalClientCidr").ifPresent(props::portalClientCidr);
        context(app, "portalCertificateArn").ifPresent(props::portalCertificateArn);
        context(app, "senderDomain").ifPresent(props::senderDomain);
        context(app, "senderAddress").ifPresent(props::senderAddress);
        context(app, "vendorFinanceEmail").ifPresent(props::vendorFinanceEmail);
        context(app, "jwtIssuer").ifPresent(props::jwtIssuer);
        context(app, "alarmEmail").ifPresent(props::alarmEmail);
        context(app, "backOfficeCallbackUrls").ifPresent(v -> props.backOfficeCallbackUrls(split(v)));
        context(app, "backOfficeLogoutUrls").ifPresent(v -> props.backOfficeLogoutUrls(split(v)));
        context(app, "authDomainPrefix").ifPresent(props::authDomainPrefix);
        context(app, "receiptIssuer").ifPresent(props::receiptIssuer);
        context(app, "clusterApiCidrs").ifPresent(v -> props.clusterApiCidrs(split(v)));
        context(app, "clusterAdminCidrs").ifPresent(v -> props.clusterAdminCidrs(split(v)));
        context(app, "clusterName").ifPresent(props::clusterName);
        context(app, "kubernetesVersion").ifPresent(props::kubernetesVersion);
        context(app, "addonVersions").ifPresent(v -> props.addonVersions(split(v).stream()
                .map(pair -> pair.split("=", 2))
                .collect(java.util.stream.Collectors.toMap(pair -> pair[0].trim(),
                        pair -> pair.length == 2 ? pair[1].trim() : ""))));
        context(app, "nodeInstanceType").ifPresent(props::nodeInstanceType);
        context(app, "nodeMinSize").ifPresent(v -> props.nodeMinSize(Integer.parseInt(v)));
        context(app, "nodeMaxSize").ifPresent(v -> props.nodeMaxSize(Integer.parseInt(v)));
        context(app, "vpcCidr").ifPresent(props::vpcCidr);
        context(app, "clientRateLimit").ifPresent(v -> props.clientRateLimit(Integer.parseInt(v)));
        LicensingStack stack = new LicensingStack(app, STACK_NAME, props.build());
        Tags.of(stack).add("project", "licensing-platform");
        return stack;
    }

    private static java.util.Optional<String> context(App app, String key) {
        Object value = app.getNode().tryGetContext(key);
        return value == null || value.toString().isBlank()
                ? java.util.Optional.empty() : java.util.Optional.of(value.toString().trim());
    }

    private static List<String> split(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
