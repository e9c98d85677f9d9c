package org.licensing.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.logs.RetentionDays;

/**
 * Typed settings of {@link LicensingStack}. {@link #stackProps()} carries the usual CDK stack settings; the rest is
 * what an operator chooses per installation. Every value is validated here, so a bad value fails at synth.
 *
 * <p>Values that only the operator can know (who administers the cluster, who reaches the portal, its certificate,
 * the sender domain and addresses, the back office's sign-in URLs, where alarms go) have no default: a missing one fails the
 * synthesis with the context key to set, so no placeholder can reach production.
 *
 * @param stackProps                description, tags, synthesizer; leave env unset for an environment-agnostic template
 * @param vpcCidr                   VPC range (a /16 leaves room for pod IPs in the private subnets)
 * @param natGateways               NAT gateways (1 per AZ for HA, 1 to save cost)
 * @param clusterName               EKS cluster name (fixed, so its log group and the autoscaler's tag are known at synth)
 * @param kubernetesVersion         EKS version of the control plane and the node group, e.g. "1.35" (a version in
 *                                  standard support: the cluster's upgrade policy is STANDARD)
 * @param addonVersions             version of each EKS add-on ({@link EksAddons#NAMES}); empty = the row of
 *                                  {@code kubernetesVersion} in {@link EksAddons} (a version without one is refused)
 * @param nodeInstanceType          a Nitro type that supports security groups for pods (no t* types)
 * @param nodeMinSize               managed node group minimum (and initial desired) size
 * @param nodeMaxSize               managed node group maximum size (the Cluster Autoscaler scales between the two)
 * @param clusterApiCidrs           CIDRs allowed to reach the public Kubernetes API endpoint; empty = private endpoint only
 * @param clusterAdminCidrs         CIDRs (VPN, peered admin network) admitted to the private Kubernetes API endpoint
 *                                  on 443; empty = only the nodes and the control plane
 * @param clusterAdminPrincipalArn  IAM role or user granted cluster-admin through an EKS access entry (required: the
 *                                  cluster creator gets no implicit admin)
 * @param portalClientCidr          who may reach the internal portal/back-office load balancer (required; never 0.0.0.0/0)
 * @param portalCertificateArn      ACM certificate of the portal's HTTPS listener (required)
 * @param senderDomain              SES domain identity the reminders are sent from (required)
 * @param senderAddress             From address of reminder emails; must be in {@code senderDomain} (required)
 * @param vendorFinanceEmail        vendor finance address copied on reminders (required)
 * @param jwtIssuer                 {@code iss} of the bearer tokens the issuer and notification-service accept, and the
 *                                  back office's OpenID provider; null = the stack's Cognito user pool (the normal case)
 * @param backOfficeCallbackUrls    the back office's OIDC redirect URLs (https; required): the app client accepts only
 *                                  these, and the portal ALB routes their host names to the back office
 * @param backOfficeLogoutUrls      where Cognito may send the browser after sign-out (required): the back office sends
 *                                  {@code logout_uri=https://<its host>/signed-out} (its post-logout path), and Cognito
 *                                  accepts only an exact registered URL, so each is that URL on a callback URL's host
 * @param authDomainPrefix          prefix of the Cognito hosted-UI domain ({@code <prefix>.auth.<region>.amazoncognito.com});
 *                                  null = {@code licensing-<account id>}
 * @param receiptIssuer             {@code iss} of the validator's signed receipts; null = the HTTP API's endpoint URL
 * @param alarmEmail                address subscribed to the alarm and email-event topics (required)
 * @param apiRateLimit              API Gateway steady-state requests per second in front of the validator
 * @param apiBurstLimit             API Gateway burst
 * @param clientRateLimit           requests one client address may send to the validator's API in 5 minutes (WAF
 *                                  rate-based rule; above it the address gets 429 until its rate falls back)
 * @param logRetention              retention of every log group the stack creates or pre-creates
 */
public record LicensingStackProps(
        StackProps stackProps,
        String vpcCidr,
        int natGateways,
        String clusterName,
        String kubernetesVersion,
        Map<String, String> addonVersions,
        String nodeInstanceType,
        int nodeMinSize,
        int nodeMaxSize,
        List<String> clusterApiCidrs,
        List<String> clusterAdminCidrs,
        String clusterAdminPrincipalArn,
        String portalClientCidr,
        String portalCertificateArn,
        String senderDomain,
        String senderAddress,
        String vendorFinanceEmail,
        String jwtIssuer,
        List<String> backOfficeCallbackUrls,
        List<String> backOfficeLogoutUrls,
        String authDomainPrefix,
        String receiptIssuer,
        String alarmEmail,
        int apiRateLimit,
        int apiBurstLimit,
        int clientRateLimit,
        RetentionDays logRetention) {

    private static final Pattern CIDR = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}");
    private static final Pattern PRINCIPAL_ARN =
            Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:(role|user)/[\\w+=,.@/-]+");
    private static final Pattern CERTIFICATE_ARN =
            Pattern.compile("arn:aws[a-z-]*:acm:[a-z0-9-]+:\\d{12}:certificate/[0-9a-f-]+");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern HTTPS_URL = Pattern.compile("https://[^\\s/?#]+(/[^\\s?#]*)?");
    /** Families built on Xen, not Nitro: no trunk ENIs, so no security groups for pods (burstable t* refused too). */
    private static final Pattern XEN_FAMILIES = Pattern.compile("(m[1-4]|c[1-4]|r[3-4]|x1e?|d2|i2|i3|p2|p3|g2|g3s?|f1|h1)\\..*");
    private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,99}");
    /** Cognito prefix domains: lower-case letters, digits and hyphens, no leading or trailing hyphen, at most 63. */
    private static final Pattern DOMAIN_PREFIX = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    public LicensingStackProps {
        Objects.requireNonNull(stackProps, "stackProps");
        Objects.requireNonNull(logRetention, "logRetention");
        List<String> missing = new ArrayList<>();
        require(clusterAdminPrincipalArn, "clusterAdminPrincipalArn", missing);
        require(portalClientCidr, "portalClientCidr", missing);
        require(portalCertificateArn, "portalCertificateArn", missing);
        require(senderDomain, "senderDomain", missing);
        require(senderAddress, "senderAddress", missing);
        require(vendorFinanceEmail, "vendorFinanceEmail", missing);
        if (backOfficeCallbackUrls == null || backOfficeCallbackUrls.isEmpty()) {
            missing.add("backOfficeCallbackUrls");
        }
        if (backOfficeLogoutUrls == null || backOfficeLogoutUrls.isEmpty()) {
            missing.add("backOfficeLogoutUrls");
        }
        require(alarmEmail, "alarmEmail", missing);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("required settings missing (context keys or LicensingStackProps): "
                    + String.join(", ", missing));
        }
        requireCidr(vpcCidr, "vpcCidr");
        requireCidr(portalClientCidr, "portalClientCidr");
        clusterApiCidrs = List.copyOf(clusterApiCidrs);
        clusterApiCidrs.forEach(c -> requireCidr(c, "clusterApiCidrs"));
        clusterAdminCidrs = List.copyOf(clusterAdminCidrs);
        clusterAdminCidrs.forEach(c -> requireCidr(c, "clusterAdminCidrs"));
        requireMatch(clusterAdminPrincipalArn, PRINCIPAL_ARN, "clusterAdminPrincipalArn", "an IAM role or user ARN");
        requireMatch(portalCertificateArn, CERTIFICATE_ARN, "portalCertificateArn", "an ACM certificate ARN");
        requireMatch(vendorFinanceEmail, EMAIL, "vendorFinanceEmail", "an email address");
        requireMatch(alarmEmail, EMAIL, "alarmEmail", "an email address");
        if (jwtIssuer != null) {
            requireMatch(jwtIssuer, HTTPS_URL, "jwtIssuer", "an https URL");
        }
        backOfficeCallbackUrls = List.copyOf(backOfficeCallbackUrls);
        backOfficeLogoutUrls = List.copyOf(backOfficeLogoutUrls);
        backOfficeCallbackUrls.forEach(u -> requireMatch(u, HTTPS_URL, "backOfficeCallbackUrls", "an https URL"));
        backOfficeLogoutUrls.forEach(u -> requireMatch(u, HTTPS_URL, "backOfficeLogoutUrls", "an https URL"));
        List<String> hosts = backOfficeCallbackUrls.stream().map(u -> java.net.URI.create(u).getHost()).distinct()
                .toList();
        for (String u : backOfficeLogoutUrls) {
            java.net.URI uri = java.net.URI.create(u);
            if (!Services.BACK_OFFICE_POST_LOGOUT_PATH.equals(uri.getPath()) || uri.getQuery() != null
                    || !hosts.contains(uri.getHost())) {
                throw new IllegalArgumentException("backOfficeLogoutUrls: " + u + " is not https://<host>"
                        + Services.BACK_OFFICE_POST_LOGOUT_PATH + " on a host of backOfficeCallbackUrls " + hosts
                        + " (the back office's post-logout URL, which Cognito must match exactly)");
            }
        }
        if (authDomainPrefix != null) {
            requireMatch(authDomainPrefix, DOMAIN_PREFIX, "authDomainPrefix", "a Cognito domain prefix");
            // Cognito refuses prefixes with these words
            for (String reserved : List.of("aws", "amazon", "cognito")) {
                if (authDomainPrefix.contains(reserved)) {
                    throw new IllegalArgumentException("authDomainPrefix must not contain '" + reserved + "': "
                            + authDomainPrefix);
                }
            }
        }
        if (receiptIssuer != null) {
            requireMatch(receiptIssuer, HTTPS_URL, "receiptIssuer", "an https URL");
        }
        requireMatch(clusterName, CLUSTER_NAME, "clusterName", "an EKS cluster name");
        if (natGateways < 1) {
            throw new IllegalArgumentException("natGateways must be at least 1");
        }
        if (nodeMinSize < 1 || nodeMaxSize < nodeMinSize) {
            throw new IllegalArgumentException("need 1 <= nodeMinSize <= nodeMaxSize");
        }
        if (nodeInstanceType.startsWith("t")) {
            throw new IllegalArgumentException("nodeInstanceType " + nodeInstanceType + " is burstable: security groups"
                    + " for pods need trunk ENIs, which t* types lack; use a Nitro type such as m6i.large");
        }
        if (XEN_FAMILIES.matcher(nodeInstanceType).matches()) {
            throw new IllegalArgumentException("nodeInstanceType " + nodeInstanceType + " is a Xen (pre-Nitro) type:"
                    + " no ENI trunking, so the pods' security groups could not be attached; use a Nitro type such as"
                    + " m6i.large");
        }
        addonVersions = EksAddons.check(addonVersions == null || addonVersions.isEmpty()
                ? EksAddons.versionsFor(kubernetesVersion) : addonVersions, kubernetesVersion);
        if (!senderAddress.endsWith("@" + senderDomain)) {
            throw new IllegalArgumentException("senderAddress must be an address in senderDomain " + senderDomain);
        }
        if (apiRateLimit < 1 || apiBurstLimit < apiRateLimit) {
            throw new IllegalArgumentException("need 1 <= apiRateLimit <= apiBurstLimit");
        }
        // WAF's bounds for a rate-based rule
        if (clientRateLimit < 10 || clientRateLimit > 2_000_000_000) {
            throw new IllegalArgumentException("clientRateLimit must be between 10 and 2,000,000,000 per 5 minutes");
        }
    }

    /** Host names of the back office (from its callback URLs): the portal ALB's host rule for it. */
    public List<String> backOfficeHosts() {
        return backOfficeCallbackUrls.stream().map(u -> java.net.URI.create(u).getHost()).distinct().toList();
    }

    /** Defaults for one production-like installation; the required settings must still be set. */
    public static Builder builder() {
        return new Builder();
    }

    private static void require(String value, String name, List<String> missing) {
        if (value == null || value.isBlank()) {
            missing.add(name);
        }
    }

    private static void requireCidr(String cidr, String name) {
        if (cidr == null || !CIDR.matcher(cidr).matches()) {
            throw new IllegalArgumentException(name + " is not an IPv4 CIDR: " + cidr);
        }
        if (cidr.endsWith("/0")) {
            throw new IllegalArgumentException(name + " must not open to the whole internet: " + cidr);
        }
    }

    private static void requireMatch(String value, Pattern pattern, String name, String what) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " is not " + what + ": " + value);
        }
    }

    public static final class Builder {
        private StackProps stackProps = StackProps.builder()
                .description("Licensing platform: VPC, EKS, DynamoDB, SQS, SES, Aurora PostgreSQL, API Gateway")
                .build();
        private String vpcCidr = "10.40.0.0/16";
        private int natGateways = 2;
        private String clusterName = "licensing";
        // In standard support; the cluster's upgrade policy keeps it there (EKS upgrades at the end of standard support).
        private String kubernetesVersion = "1.35";
        private Map<String, String> addonVersions = Map.of();
        private String nodeInstanceType = "m6i.large";
        private int nodeMinSize = 2;
        private int nodeMaxSize = 6;
        private List<String> clusterApiCidrs = List.of();
        private List<String> clusterAdminCidrs = List.of();
        private String clusterAdminPrincipalArn;
        private String portalClientCidr;
        private String portalCertificateArn;
        private String senderDomain;
        private String senderAddress;
        private String vendorFinanceEmail;
        private String jwtIssuer;
        private List<String> backOfficeCallbackUrls = List.of();
        private List<String> backOfficeLogoutUrls = List.of();
        private String authDomainPrefix;
        private String receiptIssuer;
        private String alarmEmail;
        private int apiRateLimit = 200;
        private int apiBurstLimit = 400;
        private int clientRateLimit = 3000;
        private RetentionDays logRetention = RetentionDays.ONE_YEAR;

        public Builder stackProps(StackProps v) { stackProps = v; return this; }
        public Builder vpcCidr(String v) { vpcCidr = v; return this; }
        public Builder natGateways(int v) { natGateways = v; return this; }
        public Builder clusterName(String v) { clusterName = v; return this; }
        public Builder kubernetesVersion(String v) { kubernetesVersion = v; return this; }
        public Builder addonVersions(Map<String, String> v) { addonVersions = v; return this; }
        public Builder nodeInstanceType(String v) { nodeInstanceType = v; return this; }
        public Builder nodeMinSize(int v) { nodeMinSize = v; return this; }
        public Builder nodeMaxSize(int v) { nodeMaxSize = v; return this; }
        public Builder clusterApiCidrs(List<String> v) { clusterApiCidrs = v; return this; }
        public Builder clusterAdminCidrs(List<String> v) { clusterAdminCidrs = v; return this; }
        public Builder clusterAdminPrincipalArn(String v) { clusterAdminPrincipalArn = v; return this; }
        public Builder portalClientCidr(String v) { portalClientCidr = v; return this; }
        public Builder portalCertificateArn(String v) { portalCertificateArn = v; return this; }
        public Builder senderDomain(String v) { senderDomain = v; return this; }
        public Builder senderAddress(String v) { senderAddress = v; return this; }
        public Builder vendorFinanceEmail(String v) { vendorFinanceEmail = v; return this; }
        public Builder jwtIssuer(String v) { jwtIssuer = v; return this; }
        public Builder backOfficeCallbackUrls(List<String> v) { backOfficeCallbackUrls = v; return this; }
        public Builder backOfficeLogoutUrls(List<String> v) { backOfficeLogoutUrls = v; return this; }
        public Builder authDomainPrefix(String v) { authDomainPrefix = v; return this; }
        public Builder receiptIssuer(String v) { receiptIssuer = v; return this; }
        public Builder alarmEmail(String v) { alarmEmail = v; return this; }
        public Builder apiRateLimit(int v) { apiRateLimit = v; return this; }
        public Builder apiBurstLimit(int v) { apiBurstLimit = v; return this; }
        public Builder clientRateLimit(int v) { clientRateLimit = v; return this; }
        public Builder logRetention(RetentionDays v) { logRetention = v; return this; }

        public LicensingStackProps build() {
            return new LicensingStackProps(stackProps, vpcCidr, natGateways, clusterName, kubernetesVersion,
                    addonVersions, nodeInstanceType, nodeMinSize, nodeMaxSize, clusterApiCidrs, clusterAdminCidrs, clusterAdminPrincipalArn,
                    portalClientCidr, portalCertificateArn, senderDomain, senderAddress, vendorFinanceEmail, jwtIssuer,
                    backOfficeCallbackUrls, backOfficeLogoutUrls, authDomainPrefix, receiptIssuer, alarmEmail, apiRateLimit, apiBurstLimit,
                    clientRateLimit, logRetention);
        }
    }
}
