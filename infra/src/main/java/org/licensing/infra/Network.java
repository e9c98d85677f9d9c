package org.licensing.infra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * The VPC over two AZs (public, private with egress, isolated subnets), its flow logs, and the endpoints through which
 * nodes and pods reach AWS without the internet: gateway endpoints for DynamoDB and S3, interface endpoints behind one
 * security group.
 */
final class Network extends Part {

    private final Vpc vpc;
    private final SecurityGroup endpointsSg;
    private final SecurityGroup messagingEndpointsSg;
    private final SubnetSelection privateSubnets =
            SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build();

    Network(Construct scope, String id, LicensingStackProps props) {
        super(scope, id);
        LogGroup flowLogs = Logs.retained(this, "VpcFlowLogs", null, props.logRetention());
        vpc = Vpc.Builder.create(this, "Vpc")
                .ipAddresses(IpAddresses.cidr(props.vpcCidr()))
                .maxAzs(2)
                .natGateways(props.natGateways())
                .restrictDefaultSecurityGroup(false) // true would add a custom-resource Lambda; nothing uses the default SG
                .subnetConfiguration(List.of(
                        SubnetConfiguration.builder().name("public").subnetType(SubnetType.PUBLIC).cidrMask(24).build(),
                        SubnetConfiguration.builder().name("private").subnetType(SubnetType.PRIVATE_WITH_EGRESS)
                                .cidrMask(19).build(),
                        SubnetConfiguration.builder().name("isolated").subnetType(SubnetType.PRIVATE_ISOLATED)
                                .cidrMask(24).build()))
                .gatewayEndpoints(Map.of(
                        "DynamoDb", GatewayVpcEndpointOptions.builder()
                                .service(GatewayVpcEndpointAwsService.DYNAMODB).build(),
                        // ECR image layers are served from S3.
                        "S3", GatewayVpcEndpointOptions.builder().service(GatewayVpcEndpointAwsService.S3).build()))
                .flowLogs(Map.of("All", FlowLogOptions.builder()
                        .destination(FlowLogDestination.toCloudWatchLogs(flowLogs))
                        .trafficType(FlowLogTrafficType.ALL)
                        .build()))
                .build();
        FlatNames.keepNameTag(vpc);
        Stream.of(vpc.getPublicSubnets(), vpc.getPrivateSubnets(), vpc.getIsolatedSubnets())
                .flatMap(List::stream).forEach(FlatNames::keepNameTag);
        FlatNames.keepNameTag(vpc.getNode().findChild("All")); // the flow log

        // Two groups of interface endpoints, each admitting only who calls it: the nodes' (images, cluster, Pod
        // Identity's credential exchange, logs) and the notification service's (its queue and SES). The validator and
        // the issuer call DynamoDB only (gateway endpoint) and reach none. (The first group's description is its
        // original one: EC2 replaces a security group whose description changes.)
        endpointsSg = new FlatSecurityGroup(this, "EndpointsSg", vpc,
                "Interface VPC endpoints: HTTPS from nodes and service pods");
        messagingEndpointsSg = new FlatSecurityGroup(this, "MessagingEndpointsSg", vpc,
                "SQS and SES interface endpoints: HTTPS from the notification service pods only");
        Map<String, InterfaceVpcEndpointAwsService> messaging = new LinkedHashMap<>();
        messaging.put("Sqs", InterfaceVpcEndpointAwsService.SQS);
        messaging.put("Ses", InterfaceVpcEndpointAwsService.EMAIL);
        interfaceEndpoints(messaging, messagingEndpointsSg);
        Map<String, InterfaceVpcEndpointAwsService> endpoints = new LinkedHashMap<>();
        endpoints.put("EcrApi", InterfaceVpcEndpointAwsService.ECR);
        endpoints.put("EcrDocker", InterfaceVpcEndpointAwsService.ECR_DOCKER);
        endpoints.put("Sts", InterfaceVpcEndpointAwsService.STS);
        endpoints.put("Logs", InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS);
        endpoints.put("EksAuth", InterfaceVpcEndpointAwsService.EKS_AUTH); // Pod Identity credential exchange
        endpoints.put("Eks", InterfaceVpcEndpointAwsService.EKS); // node bootstrap against the private endpoint
        interfaceEndpoints(endpoints, endpointsSg);
    }

    /** Interface endpoints in the private subnets, private DNS on, reachable through {@code group} only. */
    private void interfaceEndpoints(Map<String, InterfaceVpcEndpointAwsService> services, SecurityGroup group) {
        services.forEach((name, service) -> vpc.addInterfaceEndpoint(name, InterfaceVpcEndpointOptions.builder()
                .service(service)
                .subnets(privateSubnets)
                .securityGroups(List.of(group))
                .privateDnsEnabled(true)
                .open(false)
                .build()));
    }

    Vpc vpc() {
        return vpc;
    }

    /** The nodes' interface endpoints (ECR, STS, logs, EKS, EKS Auth). */
    SecurityGroup endpointsSg() {
        return endpointsSg;
    }

    /** The notification service's interface endpoints (SQS, SES). */
    SecurityGroup messagingEndpointsSg() {
        return messagingEndpointsSg;
    }

    /** Where nodes, pods, load balancers and the VPC link sit. */
    SubnetSelection privateSubnets() {
        return privateSubnets;
    }

    List<String> privateSubnetIds() {
        return vpc.selectSubnets(privateSubnets).getSubnets().stream().map(ISubnet::getSubnetId).toList();
    }
}
