package org.licensing.infra;

import static org.licensing.infra.Services.HTTP_PORT;

import java.util.List;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpAlbIntegration;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.HttpStageOptions;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.apigatewayv2.VpcLink;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddApplicationTargetGroupsProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseApplicationListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCertificate;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCondition;
import software.amazon.awscdk.services.elasticloadbalancingv2.SslPolicy;
import software.amazon.awscdk.services.elasticloadbalancingv2.TargetType;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * The ways in: the public HTTP API of installed products (VPC link to an internal ALB in front of the validator) and
 * the internal portal ALB (HTTPS; the back office's host names to its pods, everything else to the issuer). Pods are
 * registered into the IP target groups by TargetGroupBindings.
 */
final class Gateway extends Part {

    private final ApplicationLoadBalancer gatewayAlb;
    private final ApplicationLoadBalancer portalAlb;
    private final ApplicationTargetGroup validatorTargetGroup;
    private final ApplicationTargetGroup issuerTargetGroup;
    private final ApplicationTargetGroup backOfficeTargetGroup;
    private final HttpApi validatorApi;
    private final HttpStage stage;

    Gateway(Construct scope, String id, LicensingStackProps props, IVpc vpc, SubnetSelection privateSubnets,
            ServiceSecurityGroups groups) {
        super(scope, id);
        gatewayAlb = ApplicationLoadBalancer.Builder.create(this, "GatewayAlb")
                .vpc(vpc)
                .vpcSubnets(privateSubnets)
                .internetFacing(false)
                .securityGroup(groups.gatewayAlbSg())
                .dropInvalidHeaderFields(true)
                .build();
        validatorTargetGroup = podTargetGroup("ValidatorTargetGroup", vpc);
        ApplicationListener gatewayListener = gatewayAlb.addListener("Http", BaseApplicationListenerProps.builder()
                .port(80)
                .protocol(ApplicationProtocol.HTTP)
                .open(false)
                .defaultTargetGroups(List.of(validatorTargetGroup))
                .build());

        portalAlb = ApplicationLoadBalancer.Builder.create(this, "PortalAlb")
                .vpc(vpc)
                .vpcSubnets(privateSubnets)
                .internetFacing(false)
                .securityGroup(groups.portalAlbSg())
                .dropInvalidHeaderFields(true)
                .build();
        issuerTargetGroup = podTargetGroup("IssuerTargetGroup", vpc);
        backOfficeTargetGroup = podTargetGroup("BackOfficeTargetGroup", vpc);
        ApplicationListener portalListener = portalAlb.addListener("Https", BaseApplicationListenerProps.builder()
                .port(443)
                .protocol(ApplicationProtocol.HTTPS)
                .sslPolicy(SslPolicy.TLS13_RES)
                .certificates(List.of(ListenerCertificate.fromArn(props.portalCertificateArn())))
                .open(false)
                .defaultTargetGroups(List.of(issuerTargetGroup))
                .build());
        // The back office's host names (those of its callback URLs) go to its pods; everything else to the issuer.
        // The listener's certificate must cover them too.
        portalListener.addTargetGroups("BackOffice", AddApplicationTargetGroupsProps.builder()
                .priority(10)
                .conditions(List.of(ListenerCondition.hostHeaders(props.backOfficeHosts())))
                .targetGroups(List.of(backOfficeTargetGroup))
                .build());

        VpcLink vpcLink = VpcLink.Builder.create(this, "ValidatorVpcLink")
                .vpcLinkName(FlatNames.uniqueId(this, "ValidatorVpcLink")) // CDK's default name, without the part
                .vpc(vpc)
                .subnets(privateSubnets)
                .securityGroups(List.of(groups.vpcLinkSg()))
                .build();
        HttpAlbIntegration integration = HttpAlbIntegration.Builder.create("Validator", gatewayListener)
                .vpcLink(vpcLink)
                .build();
        validatorApi = HttpApi.Builder.create(this, "ValidatorApi")
                .apiName("license-validator")
                .description("Public entry of installed products: license validation and the JWK Set")
                .createDefaultStage(false)
                .build();
        // Only the product-facing paths; /q/* (health, metrics) stays inside the VPC.
        validatorApi.addRoutes(AddRoutesOptions.builder()
                .path("/v1/{proxy+}").methods(List.of(HttpMethod.ANY)).integration(integration).build());
        validatorApi.addRoutes(AddRoutesOptions.builder()
                .path("/.well-known/jwks.json").methods(List.of(HttpMethod.GET)).integration(integration).build());
        LogGroup accessLogs = Logs.retained(this, "ValidatorApiAccessLogs", null, props.logRetention());
        stage = validatorApi.addStage("DefaultStage", HttpStageOptions.builder()
                .stageName("$default")
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder()
                        .rateLimit(props.apiRateLimit())
                        .burstLimit(props.apiBurstLimit())
                        .build())
                .accessLogSettings(new AccessLogs(new LogGroupLogDestination(accessLogs)))
                .build());

        Nag.suppress(gatewayAlb, "AwsSolutions-ELB2", "Internal ALB reachable only from the API Gateway VPC link; "
                + "every request is access-logged at the API Gateway stage (JSON, CloudWatch Logs).");
        Nag.suppress(portalAlb, "AwsSolutions-ELB2", "Internal ALB of the portal/back office; the issuer writes an "
                + "audit event (who, what, when, from where) for every change, and VPC flow logs record connections.");
        Nag.suppress(validatorApi, "AwsSolutions-APIG4", "Installed products hold only a license key, which is the "
                + "credential and is checked by the validator; a second gateway credential cannot reach air-gapped "
                + "installs. Stage throttling and per-key rate limits in the validator bound abuse.");
    }

    private ApplicationTargetGroup podTargetGroup(String id, IVpc vpc) {
        return ApplicationTargetGroup.Builder.create(this, id)
                .vpc(vpc)
                .targetType(TargetType.IP) // pod IPs, registered by TargetGroupBinding
                .port(HTTP_PORT)
                .protocol(ApplicationProtocol.HTTP)
                .deregistrationDelay(Duration.seconds(30))
                .healthCheck(HealthCheck.builder()
                        .path(Services.READINESS_PATH)
                        .healthyHttpCodes("200")
                        .interval(Duration.seconds(10))
                        .build())
                .build();
    }

    ApplicationLoadBalancer portalAlb() { return portalAlb; }
    ApplicationTargetGroup validatorTargetGroup() { return validatorTargetGroup; }
    ApplicationTargetGroup issuerTargetGroup() { return issuerTargetGroup; }
    ApplicationTargetGroup backOfficeTargetGroup() { return backOfficeTargetGroup; }
    HttpApi validatorApi() { return validatorApi; }
    HttpStage stage() { return stage; }

    /** HTTP API access log settings: one JSON line per request, no request bodies or headers (no license keys). */
    private static final class AccessLogs implements IAccessLogSettings {
        private final IAccessLogDestination destination;

        AccessLogs(IAccessLogDestination destination) {
            this.destination = destination;
        }

        @Override
        public IAccessLogDestination getDestination() {
            return destination;
        }

        @Override
        public AccessLogFormat getFormat() {
            return AccessLogFormat.custom("{\"requestId\":\"$context.requestId\",\"ip\":\"$context.identity.sourceIp\","
                    + "\"requestTime\":\"$context.requestTime\",\"routeKey\":\"$context.routeKey\","
                    + "\"status\":\"$context.status\",\"protocol\":\"$context.protocol\","
                    + "\"responseLength\":\"$context.responseLength\","
                    + "\"integrationLatency\":\"$context.integration.latency\","
                    + "\"integrationError\":\"$context.integrationErrorMessage\"}");
        }
    }
}
