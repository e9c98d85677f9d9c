package org.licensing.infra;

import static org.licensing.infra.Services.HTTP_PORT;
import static org.licensing.infra.Services.MANAGEMENT_PORT;
import static org.licensing.infra.Services.POSTGRES_PORT;

import java.util.List;

import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.constructs.Construct;

/**
 * One security group per service pod (bound by SecurityGroupPolicy), the database's, the two load balancers' and the
 * VPC link's, with the matrix of infra/README.md: each admits only its callers and reaches only what it calls.
 */
final class ServiceSecurityGroups extends Part {

    /** Parameter name: the AWS-managed prefix list of DynamoDB in the target region (pl-...). */
    static final String DYNAMODB_PREFIX_LIST_PARAMETER = "DynamoDbPrefixListId";
    /** The EKS Pod Identity agent listens on this node-local address. */
    static final String POD_IDENTITY_AGENT_CIDR = "169.254.170.23/32";

    private final SecurityGroup validatorSg;
    private final SecurityGroup issuerSg;
    private final SecurityGroup notificationSg;
    private final SecurityGroup backOfficeSg;
    private final SecurityGroup delivererSg;
    private final SecurityGroup databaseSg;
    private final SecurityGroup gatewayAlbSg;
    private final SecurityGroup portalAlbSg;
    private final SecurityGroup vpcLinkSg;

    ServiceSecurityGroups(Construct scope, String id, LicensingStackProps props, IVpc vpc, ISecurityGroup endpointsSg,
            ISecurityGroup messagingEndpointsSg, ISecurityGroup clusterSg) {
        super(scope, id);
        CfnParameter dynamoDbPrefixList = CfnParameter.Builder.create(this, DYNAMODB_PREFIX_LIST_PARAMETER)
                .type("String")
                .allowedPattern("^pl-[0-9a-f]+$")
                .description("Prefix list of DynamoDB in this region: aws ec2 describe-managed-prefix-lists "
                        + "--filters Name=prefix-list-name,Values=com.amazonaws.<region>.dynamodb")
                .build();

        databaseSg = new FlatSecurityGroup(this, "DatabaseSg", vpc,
                "Aurora PostgreSQL: only the issuer pods and the webhook deliverer");
        validatorSg = new FlatSecurityGroup(this, "ValidatorSg", vpc,
                "license-validator pods: only the API gateway load balancer");
        issuerSg = new FlatSecurityGroup(this, "IssuerSg", vpc,
                "license-issuer pods: only the portal load balancer and the back office");
        notificationSg = new FlatSecurityGroup(this, "NotificationSg", vpc,
                "notification-service pods: only the back office");
        backOfficeSg = new FlatSecurityGroup(this, "BackOfficeSg", vpc, "back-office pods: only the portal load balancer");
        delivererSg = new FlatSecurityGroup(this, "WebhookDelivererSg", vpc,
                "webhook-deliverer pods: out to webhook endpoints (443) and PostgreSQL; in only probes and metrics");
        vpcLinkSg = new FlatSecurityGroup(this, "ApiVpcLinkSg", vpc,
                "API Gateway VPC link ENIs to the gateway load balancer");
        gatewayAlbSg = new FlatSecurityGroup(this, "GatewayAlbSg", vpc,
                "Internal ALB behind API Gateway, in front of the validator");
        portalAlbSg = new FlatSecurityGroup(this, "PortalAlbSg", vpc,
                "Internal ALB for the customer portal and back office");

        vpcLinkSg.getConnections().allowTo(gatewayAlbSg, Port.tcp(80), "API Gateway VPC link to gateway ALB");
        // The API port only from the load balancers (and the back office's calls); health and metrics on the
        // management port, which the load balancers' health checks, the kubelet and the metrics collector reach.
        gatewayAlbSg.getConnections().allowTo(validatorSg, Port.tcp(HTTP_PORT), "gateway ALB to validator pods");
        gatewayAlbSg.getConnections().allowTo(validatorSg, Port.tcp(MANAGEMENT_PORT), "gateway ALB health checks");
        portalAlbSg.addIngressRule(Peer.ipv4(props.portalClientCidr()), Port.tcp(443),
                "portal and back-office clients (HTTPS)");
        portalAlbSg.getConnections().allowTo(issuerSg, Port.tcp(HTTP_PORT), "portal ALB to issuer pods");
        portalAlbSg.getConnections().allowTo(issuerSg, Port.tcp(MANAGEMENT_PORT), "portal ALB health checks (issuer)");
        issuerSg.getConnections().allowTo(databaseSg, Port.tcp(POSTGRES_PORT), "issuer to Aurora PostgreSQL");
        // The back office: reached through the portal ALB (host rule), calls the issuer and the notification service
        // with the signed-in user's token, and signs users in at Cognito. Cognito's hosted-UI domain and its token
        // and JWKS endpoints are public (a user pool with a domain cannot be reached through a VPC endpoint), so 443
        // leaves to any address through the NAT gateways.
        portalAlbSg.getConnections().allowTo(backOfficeSg, Port.tcp(HTTP_PORT), "portal ALB to back-office pods");
        portalAlbSg.getConnections().allowTo(backOfficeSg, Port.tcp(MANAGEMENT_PORT),
                "portal ALB health checks (back office)");
        backOfficeSg.getConnections().allowTo(issuerSg, Port.tcp(HTTP_PORT), "back office to issuer pods");
        backOfficeSg.getConnections().allowTo(notificationSg, Port.tcp(HTTP_PORT), "back office to notification pods");
        backOfficeSg.addEgressRule(Peer.anyIpv4(), Port.tcp(443), "Cognito sign-in (hosted UI, token, JWKS): public");

        // The webhook deliverer: POSTs events to the customers' endpoints (public HTTPS; the deliverer's AddressGuard
        // refuses private and metadata addresses, its NetworkPolicy too), reads and records deliveries in
        // PostgreSQL, and calls DynamoDB only for the readiness check (DescribeTable: its 443 rule covers the gateway
        // endpoint's public addresses). Nothing calls it.
        delivererSg.addEgressRule(Peer.anyIpv4(), Port.tcp(443), "webhook endpoints (public HTTPS)");
        delivererSg.getConnections().allowTo(databaseSg, Port.tcp(POSTGRES_PORT), "webhook deliverer to Aurora PostgreSQL");

        for (SecurityGroup pods : List.of(validatorSg, issuerSg, notificationSg, backOfficeSg, delivererSg)) {
            // kubelet startup/liveness/readiness probes come from the node (cluster security group): the management
            // port only, never the API port.
            pods.addIngressRule(clusterSg, Port.tcp(MANAGEMENT_PORT), "kubelet health probes from the nodes");
            pods.getConnections().allowTo(clusterSg, Port.tcp(53), "DNS (CoreDNS) over TCP");
            pods.getConnections().allowTo(clusterSg, Port.udp(53), "DNS (CoreDNS) over UDP");
        }
        for (SecurityGroup pods : List.of(validatorSg, issuerSg, notificationSg, delivererSg)) {
            // the pods with an IAM role (the back office has none)
            pods.addEgressRule(Peer.ipv4(POD_IDENTITY_AGENT_CIDR), Port.tcp(80), "EKS Pod Identity agent");
        }
        for (SecurityGroup pods : List.of(validatorSg, issuerSg, notificationSg)) {
            pods.addEgressRule(Peer.prefixList(dynamoDbPrefixList.getValueAsString()), Port.tcp(443),
                    "DynamoDB through the gateway endpoint");
        }
        // The notification service's queue and SES; the validator and the issuer call no interface endpoint.
        notificationSg.getConnections().allowTo(messagingEndpointsSg, Port.tcp(443), "SQS and SES through their endpoints");
        clusterSg.getConnections().allowTo(endpointsSg, Port.tcp(443), "nodes to AWS APIs (ECR, EKS, STS, logs)");
    }

    SecurityGroup validatorSg() { return validatorSg; }
    SecurityGroup issuerSg() { return issuerSg; }
    SecurityGroup notificationSg() { return notificationSg; }
    SecurityGroup backOfficeSg() { return backOfficeSg; }
    SecurityGroup delivererSg() { return delivererSg; }
    SecurityGroup databaseSg() { return databaseSg; }
    SecurityGroup gatewayAlbSg() { return gatewayAlbSg; }
    SecurityGroup portalAlbSg() { return portalAlbSg; }
    SecurityGroup vpcLinkSg() { return vpcLinkSg; }
}
