package org.licensing.infra;

import static org.licensing.infra.Services.HTTP_PORT;

import java.util.List;
import java.util.Map;

import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnCondition;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.regioninfo.FactName;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.CfnBucketPolicy;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigateway.ConnectionType;
import software.amazon.awscdk.services.apigateway.EndpointType;
import software.amazon.awscdk.services.apigateway.HttpIntegration;
import software.amazon.awscdk.services.apigateway.IntegrationOptions;
import software.amazon.awscdk.services.apigateway.LogGroupLogDestination;
import software.amazon.awscdk.services.apigateway.MethodLoggingLevel;
import software.amazon.awscdk.services.apigateway.MethodOptions;
import software.amazon.awscdk.services.apigateway.RequestValidator;
import software.amazon.awscdk.services.apigateway.RequestValidatorOptions;
import software.amazon.awscdk.services.apigateway.Resource;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.apigateway.StageOptions;
import software.amazon.awscdk.services.apigateway.VpcLink;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddApplicationActionProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddApplicationTargetGroupsProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddNetworkTargetsProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseApplicationListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseNetworkListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.FixedResponseOptions;
import software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCertificate;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCondition;
import software.amazon.awscdk.services.elasticloadbalancingv2.NetworkLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.Protocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.SslPolicy;
import software.amazon.awscdk.services.elasticloadbalancingv2.TargetType;
import software.amazon.awscdk.services.elasticloadbalancingv2.targets.AlbListenerTarget;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.wafv2.CfnWebACL;
import software.amazon.awscdk.services.wafv2.CfnWebACLAssociation;
import software.constructs.Construct;

/**
 * The ways in: the public REST API of installed products (WAF per-client rate limit; VPC link to an internal NLB and
 * ALB in front of the validator) and
 * the internal portal ALB (HTTPS; the back office's host names to its pods, everything else to the issuer). Pods are
 * registered into the IP target groups by TargetGroupBindings.
 */
final class Gateway extends Part {

    /** The stage: part of every URL of the API ({@code ValidatorApiUrl}). */
    static final String STAGE = "live";
    static final String JWKS_JSON = "/.well-known/jwks.json";
    /** The key set signed by the rotation key, which products fetch to trust a new receipt key. */
    static final String JWKS_JWS = "/.well-known/jwks.jws";
    static final String PER_CLIENT_RATE_RULE = "per-client-rate";
    /** One JSON line per request, no bodies or headers (no license keys); WAF's verdict included. */
    static final String ACCESS_LOG_FORMAT = "{\"requestId\":\"$context.requestId\","
            + "\"ip\":\"$context.identity.sourceIp\",\"requestTime\":\"$context.requestTime\","
            + "\"method\":\"$context.httpMethod\",\"resource\":\"$context.resourcePath\","
            + "\"status\":\"$context.status\",\"protocol\":\"$context.protocol\","
            + "\"responseLength\":\"$context.responseLength\",\"waf\":\"$context.wafResponseCode\","
            + "\"integrationLatency\":\"$context.integration.latency\","
            + "\"integrationError\":\"$context.integration.error\"}";

    private final ApplicationLoadBalancer gatewayAlb;
    private final ApplicationLoadBalancer portalAlb;
    private final ApplicationTargetGroup validatorTargetGroup;
    private final ApplicationTargetGroup issuerTargetGroup;
    private final ApplicationTargetGroup backOfficeTargetGroup;
    private final RestApi validatorApi;

    /** Days the load balancers' access logs are kept (the bucket's lifecycle). */
    static final int ACCESS_LOG_DAYS = 90;

    Gateway(Construct scope, String id, LicensingStackProps props, IVpc vpc, SubnetSelection privateSubnets,
            ServiceSecurityGroups groups) {
        super(scope, id);
        CfnBucketPolicy accessLogPolicy = accessLogBucket();
        gatewayAlb = ApplicationLoadBalancer.Builder.create(this, "GatewayAlb")
                .vpc(vpc)
                .vpcSubnets(privateSubnets)
                .internetFacing(false)
                .securityGroup(groups.gatewayAlbSg())
                .dropInvalidHeaderFields(true)
                .deletionProtection(true) // a re-created load balancer gets a new DNS name: clients and DNS break
                .build();
        logAccess(gatewayAlb, "gateway-alb", accessLogPolicy);
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
                .deletionProtection(true) // a re-created load balancer gets a new DNS name: clients and DNS break
                .build();
        logAccess(portalAlb, "portal-alb", accessLogPolicy);
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

        // Neither ALB answers /q/* (OpenAPI, Swagger UI; health and metrics where an image serves them on the API
        // port) to its clients: the kubelet probes, the target groups' health checks and the metrics collector reach
        // the pods' management port directly, which no listener forwards to.
        denyQuarkusEndpoints(gatewayListener);
        denyQuarkusEndpoints(portalListener);

        // ---- the public API: REST API (a WAF web ACL can attach to its stage; an HTTP API takes none) -----------
        // API Gateway -> VPC link -> internal NLB (TCP 80) -> gateway ALB -> validator pods. A REST API's VPC link
        // ends at a network load balancer; the NLB forwards to the ALB's listener (ALB-type target group).
        NetworkLoadBalancer nlb = NetworkLoadBalancer.Builder.create(this, "ValidatorNlb")
                .vpc(vpc)
                .vpcSubnets(privateSubnets)
                .internetFacing(false)
                .crossZoneEnabled(true)
                .deletionProtection(true)
                .securityGroups(List.of(groups.vpcLinkSg()))
                // the VPC link's traffic arrives through PrivateLink, from no address a rule could name
                .enforceSecurityGroupInboundRulesOnPrivateLinkTraffic(false)
                .build();
        nlb.addListener("Tcp", BaseNetworkListenerProps.builder().port(80).build())
                .addTargets("GatewayAlb", AddNetworkTargetsProps.builder()
                        .port(80)
                        .targets(List.of(new AlbListenerTarget(gatewayListener)))
                        // end to end: the ALB forwards it to a ready validator pod
                        .healthCheck(HealthCheck.builder()
                                .protocol(Protocol.HTTP)
                                .path(JWKS_JSON)
                                .healthyHttpCodes("200")
                                .build())
                        .build());
        VpcLink vpcLink = VpcLink.Builder.create(this, "ValidatorRestVpcLink")
                .vpcLinkName("license-validator")
                .description("REST API license-validator to the validator's network load balancer")
                .targets(List.of(nlb))
                .build();

        LogGroup accessLogs = Logs.retained(this, "ValidatorApiAccessLogs", null, props.logRetention());
        validatorApi = RestApi.Builder.create(this, "ValidatorApi")
                .restApiName("license-validator")
                .description("Public entry of installed products: license validation and the signed and plain JWK Sets")
                .endpointTypes(List.of(EndpointType.REGIONAL))
                // REST APIs write access and execution logs only with the account's API Gateway CloudWatch role
                .cloudWatchRole(true)
                .cloudWatchRoleRemovalPolicy(RemovalPolicy.RETAIN)
                .deployOptions(StageOptions.builder()
                        .stageName(STAGE)
                        .throttlingRateLimit(props.apiRateLimit())
                        .throttlingBurstLimit(props.apiBurstLimit())
                        .loggingLevel(MethodLoggingLevel.ERROR)
                        .dataTraceEnabled(false) // never log bodies: they carry license keys
                        .accessLogDestination(new LogGroupLogDestination(accessLogs))
                        .accessLogFormat(AccessLogFormat.custom(ACCESS_LOG_FORMAT))
                        .build())
                .build();
        // The stack's outputs are the ones the prod overlay reads (ValidatorApiUrl): not the one RestApi adds.
        validatorApi.getNode().tryRemoveChild("Endpoint");
        // API Gateway creates the execution log group without a retention; it exists first, with one.
        LogGroup executionLogs = Logs.retained(this, "ValidatorApiExecutionLogs",
                "API-Gateway-Execution-Logs_" + validatorApi.getRestApiId() + "/" + STAGE, props.logRetention());
        validatorApi.getDeploymentStage().getNode().addDependency(executionLogs);
        // Required path parameters checked at the gateway; bodies have no model here (the validator answers 400 itself).
        RequestValidator validator = validatorApi.addRequestValidator("Requests",
                RequestValidatorOptions.builder().validateRequestParameters(true).validateRequestBody(true).build());
        // Only the product-facing paths; /q/* stays inside the VPC.
        String albPath = "http://" + nlb.getLoadBalancerDnsName();
        validatorApi.getRoot().addResource("v1").addResource("{proxy+}").addMethod("ANY",
                proxy(albPath + "/v1/{proxy}", "ANY", vpcLink,
                        Map.of("integration.request.path.proxy", "method.request.path.proxy")),
                MethodOptions.builder()
                        .requestParameters(Map.of("method.request.path.proxy", true))
                        .requestValidator(validator)
                        .build());
        Resource wellKnown = validatorApi.getRoot().addResource(".well-known");
        for (String path : List.of(JWKS_JSON, JWKS_JWS)) {
            wellKnown.addResource(path.substring(path.lastIndexOf('/') + 1)).addMethod("GET",
                    proxy(albPath + path, "GET", vpcLink, Map.of()),
                    MethodOptions.builder().requestValidator(validator).build());
        }

        // Per-client rate limit in front of everything: one address above clientRateLimit requests in 5 minutes gets
        // 429 from WAF and never reaches the stage throttle that all clients share. Addresses on Amazon's
        // IP reputation list (bots, known attackers) are blocked outright.
        CfnWebACL webAcl = CfnWebACL.Builder.create(this, "ValidatorWebAcl")
                .name("license-validator")
                .scope("REGIONAL")
                .defaultAction(CfnWebACL.DefaultActionProperty.builder()
                        .allow(CfnWebACL.AllowActionProperty.builder().build()).build())
                .visibilityConfig(visibility("license-validator"))
                .rules(List.of(
                        CfnWebACL.RuleProperty.builder()
                                .name(PER_CLIENT_RATE_RULE)
                                .priority(0)
                                .statement(CfnWebACL.StatementProperty.builder()
                                        .rateBasedStatement(CfnWebACL.RateBasedStatementProperty.builder()
                                                .aggregateKeyType("IP")
                                                .evaluationWindowSec(300)
                                                .limit(props.clientRateLimit())
                                                .build())
                                        .build())
                                .action(CfnWebACL.RuleActionProperty.builder()
                                        .block(CfnWebACL.BlockActionProperty.builder()
                                                .customResponse(CfnWebACL.CustomResponseProperty.builder()
                                                        .responseCode(429)
                                                        .build())
                                                .build())
                                        .build())
                                .visibilityConfig(visibility(PER_CLIENT_RATE_RULE))
                                .build(),
                        CfnWebACL.RuleProperty.builder()
                                .name("ip-reputation")
                                .priority(1)
                                .statement(CfnWebACL.StatementProperty.builder()
                                        .managedRuleGroupStatement(CfnWebACL.ManagedRuleGroupStatementProperty.builder()
                                                .vendorName("AWS")
                                                .name("AWSManagedRulesAmazonIpReputationList")
                                                .build())
                                        .build())
                                .overrideAction(CfnWebACL.OverrideActionProperty.builder()
                                        .none(Map.of()).build())
                                .visibilityConfig(visibility("ip-reputation"))
                                .build()))
                .build();
        CfnWebACLAssociation association = CfnWebACLAssociation.Builder.create(this, "ValidatorWebAclAssociation")
                .resourceArn(validatorApi.getDeploymentStage().getStageArn())
                .webAclArn(webAcl.getAttrArn())
                .build();
        association.getNode().addDependency(validatorApi.getDeploymentStage());

        Nag.suppress(nlb, "AwsSolutions-ELB2", "Internal NLB reachable only from the API's VPC link; every request "
                + "is access-logged at the API Gateway stage (JSON, CloudWatch Logs).");
        String keyIsTheCredential = "Installed products hold only a license key, which is the credential and is "
                + "checked by the validator; a second gateway credential (IAM, a Cognito token) cannot reach installed "
                + "or air-gapped products. WAF's per-client rate limit, the stage throttle and the validator's per-key "
                + "limits bound abuse.";
        Nag.suppress(validatorApi, "AwsSolutions-APIG4", keyIsTheCredential);
        Nag.suppress(validatorApi, "AwsSolutions-COG4", keyIsTheCredential);
        Nag.suppress(validatorApi, "AwsSolutions-IAM4", "The account's API Gateway CloudWatch role, which REST APIs "
                + "need to write logs, is documented with AmazonAPIGatewayPushToCloudWatchLogs; only API Gateway "
                + "assumes it.");
    }

    private ApplicationTargetGroup podTargetGroup(String id, IVpc vpc) {
        return ApplicationTargetGroup.Builder.create(this, id)
                .vpc(vpc)
                .targetType(TargetType.IP) // pod IPs, registered by TargetGroupBinding
                .port(HTTP_PORT)
                .protocol(ApplicationProtocol.HTTP)
                .deregistrationDelay(Duration.seconds(30))
                // a new pod takes traffic after 2 x 5 s healthy (the readiness gate waits for it), a failing one stops
                // after 2 x 5 s; deregistration waits 30 s for requests in flight (the pods' preStop and shutdown
                // timeout cover it). Readiness is served on the pods' management port (not the API port), as the
                // kubelet's probe is.
                .healthCheck(HealthCheck.builder()
                        .port(String.valueOf(Services.MANAGEMENT_PORT))
                        .path(Services.READINESS_PATH)
                        .healthyHttpCodes("200")
                        .interval(Duration.seconds(5))
                        .timeout(Duration.seconds(4))
                        .healthyThresholdCount(2)
                        .unhealthyThresholdCount(2)
                        .build())
                .build();
    }

    ApplicationLoadBalancer portalAlb() { return portalAlb; }

    /**
     * The bucket both ALBs write their access logs to (SSE-S3: the only encryption ELB log delivery supports), kept
     * {@link #ACCESS_LOG_DAYS} days, and its policy. CDK's {@code logAccessLogs} needs the region at synthesis; this
     * stack is region-agnostic, so the policy is written here: the region's Elastic Load Balancing account (regions
     * opened before August 2022, from a mapping of CDK's region facts) or, elsewhere, the log delivery service, may
     * put objects under {@code AWSLogs/<this account>/} only.
     */
    private CfnBucketPolicy accessLogBucket() {
        Stack stack = Stack.of(this);
        Bucket bucket = Bucket.Builder.create(this, "LoadBalancerLogs")
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .lifecycleRules(List.of(LifecycleRule.builder().expiration(Duration.days(ACCESS_LOG_DAYS)).build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        String elbAccount = stack.regionalFact(FactName.ELBV2_ACCOUNT, "none");
        CfnCondition hasElbAccount = CfnCondition.Builder.create(this, "RegionHasElbAccount")
                .expression(Fn.conditionNot(Fn.conditionEquals(elbAccount, "none")))
                .build();
        String objects = bucket.getBucketArn() + "/*/AWSLogs/" + stack.getAccount() + "/*";
        Object byAccount = Fn.conditionIf(hasElbAccount.getLogicalId(), Map.of(
                "Sid", "ElbAccountWritesAccessLogs", "Effect", "Allow",
                "Principal", Map.of("AWS", "arn:" + stack.getPartition() + ":iam::" + elbAccount + ":root"),
                "Action", "s3:PutObject", "Resource", objects), Aws.NO_VALUE);
        Object byService = Map.of("Sid", "LogDeliveryWritesAccessLogs", "Effect", "Allow",
                "Principal", Map.of("Service", "logdelivery.elasticloadbalancing.amazonaws.com"),
                "Action", "s3:PutObject", "Resource", objects);
        Object tlsOnly = Map.of("Sid", "TlsOnly", "Effect", "Deny", "Principal", Map.of("AWS", "*"),
                "Action", "s3:*", "Resource", List.of(bucket.getBucketArn(), bucket.getBucketArn() + "/*"),
                "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")));
        // TLS only: written here (the Bucket's enforceSsl would make a second policy resource for the same bucket)
        Nag.suppress(bucket, "AwsSolutions-S1", "This bucket receives the load balancers' access logs; logging the "
                + "log delivery's own writes would need a second bucket for no reader. CloudTrail records its API calls.");
        return CfnBucketPolicy.Builder.create(this, "LoadBalancerLogsPolicy")
                .bucket(bucket.getBucketName())
                .policyDocument(Map.of("Version", "2012-10-17", "Statement", List.of(byAccount, byService, tlsOnly)))
                .build();
    }

    /** Turns on {@code alb}'s access logs into the bucket of {@code policy}, under {@code prefix}. */
    private static void logAccess(ApplicationLoadBalancer alb, String prefix, CfnBucketPolicy policy) {
        alb.setAttribute("access_logs.s3.enabled", "true");
        alb.setAttribute("access_logs.s3.bucket", policy.getBucket());
        alb.setAttribute("access_logs.s3.prefix", prefix);
        // ELB checks that it may write when the attribute is set: the policy must exist first
        alb.getNode().addDependency(policy);
    }
    ApplicationTargetGroup validatorTargetGroup() { return validatorTargetGroup; }
    ApplicationTargetGroup issuerTargetGroup() { return issuerTargetGroup; }
    ApplicationTargetGroup backOfficeTargetGroup() { return backOfficeTargetGroup; }
    RestApi validatorApi() { return validatorApi; }

    /** Base URL of the validator for products: the stage's URL, no trailing slash. */
    String validatorApiUrl() {
        Stack stack = Stack.of(this);
        return "https://" + validatorApi.getRestApiId() + ".execute-api." + stack.getRegion() + "."
                + stack.getUrlSuffix() + "/" + STAGE;
    }

    private static void denyQuarkusEndpoints(ApplicationListener listener) {
        listener.addAction("DenyQuarkusEndpoints", AddApplicationActionProps.builder()
                .priority(1)
                .conditions(List.of(ListenerCondition.pathPatterns(List.of("/q", "/q/*"))))
                .action(ListenerAction.fixedResponse(403, FixedResponseOptions.builder()
                        .contentType("text/plain")
                        .messageBody("Forbidden")
                        .build()))
                .build());
    }

    private static HttpIntegration proxy(String url, String method, VpcLink vpcLink,
            Map<String, String> parameters) {
        return HttpIntegration.Builder.create(url)
                .proxy(true)
                .httpMethod(method)
                .options(IntegrationOptions.builder()
                        .connectionType(ConnectionType.VPC_LINK)
                        .vpcLink(vpcLink)
                        .requestParameters(parameters)
                        .build())
                .build();
    }

    private static CfnWebACL.VisibilityConfigProperty visibility(String metric) {
        return CfnWebACL.VisibilityConfigProperty.builder()
                .metricName(metric)
                .cloudWatchMetricsEnabled(true)
                .sampledRequestsEnabled(true)
                .build();
    }
}
