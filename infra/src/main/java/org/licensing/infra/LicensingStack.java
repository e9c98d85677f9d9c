package org.licensing.infra;

import java.util.List;
import java.util.Map;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.ec2.CfnSecurityGroup;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.eks.CfnCluster;
import software.amazon.awscdk.services.rds.DatabaseCluster;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * The whole AWS side of the licensing platform in one environment-agnostic stack (no lookups, no Docker, no Lambda),
 * composed of parts: {@link Network}, {@link Alarms} (and the topics), {@link EksCluster},
 * {@link ServiceSecurityGroups}, {@link Data}, {@link Gateway}, {@link ImageRepositories}, {@link ServiceRoles},
 * {@link BackOfficeSignIn} and {@link PrometheusMetrics}; the outputs the prod overlay reads are here.
 *
 * <p>Parts are left out of the logical ids ({@link FlatNames#leaveOutParts}): every resource keeps the id it had when
 * this class built everything itself, so a deployed stack updates in place. Resources added after that call would
 * carry their part in their id; {@code StatefulLogicalIdsTest} fails for any such resource.
 *
 * <p>EKS is defined with the L1 constructs of the stable {@code aws_eks} module ({@code CfnCluster},
 * {@code CfnNodegroup}, {@code CfnAddon}, {@code CfnPodIdentityAssociation}). The L2 {@code Cluster} needs a kubectl
 * Lambda layer, and no {@code lambda-layer-kubectl-v3x} artifact resolves here; the L1 route needs no layer, no
 * custom-resource Lambda and no Docker, and everything inside the cluster is applied by {@code kubectl apply -k}.
 * Pods get AWS credentials through EKS Pod Identity (associations are CloudFormation resources, no OIDC provider).
 */
public class LicensingStack extends Stack {

    private final Network network;
    private final EksCluster eks;
    private final Data data;
    private final Gateway gateway;

    public LicensingStack(Construct scope, String id, LicensingStackProps props) {
        super(scope, id, props.stackProps());
        network = new Network(this, "Network", props);
        Alarms alarms = new Alarms(this, "Alarms", props);
        eks = new EksCluster(this, "Eks", props, network.privateSubnetIds());
        ServiceSecurityGroups groups = new ServiceSecurityGroups(this, "SecurityGroups", props, network.vpc(),
                network.endpointsSg(), network.messagingEndpointsSg(), eks.clusterSg());
        data = new Data(this, "Data", props, network.vpc(), groups.databaseSg(), alarms.emailEventsTopic());
        gateway = new Gateway(this, "Gateway", props, network.vpc(), network.privateSubnets(), groups);
        ImageRepositories images = new ImageRepositories(this, "Images");
        ServiceRoles roles = new ServiceRoles(this, "ServiceRoles", props, eks.cluster(), eks.nodes(), data, gateway);
        BackOfficeSignIn signIn = new BackOfficeSignIn(this, "SignIn", props);
        PrometheusMetrics metrics = new PrometheusMetrics(this, "Metrics", network.vpc(), network.privateSubnetIds(),
                eks.cluster(), eks.clusterSg(), List.of(groups.validatorSg(), groups.issuerSg(), groups.notificationSg(),
                        groups.backOfficeSg(), groups.delivererSg()), alarms);
        alarms.watch(data, gateway);
        closeDefaultEgress();
        FlatNames.leaveOutParts(this);

        // ---- outputs: the values the prod overlay needs (see k8s/README.md) ------------------------------
        output("Region", getRegion());
        output("ClusterName", eks.cluster().getRef());
        output("VpcCidr", network.vpc().getVpcCidrBlock());
        // The Load Balancer Controller's Helm value vpcId: with IMDS closed to pods (hop limit 1) it cannot look it up.
        output("VpcId", network.vpc().getVpcId());
        // The private subnets: the load balancers, the metrics collector and the nodes reach the pods from there
        // (the NetworkPolicies' ingress on 8080 and 9000, narrower than the VPC).
        output("PrivateSubnet1Cidr", network.vpc().getPrivateSubnets().get(0).getIpv4CidrBlock());
        output("PrivateSubnet2Cidr", network.vpc().getPrivateSubnets().get(1).getIpv4CidrBlock());
        output("Namespace", Services.NAMESPACE);
        output("LicenseTableName", data.table().getTableName());
        output("ReminderQueueUrl", data.reminderQueue().getQueueUrl());
        output("ReminderDlqUrl", data.reminderDlq().getQueueUrl());
        output("SenderAddress", props.senderAddress());
        output("VendorFinanceEmail", props.vendorFinanceEmail());
        // The token issuer the APIs trust and the back office signs in with: the user pool unless jwtIssuer names another.
        output("JwtIssuer", props.jwtIssuer() != null ? props.jwtIssuer() : signIn.issuer());
        output("ReceiptIssuer", props.receiptIssuer() != null ? props.receiptIssuer() : gateway.validatorApiUrl());
        output("EmailConfigurationSetName", data.emailConfigurationSet().getConfigurationSetName());
        output("DatabaseEndpoint", data.database().getClusterEndpoint().getHostname());
        output("DatabaseSecretArn", data.database().getSecret().getSecretArn());
        output("DatabaseAppSecretArn", data.databaseAppSecret().getSecretArn());
        output("ValidatorSecurityGroupId", groups.validatorSg().getSecurityGroupId());
        output("IssuerSecurityGroupId", groups.issuerSg().getSecurityGroupId());
        output("NotificationSecurityGroupId", groups.notificationSg().getSecurityGroupId());
        output("BackOfficeSecurityGroupId", groups.backOfficeSg().getSecurityGroupId());
        output("WebhookDelivererSecurityGroupId", groups.delivererSg().getSecurityGroupId());
        output("ValidatorRoleArn", roles.validatorRole().getRoleArn());
        output("IssuerRoleArn", roles.issuerRole().getRoleArn());
        output("NotificationRoleArn", roles.notificationRole().getRoleArn());
        output("WebhookDelivererRoleArn", roles.delivererRole().getRoleArn());
        output("ClusterAutoscalerRoleArn", roles.clusterAutoscalerRole().getRoleArn());
        output("ValidatorTargetGroupArn", gateway.validatorTargetGroup().getTargetGroupArn());
        output("IssuerTargetGroupArn", gateway.issuerTargetGroup().getTargetGroupArn());
        output("BackOfficeTargetGroupArn", gateway.backOfficeTargetGroup().getTargetGroupArn());
        output("BackOfficeUserPoolId", signIn.users().getUserPoolId());
        output("BackOfficeClientId", signIn.client().getUserPoolClientId());
        output("BackOfficeSignInUrl", signIn.domain().baseUrl());
        // No output carries the client secret: release.sh reads it with describe-user-pool-client into a Secret.
        images.byService().forEach((service, repository) ->
                output(service + "ImageRepositoryUri", repository.getRepositoryUri()));
        output("PortalLoadBalancerDns", gateway.portalAlb().getLoadBalancerDnsName());
        output("ValidatorApiUrl", gateway.validatorApiUrl());
        output("AlarmTopicArn", alarms.alarmTopic().getTopicArn());
        output("EmailEventsTopicArn", alarms.emailEventsTopic().getTopicArn());
        output("MetricsWorkspaceEndpoint", metrics.workspace().getAttrPrometheusEndpoint());
    }

    /**
     * EC2 gives a security group an allow-all egress rule unless the template lists egress rules inline; CDK writes
     * rules towards other security groups as separate resources, which do not remove that default. Every group here
     * without an inline rule therefore gets the no-traffic placeholder inline, so egress is exactly the listed rules.
     */
    private void closeDefaultEgress() {
        for (IConstruct c : getNode().findAll()) {
            if (!(c instanceof FlatSecurityGroup sg)) {
                continue;
            }
            CfnSecurityGroup cfn = (CfnSecurityGroup) sg.getNode().getDefaultChild();
            Object egress = resolve(cfn.getSecurityGroupEgress());
            if (!(egress instanceof List<?> rules) || rules.isEmpty()) {
                cfn.addPropertyOverride("SecurityGroupEgress", List.of(Map.of(
                        "CidrIp", "255.255.255.255/32",
                        "Description", "Disallow all traffic",
                        "IpProtocol", "icmp",
                        "FromPort", 252,
                        "ToPort", 86)));
            }
        }
    }

    private void output(String id, String value) {
        CfnOutput.Builder.create(this, id).value(value).build();
    }

    public Vpc vpc() { return network.vpc(); }
    public Table table() { return data.table(); }
    public CfnCluster cluster() { return eks.cluster(); }
    public RestApi validatorApi() { return gateway.validatorApi(); }
    public DatabaseCluster database() { return data.database(); }
}
