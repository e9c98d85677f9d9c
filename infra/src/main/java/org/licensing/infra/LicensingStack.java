package org.licensing.infra;

import static org.licensing.infra.Services.HTTP_PORT;
import static org.licensing.infra.Services.POSTGRES_PORT;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.licensing.store.LicenseTable;
import org.licensing.store.ReminderQueues;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
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
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.ec2.CfnSecurityGroup;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SecurityGroupImportOptions;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.cognito.AccountRecovery;
import software.amazon.awscdk.services.cognito.AuthFlow;
import software.amazon.awscdk.services.cognito.CognitoDomainOptions;
import software.amazon.awscdk.services.cognito.FeaturePlan;
import software.amazon.awscdk.services.cognito.ManagedLoginVersion;
import software.amazon.awscdk.services.cognito.Mfa;
import software.amazon.awscdk.services.cognito.MfaSecondFactor;
import software.amazon.awscdk.services.cognito.OAuthFlows;
import software.amazon.awscdk.services.cognito.OAuthScope;
import software.amazon.awscdk.services.cognito.OAuthSettings;
import software.amazon.awscdk.services.cognito.PasswordPolicy;
import software.amazon.awscdk.services.cognito.SignInAliases;
import software.amazon.awscdk.services.cognito.StandardThreatProtectionMode;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.cognito.UserPoolClientIdentityProvider;
import software.amazon.awscdk.services.cognito.UserPoolClientOptions;
import software.amazon.awscdk.services.cognito.UserPoolDomain;
import software.amazon.awscdk.services.cognito.UserPoolDomainOptions;
import software.amazon.awscdk.services.cognito.UserPoolGroup;
import software.amazon.awscdk.services.ecr.LifecycleRule;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecr.TagMutability;
import software.amazon.awscdk.services.ecr.TagStatus;
import software.amazon.awscdk.services.eks.CfnAccessEntry;
import software.amazon.awscdk.services.eks.CfnAddon;
import software.amazon.awscdk.services.eks.CfnCluster;
import software.amazon.awscdk.services.eks.CfnNodegroup;
import software.amazon.awscdk.services.eks.CfnPodIdentityAssociation;
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
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IPrincipal;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.iam.SessionTagsPrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.rds.AuroraPostgresClusterEngineProps;
import software.amazon.awscdk.services.rds.AuroraPostgresEngineVersion;
import software.amazon.awscdk.services.rds.BackupProps;
import software.amazon.awscdk.services.rds.ClusterInstance;
import software.amazon.awscdk.services.rds.Credentials;
import software.amazon.awscdk.services.rds.DatabaseCluster;
import software.amazon.awscdk.services.rds.DatabaseClusterEngine;
import software.amazon.awscdk.services.rds.DatabaseSecret;
import software.amazon.awscdk.services.rds.ServerlessV2ClusterInstanceProps;
import software.amazon.awscdk.services.ses.ConfigurationSet;
import software.amazon.awscdk.services.ses.ConfigurationSetEventDestinationOptions;
import software.amazon.awscdk.services.ses.ConfigurationSetTlsPolicy;
import software.amazon.awscdk.services.ses.EmailIdentity;
import software.amazon.awscdk.services.ses.EmailSendingEvent;
import software.amazon.awscdk.services.ses.EventDestination;
import software.amazon.awscdk.services.ses.Identity;
import software.amazon.awscdk.services.ses.SuppressionReasons;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.amazon.awscdk.services.sqs.RedriveAllowPolicy;
import software.amazon.awscdk.services.sqs.RedrivePermission;
import software.constructs.Construct;

/**
 * The whole AWS side of the licensing platform in one environment-agnostic stack (no lookups, no Docker, no Lambda).
 *
 * <p>EKS is defined with the L1 constructs of the stable {@code aws_eks} module ({@link CfnCluster},
 * {@link CfnNodegroup}, {@link CfnAddon}, {@link CfnPodIdentityAssociation}). The L2 {@code Cluster} needs a kubectl
 * Lambda layer, and no {@code lambda-layer-kubectl-v3x} artifact resolves here; the L1 route needs no layer, no
 * custom-resource Lambda and no Docker, and everything inside the cluster is applied by {@code kubectl apply -k}.
 * Pods get AWS credentials through EKS Pod Identity (associations are CloudFormation resources, no OIDC provider).
 */
public class LicensingStack extends Stack {

    /** Parameter name: the AWS-managed prefix list of DynamoDB in the target region (pl-...). */
    public static final String DYNAMODB_PREFIX_LIST_PARAMETER = "DynamoDbPrefixListId";
    /** The EKS Pod Identity agent listens on this node-local address. */
    public static final String POD_IDENTITY_AGENT_CIDR = "169.254.170.23/32";
    /** Aurora cluster identifier (fixed, so its PostgreSQL log group can be created with a retention first). */
    public static final String DATABASE_CLUSTER_IDENTIFIER = "licensing-catalog";
    /** Container Insights log groups the amazon-cloudwatch-observability add-on writes to. */
    public static final List<String> CONTAINER_INSIGHTS_LOG_GROUPS = List.of("application", "dataplane", "host",
            "performance");
    /** Alarm thresholds (see the runbook in infra/README.md). */
    public static final int API_5XX_PER_5_MINUTES = 5;
    public static final int VALIDATOR_P99_LATENCY_MS = 1000;
    public static final int DATABASE_CPU_PERCENT = 80;

    private final Vpc vpc;
    private final SecurityGroup validatorSg;
    private final SecurityGroup issuerSg;
    private final SecurityGroup notificationSg;
    private final SecurityGroup backOfficeSg;
    private final SecurityGroup databaseSg;
    private final SecurityGroup gatewayAlbSg;
    private final SecurityGroup portalAlbSg;
    private final SecurityGroup vpcLinkSg;
    private final SecurityGroup endpointsSg;
    private final Table table;
    private final Queue reminderQueue;
    private final Queue reminderDlq;
    private final EmailIdentity senderIdentity;
    private final ConfigurationSet emailConfigurationSet;
    private final DatabaseCluster database;
    private final DatabaseSecret databaseAppSecret;
    private final CfnCluster cluster;
    private final CfnNodegroup nodes;
    private final HttpApi validatorApi;
    private final Role validatorRole;
    private final Role issuerRole;
    private final Role notificationRole;
    private final Role lbControllerRole;
    private final Role clusterAutoscalerRole;
    private final Role cloudWatchAgentRole;
    private final ApplicationTargetGroup validatorTargetGroup;
    private final ApplicationTargetGroup issuerTargetGroup;
    private final ApplicationTargetGroup backOfficeTargetGroup;
    private final UserPool backOfficeUsers;
    private final UserPoolClient backOfficeClient;
    private final UserPoolDomain backOfficeSignIn;
    private final Map<String, Repository> imageRepositories = new LinkedHashMap<>();
    private final Topic alarmTopic;
    private final Topic emailEventsTopic;

    public LicensingStack(Construct scope, String id, LicensingStackProps props) {
        super(scope, id, props.stackProps());

        CfnParameter dynamoDbPrefixList = CfnParameter.Builder.create(this, DYNAMODB_PREFIX_LIST_PARAMETER)
                .type("String")
                .allowedPattern("^pl-[0-9a-f]+$")
                .description("Prefix list of DynamoDB in this region: aws ec2 describe-managed-prefix-lists "
                        + "--filters Name=prefix-list-name,Values=com.amazonaws.<region>.dynamodb")
                .build();

        // ---- network --------------------------------------------------------------------------------------
        LogGroup flowLogs = logGroup("VpcFlowLogs", null, props);
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
        SubnetSelection privateSubnets = SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build();
        List<String> privateSubnetIds = vpc.selectSubnets(privateSubnets).getSubnets().stream()
                .map(ISubnet::getSubnetId).toList();

        endpointsSg = securityGroup("EndpointsSg", "Interface VPC endpoints: HTTPS from nodes and service pods");
        Map<String, InterfaceVpcEndpointAwsService> endpoints = new LinkedHashMap<>();
        endpoints.put("Sqs", InterfaceVpcEndpointAwsService.SQS);
        endpoints.put("Ses", InterfaceVpcEndpointAwsService.EMAIL);
        endpoints.put("EcrApi", InterfaceVpcEndpointAwsService.ECR);
        endpoints.put("EcrDocker", InterfaceVpcEndpointAwsService.ECR_DOCKER);
        endpoints.put("Sts", InterfaceVpcEndpointAwsService.STS);
        endpoints.put("Logs", InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS);
        endpoints.put("EksAuth", InterfaceVpcEndpointAwsService.EKS_AUTH); // Pod Identity credential exchange
        endpoints.put("Eks", InterfaceVpcEndpointAwsService.EKS); // node bootstrap against the private endpoint
        endpoints.forEach((name, service) -> vpc.addInterfaceEndpoint(name, InterfaceVpcEndpointOptions.builder()
                .service(service)
                .subnets(privateSubnets)
                .securityGroups(List.of(endpointsSg))
                .privateDnsEnabled(true)
                .open(false)
                .build()));

        // ---- operations: one key for the topics, the alarm topic and the SES event topic -----------------
        Key operationsKey = Key.Builder.create(this, "OperationsKey")
                .description("Encrypts the alarm and email-event SNS topics")
                .enableKeyRotation(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        // CloudWatch (alarm actions) and SES (event destinations) publish to the encrypted topics. The topics'
        // policies decide who may publish; these statements only let the two services use the key for it.
        operationsKey.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("CloudWatchAlarmActions")
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                .resources(List.of("*"))
                .build());
        operationsKey.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("SesEventDestination")
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal("ses.amazonaws.com")))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", getAccount())))
                .build());
        alarmTopic = Topic.Builder.create(this, "AlarmTopic")
                .displayName("Licensing platform alarms")
                .masterKey(operationsKey)
                .enforceSsl(true)
                .build();
        alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail()));
        emailEventsTopic = Topic.Builder.create(this, "EmailEventsTopic")
                .displayName("Licensing reminder email bounces and complaints")
                .masterKey(operationsKey)
                .enforceSsl(true)
                .build();
        // (The SES event destination below adds the topic policy that lets SES publish for the configuration set.)
        emailEventsTopic.addSubscription(new EmailSubscription(props.alarmEmail()));

        // ---- data -----------------------------------------------------------------------------------------
        table = licenseTable();

        // The DLQ admits exactly the reminder queue as a source. Its ARN is built from the queue's fixed name: a
        // reference to the queue itself would be circular (the queue's redrive policy points at the DLQ).
        String reminderQueueArn = formatArn(ArnComponents.builder()
                .service("sqs")
                .resource(ReminderQueues.DEFAULT_QUEUE)
                .arnFormat(ArnFormat.NO_RESOURCE_NAME)
                .build());
        reminderDlq = Queue.Builder.create(this, "ReminderDlq")
                .queueName(ReminderQueues.DEFAULT_DEAD_LETTER_QUEUE)
                .retentionPeriod(Duration.seconds(ReminderQueues.DEAD_LETTER_RETENTION_SECONDS))
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .redriveAllowPolicy(RedriveAllowPolicy.builder()
                        .redrivePermission(RedrivePermission.BY_QUEUE)
                        .sourceQueues(List.of(Queue.fromQueueArn(this, "ReminderQueueSource", reminderQueueArn)))
                        .build())
                .build();
        reminderQueue = Queue.Builder.create(this, "ReminderQueue")
                .queueName(ReminderQueues.DEFAULT_QUEUE)
                .visibilityTimeout(Duration.seconds(ReminderQueues.VISIBILITY_TIMEOUT_SECONDS))
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .deadLetterQueue(DeadLetterQueue.builder()
                        .queue(reminderDlq)
                        .maxReceiveCount(ReminderQueues.MAX_RECEIVE_COUNT)
                        .build())
                .build();

        // Every reminder goes out through the configuration set (the identity's default): bounces and complaints
        // are published to the email-events topic and land on the account's suppression list.
        emailConfigurationSet = ConfigurationSet.Builder.create(this, "EmailConfigurationSet")
                .tlsPolicy(ConfigurationSetTlsPolicy.REQUIRE)
                .suppressionReasons(SuppressionReasons.BOUNCES_AND_COMPLAINTS)
                .reputationMetrics(true)
                .build();
        emailConfigurationSet.addEventDestination("BouncesAndComplaints", ConfigurationSetEventDestinationOptions.builder()
                .destination(EventDestination.snsTopic(emailEventsTopic))
                .events(List.of(EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT))
                .build());
        senderIdentity = EmailIdentity.Builder.create(this, "SenderIdentity")
                .identity(Identity.domain(props.senderDomain()))
                .configurationSet(emailConfigurationSet)
                .build();

        databaseSg = securityGroup("DatabaseSg", "Aurora PostgreSQL: only the issuer pods");
        LogGroup databaseLogs = logGroup("CatalogDbLogs",
                "/aws/rds/cluster/" + DATABASE_CLUSTER_IDENTIFIER + "/postgresql", props);
        database = DatabaseCluster.Builder.create(this, "CatalogDb")
                .engine(DatabaseClusterEngine.auroraPostgres(AuroraPostgresClusterEngineProps.builder()
                        .version(AuroraPostgresEngineVersion.VER_16_9).build()))
                .clusterIdentifier(DATABASE_CLUSTER_IDENTIFIER)
                // The owner: runs the migrations (Flyway). The service itself connects as the application role.
                .credentials(Credentials.fromGeneratedSecret(Services.DB_OWNER))
                .defaultDatabaseName(Services.DB_NAME)
                .parameters(Map.of("rds.force_ssl", "1"))
                .writer(ClusterInstance.serverlessV2("writer"))
                .readers(List.of(ClusterInstance.serverlessV2("reader",
                        ServerlessV2ClusterInstanceProps.builder().scaleWithWriter(true).build())))
                .serverlessV2MinCapacity(0.5)
                .serverlessV2MaxCapacity(4)
                .vpc(vpc)
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build())
                .securityGroups(List.of(databaseSg))
                .port(POSTGRES_PORT)
                .storageEncrypted(true)
                .deletionProtection(true)
                .backup(BackupProps.builder().retention(Duration.days(14)).build())
                .cloudwatchLogsExports(List.of("postgresql"))
                .removalPolicy(RemovalPolicy.SNAPSHOT)
                .build();
        database.getNode().addDependency(databaseLogs);
        // The application role's credentials: created by the issuer's migration from this secret (see README).
        databaseAppSecret = DatabaseSecret.Builder.create(this, "DatabaseAppSecret")
                .username(Services.DB_APP_USER)
                .dbname(Services.DB_NAME)
                .build();
        databaseAppSecret.attach(database);

        // ---- EKS ------------------------------------------------------------------------------------------
        Role clusterRole = Role.Builder.create(this, "ClusterRole")
                .assumedBy(new ServicePrincipal("eks.amazonaws.com"))
                .managedPolicies(List.of(
                        ManagedPolicy.fromAwsManagedPolicyName("AmazonEKSClusterPolicy"),
                        // Trunk and branch ENIs: security groups for pods.
                        ManagedPolicy.fromAwsManagedPolicyName("AmazonEKSVPCResourceController")))
                .build();
        CfnCluster.ResourcesVpcConfigProperty.Builder vpcConfig = CfnCluster.ResourcesVpcConfigProperty.builder()
                .subnetIds(privateSubnetIds)
                .endpointPrivateAccess(true)
                .endpointPublicAccess(!props.clusterApiCidrs().isEmpty());
        if (!props.clusterApiCidrs().isEmpty()) {
            vpcConfig.publicAccessCidrs(props.clusterApiCidrs());
        }
        // EKS would create the control-plane log group without a retention; it exists first, with one.
        LogGroup clusterLogs = logGroup("ClusterLogs", "/aws/eks/" + props.clusterName() + "/cluster", props);
        cluster = CfnCluster.Builder.create(this, "Cluster")
                .name(props.clusterName())
                .version(props.kubernetesVersion())
                .roleArn(clusterRole.getRoleArn())
                .resourcesVpcConfig(vpcConfig.build())
                .accessConfig(CfnCluster.AccessConfigProperty.builder()
                        .authenticationMode("API")
                        // No implicit admin for whoever ran the deployment: the access entry below names the admins.
                        .bootstrapClusterCreatorAdminPermissions(false)
                        .build())
                .logging(CfnCluster.LoggingProperty.builder()
                        .clusterLogging(CfnCluster.ClusterLoggingProperty.builder()
                                .enabledTypes(List.of("api", "audit", "authenticator", "controllerManager", "scheduler")
                                        .stream()
                                        .map(t -> (Object) CfnCluster.LoggingTypeConfigProperty.builder().type(t).build())
                                        .toList())
                                .build())
                        .build())
                .build();
        cluster.addResourceDependency((CfnResource) clusterLogs.getNode().getDefaultChild());
        CfnAccessEntry.Builder.create(this, "ClusterAdminAccess")
                .clusterName(cluster.getRef())
                .principalArn(props.clusterAdminPrincipalArn())
                .accessPolicies(List.of(CfnAccessEntry.AccessPolicyProperty.builder()
                        .policyArn("arn:" + getPartition() + ":eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy")
                        .accessScope(CfnAccessEntry.AccessScopeProperty.builder().type("cluster").build())
                        .build()))
                .build();

        // The VPC CNI: branch ENIs for SecurityGroupPolicy, network policy agent for NetworkPolicy. Standard
        // enforcing mode keeps kubelet probes and node-local traffic (Pod Identity agent, CoreDNS) working.
        // External SNAT: pod traffic leaving the VPC keeps the pod's IP and branch ENI (the NAT gateway translates
        // it), so the pod security group, not the node's, judges it (DynamoDB prefix list, endpoints only).
        CfnAddon vpcCni = CfnAddon.Builder.create(this, "VpcCniAddon")
                .clusterName(cluster.getRef())
                .addonName("vpc-cni")
                .resolveConflicts("OVERWRITE")
                .configurationValues("{\"enableNetworkPolicy\":\"true\","
                        + "\"env\":{\"ENABLE_POD_ENI\":\"true\",\"POD_SECURITY_GROUP_ENFORCING_MODE\":\"standard\","
                        + "\"AWS_VPC_K8S_CNI_EXTERNALSNAT\":\"true\"},"
                        + "\"init\":{\"env\":{\"DISABLE_TCP_EARLY_DEMUX\":\"true\"}}}")
                .build();
        CfnAddon podIdentityAgent = CfnAddon.Builder.create(this, "PodIdentityAgentAddon")
                .clusterName(cluster.getRef())
                .addonName("eks-pod-identity-agent")
                .resolveConflicts("OVERWRITE")
                .build();
        CfnAddon.Builder.create(this, "KubeProxyAddon")
                .clusterName(cluster.getRef())
                .addonName("kube-proxy")
                .resolveConflicts("OVERWRITE")
                .build();

        Role nodeRole = Role.Builder.create(this, "NodeRole")
                .assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
                .managedPolicies(List.of(
                        ManagedPolicy.fromAwsManagedPolicyName("AmazonEKSWorkerNodePolicy"),
                        ManagedPolicy.fromAwsManagedPolicyName("AmazonEC2ContainerRegistryPullOnly"),
                        ManagedPolicy.fromAwsManagedPolicyName("AmazonEKS_CNI_Policy")))
                .build();
        nodes = CfnNodegroup.Builder.create(this, "ServiceNodes")
                .clusterName(cluster.getRef())
                .nodeRole(nodeRole.getRoleArn())
                .subnets(privateSubnetIds)
                .amiType("AL2023_x86_64_STANDARD")
                .capacityType("ON_DEMAND")
                .instanceTypes(List.of(props.nodeInstanceType()))
                // The Cluster Autoscaler moves the desired size between min and max. EKS tags the group's ASG with
                // the same two auto-discovery tags; they are on the node group too, for the record.
                .scalingConfig(CfnNodegroup.ScalingConfigProperty.builder()
                        .minSize(props.nodeMinSize())
                        .desiredSize(props.nodeMinSize())
                        .maxSize(props.nodeMaxSize())
                        .build())
                .updateConfig(CfnNodegroup.UpdateConfigProperty.builder().maxUnavailable(1).build())
                .labels(Map.of("licensing.org/pool", "services"))
                .tags(Map.of("k8s.io/cluster-autoscaler/enabled", "true",
                        "k8s.io/cluster-autoscaler/" + props.clusterName(), "owned"))
                .build();
        nodes.addResourceDependency(vpcCni);
        CfnAddon coreDns = CfnAddon.Builder.create(this, "CoreDnsAddon")
                .clusterName(cluster.getRef())
                .addonName("coredns")
                .resolveConflicts("OVERWRITE")
                .build();
        coreDns.addResourceDependency(nodes);
        // Resource metrics for the HorizontalPodAutoscalers (kubectl top, HPA cpu targets).
        CfnAddon metricsServer = CfnAddon.Builder.create(this, "MetricsServerAddon")
                .clusterName(cluster.getRef())
                .addonName("metrics-server")
                .resolveConflicts("OVERWRITE")
                .build();
        metricsServer.addResourceDependency(nodes);

        // Container logs and Container Insights (Fluent Bit + CloudWatch agent) into log groups with a retention.
        cloudWatchAgentRole = Role.Builder.create(this, "CloudWatchAgentRole")
                .assumedBy(new SessionTagsPrincipal(new ServicePrincipal("pods.eks.amazonaws.com")))
                .managedPolicies(List.of(ManagedPolicy.fromAwsManagedPolicyName("CloudWatchAgentServerPolicy")))
                .build();
        CfnAddon observability = CfnAddon.Builder.create(this, "CloudWatchObservabilityAddon")
                .clusterName(cluster.getRef())
                .addonName("amazon-cloudwatch-observability")
                .resolveConflicts("OVERWRITE")
                .podIdentityAssociations(List.of(CfnAddon.PodIdentityAssociationProperty.builder()
                        .serviceAccount(Services.CLOUDWATCH_AGENT_SERVICE_ACCOUNT)
                        .roleArn(cloudWatchAgentRole.getRoleArn())
                        .build()))
                .build();
        observability.addResourceDependency(nodes);
        observability.addResourceDependency(podIdentityAgent);
        for (String name : CONTAINER_INSIGHTS_LOG_GROUPS) {
            LogGroup group = logGroup("ContainerInsights" + Character.toUpperCase(name.charAt(0)) + name.substring(1),
                    "/aws/containerinsights/" + props.clusterName() + "/" + name, props);
            observability.addResourceDependency((CfnResource) group.getNode().getDefaultChild());
        }

        // EKS creates this group and puts the control plane ENIs and the managed nodes in it.
        ISecurityGroup clusterSg = SecurityGroup.fromSecurityGroupId(this, "ClusterSg",
                cluster.getAttrClusterSecurityGroupId(),
                SecurityGroupImportOptions.builder().mutable(true).allowAllOutbound(true).build());

        // ---- security groups per service (bound to pods by SecurityGroupPolicy) --------------------------
        validatorSg = securityGroup("ValidatorSg", "license-validator pods: only the API gateway load balancer");
        issuerSg = securityGroup("IssuerSg", "license-issuer pods: only the portal load balancer and the back office");
        notificationSg = securityGroup("NotificationSg", "notification-service pods: only the back office");
        backOfficeSg = securityGroup("BackOfficeSg", "back-office pods: only the portal load balancer");
        vpcLinkSg = securityGroup("ApiVpcLinkSg", "API Gateway VPC link ENIs to the gateway load balancer");
        gatewayAlbSg = securityGroup("GatewayAlbSg", "Internal ALB behind API Gateway, in front of the validator");
        portalAlbSg = securityGroup("PortalAlbSg", "Internal ALB for the customer portal and back office");

        vpcLinkSg.getConnections().allowTo(gatewayAlbSg, Port.tcp(80), "API Gateway VPC link to gateway ALB");
        gatewayAlbSg.getConnections().allowTo(validatorSg, Port.tcp(HTTP_PORT), "gateway ALB to validator pods");
        portalAlbSg.addIngressRule(Peer.ipv4(props.portalClientCidr()), Port.tcp(443),
                "portal and back-office clients (HTTPS)");
        portalAlbSg.getConnections().allowTo(issuerSg, Port.tcp(HTTP_PORT), "portal ALB to issuer pods");
        issuerSg.getConnections().allowTo(databaseSg, Port.tcp(POSTGRES_PORT), "issuer to Aurora PostgreSQL");
        // The back office: reached through the portal ALB (host rule), calls the issuer and the notification service
        // with the signed-in user's token, and signs users in at Cognito. Cognito's hosted-UI domain and its token
        // and JWKS endpoints are public (a user pool with a domain cannot be reached through a VPC endpoint), so 443
        // leaves to any address through the NAT gateways: from this security group only.
        portalAlbSg.getConnections().allowTo(backOfficeSg, Port.tcp(HTTP_PORT), "portal ALB to back-office pods");
        backOfficeSg.getConnections().allowTo(issuerSg, Port.tcp(HTTP_PORT), "back office to issuer pods");
        backOfficeSg.getConnections().allowTo(notificationSg, Port.tcp(HTTP_PORT), "back office to notification pods");
        backOfficeSg.addEgressRule(Peer.anyIpv4(), Port.tcp(443), "Cognito sign-in (hosted UI, token, JWKS): public");
        backOfficeSg.addIngressRule(clusterSg, Port.tcp(HTTP_PORT), "kubelet health probes from the nodes");
        backOfficeSg.getConnections().allowTo(clusterSg, Port.tcp(53), "DNS (CoreDNS) over TCP");
        backOfficeSg.getConnections().allowTo(clusterSg, Port.udp(53), "DNS (CoreDNS) over UDP");

        for (SecurityGroup pods : List.of(validatorSg, issuerSg, notificationSg)) {
            // kubelet liveness/readiness probes come from the node (cluster security group).
            pods.addIngressRule(clusterSg, Port.tcp(HTTP_PORT), "kubelet health probes from the nodes");
            pods.addEgressRule(Peer.prefixList(dynamoDbPrefixList.getValueAsString()), Port.tcp(443),
                    "DynamoDB through the gateway endpoint");
            pods.getConnections().allowTo(endpointsSg, Port.tcp(443), "AWS APIs through interface endpoints");
            pods.getConnections().allowTo(clusterSg, Port.tcp(53), "DNS (CoreDNS) over TCP");
            pods.getConnections().allowTo(clusterSg, Port.udp(53), "DNS (CoreDNS) over UDP");
            pods.addEgressRule(Peer.ipv4(POD_IDENTITY_AGENT_CIDR), Port.tcp(80), "EKS Pod Identity agent");
        }
        clusterSg.getConnections().allowTo(endpointsSg, Port.tcp(443), "nodes to AWS APIs (ECR, EKS, STS, logs)");

        // ---- load balancers and the public gateway -------------------------------------------------------
        ApplicationLoadBalancer gatewayAlb = ApplicationLoadBalancer.Builder.create(this, "GatewayAlb")
                .vpc(vpc)
                .vpcSubnets(privateSubnets)
                .internetFacing(false)
                .securityGroup(gatewayAlbSg)
                .dropInvalidHeaderFields(true)
                .build();
        validatorTargetGroup = podTargetGroup("ValidatorTargetGroup");
        ApplicationListener gatewayListener = gatewayAlb.addListener("Http", BaseApplicationListenerProps.builder()
                .port(80)
                .protocol(ApplicationProtocol.HTTP)
                .open(false)
                .defaultTargetGroups(List.of(validatorTargetGroup))
                .build());

        ApplicationLoadBalancer portalAlb = ApplicationLoadBalancer.Builder.create(this, "PortalAlb")
                .vpc(vpc)
                .vpcSubnets(privateSubnets)
                .internetFacing(false)
                .securityGroup(portalAlbSg)
                .dropInvalidHeaderFields(true)
                .build();
        issuerTargetGroup = podTargetGroup("IssuerTargetGroup");
        backOfficeTargetGroup = podTargetGroup("BackOfficeTargetGroup");
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
                .vpc(vpc)
                .subnets(privateSubnets)
                .securityGroups(List.of(vpcLinkSg))
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
        LogGroup accessLogs = logGroup("ValidatorApiAccessLogs", null, props);
        HttpStage stage = validatorApi.addStage("DefaultStage", HttpStageOptions.builder()
                .stageName("$default")
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder()
                        .rateLimit(props.apiRateLimit())
                        .burstLimit(props.apiBurstLimit())
                        .build())
                .accessLogSettings(new AccessLogs(new LogGroupLogDestination(accessLogs)))
                .build());

        // ---- images ---------------------------------------------------------------------------------------
        for (String[] service : new String[][] {{"Issuer", Services.ISSUER}, {"Validator", Services.VALIDATOR},
                {"Notification", Services.NOTIFICATION}, {"BackOffice", Services.BACK_OFFICE}}) {
            imageRepositories.put(service[0], Repository.Builder.create(this, service[0] + "Images")
                    .repositoryName(Services.IMAGE_REPOSITORY_PREFIX + service[1])
                    .imageTagMutability(TagMutability.IMMUTABLE)
                    .imageScanOnPush(true)
                    .lifecycleRules(List.of(
                            LifecycleRule.builder().rulePriority(1).description("drop untagged layers after 14 days")
                                    .tagStatus(TagStatus.UNTAGGED).maxImageAge(Duration.days(14)).build(),
                            LifecycleRule.builder().rulePriority(2).description("keep the 50 newest releases")
                                    .tagStatus(TagStatus.ANY).maxImageCount(50).build()))
                    .removalPolicy(RemovalPolicy.RETAIN)
                    .build());
        }

        // ---- one IAM role per service (EKS Pod Identity): one statement per resource ---------------------
        // The calls each service's code makes (infra/README.md has the table):
        //   validator     GetItem, UpdateItem on the table
        //   issuer        DescribeTable (readiness), GetItem, PutItem, UpdateItem, DeleteItem (idempotency release),
        //                 Scan (read-model rebuild) on the table; no index (search reads the PostgreSQL read model)
        //   notification  Query on by-expiry-day; GetItem, UpdateItem on the table (licenses, send ledger);
        //                 SendMessage(Batch), ReceiveMessage, DeleteMessage, ChangeMessageVisibility on the queue;
        //                 GetQueueAttributes, ReceiveMessage, DeleteMessage(Batch) on the DLQ (depth, redrive);
        //                 SendEmail from the sender address
        String tableArn = table.getTableArn();
        validatorRole = serviceRole("ValidatorRole", Services.VALIDATOR, List.of(
                allow(List.of("dynamodb:GetItem", "dynamodb:UpdateItem"), List.of(tableArn))));

        issuerRole = serviceRole("IssuerRole", Services.ISSUER, List.of(
                allow(List.of("dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                        "dynamodb:DeleteItem", "dynamodb:Scan"), List.of(tableArn))));

        notificationRole = serviceRole("NotificationRole", Services.NOTIFICATION, List.of(
                allow(List.of("dynamodb:GetItem", "dynamodb:UpdateItem"), List.of(tableArn)),
                allow(List.of("dynamodb:Query"), List.of(indexArn(LicenseTable.BY_EXPIRY_DAY_INDEX))),
                allow(List.of("sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage",
                        "sqs:ChangeMessageVisibility"), List.of(reminderQueue.getQueueArn())),
                allow(List.of("sqs:GetQueueAttributes", "sqs:ReceiveMessage", "sqs:DeleteMessage"),
                        List.of(reminderDlq.getQueueArn())),
                // SES authorizes a send against the identity and the configuration set it goes through.
                PolicyStatement.Builder.create()
                        .effect(Effect.ALLOW)
                        .actions(List.of("ses:SendEmail"))
                        .resources(List.of(senderIdentity.getEmailIdentityArn(), configurationSetArn()))
                        .conditions(Map.of("StringEquals", Map.of("ses:FromAddress", props.senderAddress())))
                        .build()));

        // The AWS Load Balancer Controller only reconciles TargetGroupBindings (pod IPs into our target groups).
        lbControllerRole = podIdentityRole("LbControllerRole", List.of(
                allow(List.of("elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"),
                        List.of(validatorTargetGroup.getTargetGroupArn(), issuerTargetGroup.getTargetGroupArn(),
                                backOfficeTargetGroup.getTargetGroupArn())),
                allow(List.of("elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth",
                                "elasticloadbalancing:DescribeTags", "elasticloadbalancing:DescribeListeners",
                                "elasticloadbalancing:DescribeLoadBalancers", "ec2:DescribeInstances",
                                "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets",
                                "ec2:DescribeVpcs"),
                        List.of("*"))));
        CfnPodIdentityAssociation.Builder.create(this, "LbControllerIdentity")
                .clusterName(cluster.getRef())
                .namespace(Services.LB_CONTROLLER_NAMESPACE)
                .serviceAccount(Services.LB_CONTROLLER_SERVICE_ACCOUNT)
                .roleArn(lbControllerRole.getRoleArn())
                .build();

        // The Cluster Autoscaler (k8s/cluster-autoscaler): reads groups and instance types, changes only the size
        // of the groups tagged as this cluster's, describes only this node group.
        clusterAutoscalerRole = podIdentityRole("ClusterAutoscalerRole", List.of(
                allow(List.of("autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingInstances",
                                "autoscaling:DescribeLaunchConfigurations", "autoscaling:DescribeScalingActivities",
                                "autoscaling:DescribeTags", "ec2:DescribeImages", "ec2:DescribeInstanceTypes",
                                "ec2:DescribeLaunchTemplateVersions", "ec2:GetInstanceTypesFromInstanceRequirements"),
                        List.of("*")),
                PolicyStatement.Builder.create()
                        .effect(Effect.ALLOW)
                        .actions(List.of("autoscaling:SetDesiredCapacity",
                                "autoscaling:TerminateInstanceInAutoScalingGroup"))
                        .resources(List.of("*"))
                        .conditions(Map.of("StringEquals", Map.of(
                                "aws:ResourceTag/k8s.io/cluster-autoscaler/" + props.clusterName(), "owned")))
                        .build(),
                allow(List.of("eks:DescribeNodegroup"), List.of(nodes.getAttrArn()))));
        CfnPodIdentityAssociation.Builder.create(this, "ClusterAutoscalerIdentity")
                .clusterName(cluster.getRef())
                .namespace(Services.CLUSTER_AUTOSCALER_NAMESPACE)
                .serviceAccount(Services.CLUSTER_AUTOSCALER_SERVICE_ACCOUNT)
                .roleArn(clusterAutoscalerRole.getRoleArn())
                .build();

        // ---- back-office sign-in: a Cognito user pool whose groups are the back-office roles ---------------
        // Staff accounts only: no self sign-up (an admin creates users and puts each in one group), TOTP MFA required,
        // threat protection enforced (Plus plan). One app client, the back office (a confidential client: quarkus-oidc
        // runs the authorization code flow with PKCE on the server): no implicit flow, no client credentials, no
        // password or SRP API flows, sign-in only on the hosted UI.
        backOfficeUsers = UserPool.Builder.create(this, "BackOfficeUsers")
                .userPoolName("licensing-back-office")
                .selfSignUpEnabled(false)
                .signInAliases(SignInAliases.builder().username(true).email(true).build())
                .signInCaseSensitive(false)
                .mfa(Mfa.REQUIRED)
                .mfaSecondFactor(MfaSecondFactor.builder().otp(true).sms(false).build())
                .passwordPolicy(PasswordPolicy.builder()
                        .minLength(14)
                        .requireLowercase(true)
                        .requireUppercase(true)
                        .requireDigits(true)
                        .requireSymbols(true)
                        .tempPasswordValidity(Duration.days(3))
                        .build())
                .accountRecovery(AccountRecovery.EMAIL_ONLY)
                .featurePlan(FeaturePlan.PLUS)
                .standardThreatProtectionMode(StandardThreatProtectionMode.FULL_FUNCTION)
                .deletionProtection(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        int precedence = 0;
        for (Map.Entry<String, List<String>> group : Services.BACK_OFFICE_GROUPS.entrySet()) {
            UserPoolGroup.Builder.create(this, "BackOfficeGroup" + Character.toUpperCase(group.getKey().charAt(0))
                            + group.getKey().substring(1))
                    .userPool(backOfficeUsers)
                    .groupName(group.getKey())
                    .description("API roles: " + String.join(", ", group.getValue()))
                    .precedence(precedence++)
                    .build();
        }
        backOfficeSignIn = backOfficeUsers.addDomain("BackOfficeSignIn", UserPoolDomainOptions.builder()
                .cognitoDomain(CognitoDomainOptions.builder()
                        .domainPrefix(props.authDomainPrefix() != null ? props.authDomainPrefix()
                                : "licensing-" + getAccount())
                        .build())
                .managedLoginVersion(ManagedLoginVersion.CLASSIC_HOSTED_UI)
                .build());
        backOfficeClient = backOfficeUsers.addClient("BackOfficeClient", UserPoolClientOptions.builder()
                .userPoolClientName(Services.BACK_OFFICE)
                .generateSecret(true)
                .authFlows(AuthFlow.builder().user(false).userSrp(false).userPassword(false).adminUserPassword(false)
                        .custom(false).build())
                .oAuth(OAuthSettings.builder()
                        .flows(OAuthFlows.builder().authorizationCodeGrant(true).implicitCodeGrant(false)
                                .clientCredentials(false).build())
                        .scopes(List.of(OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE))
                        .callbackUrls(props.backOfficeCallbackUrls())
                        .logoutUrls(props.backOfficeLogoutUrls())
                        .build())
                .supportedIdentityProviders(List.of(UserPoolClientIdentityProvider.COGNITO))
                .preventUserExistenceErrors(true)
                .enableTokenRevocation(true)
                .accessTokenValidity(Duration.minutes(15))
                .idTokenValidity(Duration.minutes(15))
                .refreshTokenValidity(Duration.hours(10))
                .build());

        // ---- alarms ---------------------------------------------------------------------------------------
        alarm("ReminderDlqNotEmpty", "Reminder messages in the dead-letter queue: inspect, fix, redrive "
                        + "(POST /v1/reminders/dead-letters/redrive)",
                reminderDlq.metricApproximateNumberOfMessagesVisible(fiveMinutes("Maximum")),
                0, ComparisonOperator.GREATER_THAN_THRESHOLD, 1);
        alarm("ValidatorApi5xx", "The validator's HTTP API answers 5xx",
                validatorApi.metricServerError(fiveMinutes("Sum")),
                API_5XX_PER_5_MINUTES, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 1);
        alarm("ValidatorLatencyP99", "p99 latency of the validator's HTTP API above " + VALIDATOR_P99_LATENCY_MS + " ms",
                validatorApi.metricLatency(fiveMinutes("p99")),
                VALIDATOR_P99_LATENCY_MS, ComparisonOperator.GREATER_THAN_THRESHOLD, 3);
        alarm("CatalogDbCpu", "Aurora CPU above " + DATABASE_CPU_PERCENT + "%",
                database.metricCPUUtilization(fiveMinutes("Average")),
                DATABASE_CPU_PERCENT, ComparisonOperator.GREATER_THAN_THRESHOLD, 3);

        closeDefaultEgress();
        suppressReviewedFindings(clusterRole, nodeRole, gatewayAlb, portalAlb);

        // ---- outputs: the values the prod overlay needs (see k8s/README.md) ------------------------------
        output("Region", getRegion());
        output("ClusterName", cluster.getRef());
        output("VpcCidr", vpc.getVpcCidrBlock());
        output("Namespace", Services.NAMESPACE);
        output("LicenseTableName", table.getTableName());
        output("ReminderQueueUrl", reminderQueue.getQueueUrl());
        output("ReminderDlqUrl", reminderDlq.getQueueUrl());
        output("SenderAddress", props.senderAddress());
        output("VendorFinanceEmail", props.vendorFinanceEmail());
        // The token issuer the APIs trust and the back office signs in with: the user pool unless jwtIssuer names another.
        output("JwtIssuer", props.jwtIssuer() != null ? props.jwtIssuer() : cognitoIssuer());
        output("ReceiptIssuer", props.receiptIssuer() != null ? props.receiptIssuer() : validatorApi.getApiEndpoint());
        output("EmailConfigurationSetName", emailConfigurationSet.getConfigurationSetName());
        output("DatabaseEndpoint", database.getClusterEndpoint().getHostname());
        output("DatabaseSecretArn", database.getSecret().getSecretArn());
        output("DatabaseAppSecretArn", databaseAppSecret.getSecretArn());
        output("ValidatorSecurityGroupId", validatorSg.getSecurityGroupId());
        output("IssuerSecurityGroupId", issuerSg.getSecurityGroupId());
        output("NotificationSecurityGroupId", notificationSg.getSecurityGroupId());
        output("BackOfficeSecurityGroupId", backOfficeSg.getSecurityGroupId());
        output("ValidatorRoleArn", validatorRole.getRoleArn());
        output("IssuerRoleArn", issuerRole.getRoleArn());
        output("NotificationRoleArn", notificationRole.getRoleArn());
        output("ClusterAutoscalerRoleArn", clusterAutoscalerRole.getRoleArn());
        output("ValidatorTargetGroupArn", validatorTargetGroup.getTargetGroupArn());
        output("IssuerTargetGroupArn", issuerTargetGroup.getTargetGroupArn());
        output("BackOfficeTargetGroupArn", backOfficeTargetGroup.getTargetGroupArn());
        output("BackOfficeUserPoolId", backOfficeUsers.getUserPoolId());
        output("BackOfficeClientId", backOfficeClient.getUserPoolClientId());
        output("BackOfficeSignInUrl", backOfficeSignIn.baseUrl());
        // No output carries the client secret: release.sh reads it with describe-user-pool-client into a Secret.
        imageRepositories.forEach((service, repository) ->
                output(service + "ImageRepositoryUri", repository.getRepositoryUri()));
        output("PortalLoadBalancerDns", portalAlb.getLoadBalancerDnsName());
        output("ValidatorApiUrl", stage.getUrl());
        output("AlarmTopicArn", alarmTopic.getTopicArn());
        output("EmailEventsTopicArn", emailEventsTopic.getTopicArn());
    }

    /** cdk-nag (AwsSolutions) findings reviewed and accepted; each with the reason. Everything else is fixed. */
    private void suppressReviewedFindings(Role clusterRole, Role nodeRole, ApplicationLoadBalancer gatewayAlb,
            ApplicationLoadBalancer portalAlb) {
        Nag.suppress(clusterRole, "AwsSolutions-IAM4", "EKS requires AmazonEKSClusterPolicy and, for security groups "
                + "for pods, AmazonEKSVPCResourceController on the cluster role; AWS versions them with EKS.");
        Nag.suppress(nodeRole, "AwsSolutions-IAM4", "Managed node groups require AmazonEKSWorkerNodePolicy, "
                + "AmazonEC2ContainerRegistryPullOnly and AmazonEKS_CNI_Policy on the node role; AWS versions them.");
        Nag.suppress(cloudWatchAgentRole, "AwsSolutions-IAM4", "The amazon-cloudwatch-observability add-on is "
                + "documented with CloudWatchAgentServerPolicy (PutMetricData, log streams of the Container Insights "
                + "groups, DescribeTags); AWS versions it with the agent. Only the add-on's service account assumes it.");
        Nag.suppress(lbControllerRole, "AwsSolutions-IAM5", "Only the Describe* calls the load balancer controller "
                + "needs have Resource *: those APIs support no resource-level permissions. Register/Deregister are "
                + "limited to the three target groups.");
        Nag.suppress(clusterAutoscalerRole, "AwsSolutions-IAM5", "The autoscaling/ec2 Describe* calls support no "
                + "resource-level permissions. SetDesiredCapacity/TerminateInstanceInAutoScalingGroup are limited by "
                + "the condition to groups tagged k8s.io/cluster-autoscaler/<cluster>=owned (EKS names and tags the "
                + "managed node group's ASG, so no fixed ARN exists at synth); DescribeNodegroup is on this node group.");
        Nag.suppress(database, "AwsSolutions-RDS6", "The issuer authenticates with generated passwords from "
                + "Secrets Manager over verified TLS (rds.force_ssl); the database admits only the issuer security "
                + "group. IAM tokens would need token refresh in the reactive pool for no gain here.");
        Nag.suppress(database, "AwsSolutions-SMG4", "Rotation needs a rotation Lambda with a network path to the "
                + "database, which would break 'the database admits only the issuer'. Rotation is a runbook step "
                + "(infra/README.md): rotate, update the Kubernetes secret, restart the issuer.");
        Nag.suppress(databaseAppSecret, "AwsSolutions-SMG4", "The application role's password: same reason as the "
                + "owner's secret (no rotation Lambda may reach the database); rotated by the runbook in "
                + "infra/README.md, where the issuer's migration applies the new password.");
        Nag.suppress(gatewayAlb, "AwsSolutions-ELB2", "Internal ALB reachable only from the API Gateway VPC link; "
                + "every request is access-logged at the API Gateway stage (JSON, CloudWatch Logs).");
        Nag.suppress(portalAlb, "AwsSolutions-ELB2", "Internal ALB of the portal/back office; the issuer writes an "
                + "audit event (who, what, when, from where) for every change, and VPC flow logs record connections.");
        Nag.suppress(validatorApi, "AwsSolutions-APIG4", "Installed products hold only a license key, which is the "
                + "credential and is checked by the validator; a second gateway credential cannot reach air-gapped "
                + "installs. Stage throttling and per-key rate limits in the validator bound abuse.");
    }

    /**
     * EC2 gives a security group an allow-all egress rule unless the template lists egress rules inline; CDK writes
     * rules towards other security groups as separate resources, which do not remove that default. Every group here
     * without an inline rule therefore gets the no-traffic placeholder inline, so egress is exactly the listed rules.
     */
    private void closeDefaultEgress() {
        for (SecurityGroup sg : List.of(validatorSg, issuerSg, notificationSg, backOfficeSg, databaseSg, gatewayAlbSg,
                portalAlbSg, vpcLinkSg, endpointsSg)) {
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

    private Table licenseTable() {
        var request = LicenseTable.createTableRequest(LicenseTable.DEFAULT_NAME);
        Map<String, AttributeType> types = new LinkedHashMap<>();
        request.attributeDefinitions().forEach(a -> types.put(a.attributeName(),
                switch (a.attributeType()) {
                    case S -> AttributeType.STRING;
                    case N -> AttributeType.NUMBER;
                    case B -> AttributeType.BINARY;
                    default -> throw new IllegalStateException("unknown attribute type " + a.attributeType());
                }));
        Table licenses = Table.Builder.create(this, "LicenseTable")
                .tableName(request.tableName())
                .partitionKey(attribute(LicenseTable.PK, types))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .encryption(TableEncryption.AWS_MANAGED)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .timeToLiveAttribute(LicenseTable.TTL)
                .deletionProtection(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        // The indexes exactly as license-store creates them for the tests and the local runner; every one is queried
        // (by-expiry-day by the notification service; the issuer searches its PostgreSQL read model instead).
        request.globalSecondaryIndexes().forEach(gsi -> licenses.addGlobalSecondaryIndex(
                GlobalSecondaryIndexProps.builder()
                        .indexName(gsi.indexName())
                        .partitionKey(attribute(gsi.keySchema().get(0).attributeName(), types))
                        .sortKey(attribute(gsi.keySchema().get(1).attributeName(), types))
                        .projectionType(ProjectionType.ALL)
                        .build()));
        return licenses;
    }

    private static Attribute attribute(String name, Map<String, AttributeType> types) {
        return Attribute.builder().name(name).type(types.get(name)).build();
    }

    private String indexArn(String index) {
        return table.getTableArn() + "/index/" + index;
    }

    /**
     * The {@code iss} of the user pool's tokens, also its OpenID discovery base. (The pool's ProviderURL attribute is
     * the same without the scheme.)
     */
    private String cognitoIssuer() {
        return "https://cognito-idp." + getRegion() + "." + getUrlSuffix() + "/" + backOfficeUsers.getUserPoolId();
    }

    private String configurationSetArn() {
        return formatArn(ArnComponents.builder()
                .service("ses")
                .resource("configuration-set")
                .resourceName(emailConfigurationSet.getConfigurationSetName())
                .build());
    }

    /** A log group kept on stack deletion, with the stack's retention; named when a service writes to a fixed name. */
    private LogGroup logGroup(String id, String name, LicensingStackProps props) {
        LogGroup.Builder builder = LogGroup.Builder.create(this, id)
                .retention(props.logRetention())
                .removalPolicy(RemovalPolicy.RETAIN);
        if (name != null) {
            builder.logGroupName(name);
        }
        return builder.build();
    }

    private static MetricOptions fiveMinutes(String statistic) {
        return MetricOptions.builder().period(Duration.minutes(5)).statistic(statistic).build();
    }

    private void alarm(String id, String description, IMetric metric, Number threshold, ComparisonOperator operator,
            int periods) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .alarmDescription(description)
                .metric(metric)
                .threshold(threshold)
                .comparisonOperator(operator)
                .evaluationPeriods(periods)
                .datapointsToAlarm(periods)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        alarm.addAlarmAction(new SnsAction(alarmTopic));
        alarm.addOkAction(new SnsAction(alarmTopic));
    }

    private SecurityGroup securityGroup(String id, String description) {
        return SecurityGroup.Builder.create(this, id)
                .vpc(vpc)
                .description(description)
                .allowAllOutbound(false)
                .build();
    }

    private ApplicationTargetGroup podTargetGroup(String id) {
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

    private Role serviceRole(String id, String serviceAccount, List<PolicyStatement> statements) {
        Role role = podIdentityRole(id, statements);
        CfnPodIdentityAssociation.Builder.create(this, id.replace("Role", "Identity"))
                .clusterName(cluster.getRef())
                .namespace(Services.NAMESPACE)
                .serviceAccount(serviceAccount)
                .roleArn(role.getRoleArn())
                .build();
        return role;
    }

    private Role podIdentityRole(String id, List<PolicyStatement> statements) {
        IPrincipal pods = new SessionTagsPrincipal(new ServicePrincipal("pods.eks.amazonaws.com"));
        return Role.Builder.create(this, id)
                .assumedBy(pods)
                .inlinePolicies(Map.of("access", PolicyDocument.Builder.create().statements(statements).build()))
                .build();
    }

    private static PolicyStatement allow(List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create().effect(Effect.ALLOW).actions(actions).resources(resources).build();
    }

    private void output(String id, String value) {
        CfnOutput.Builder.create(this, id).value(value).build();
    }

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

    public Vpc vpc() { return vpc; }
    public Table table() { return table; }
    public CfnCluster cluster() { return cluster; }
    public HttpApi validatorApi() { return validatorApi; }
    public DatabaseCluster database() { return database; }
}
