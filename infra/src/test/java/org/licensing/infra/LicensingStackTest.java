package org.licensing.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.licensing.store.LicenseTable;
import org.licensing.store.ReminderQueues;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** Template assertions for every rule of the deployment. The app is synthesized once for the class. */
class LicensingStackTest {

    private static LicensingStack stack;
    private static Template template;
    private static Map<String, Map<String, Object>> resources;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void synthesize() {
        stack = TestApps.stack();
        template = TestApps.template();
        resources = (Map<String, Map<String, Object>>) (Map<?, ?>) template.toJSON().get("Resources");
    }

    // ---- synthesis ------------------------------------------------------------------------------------------

    @Test
    void synthesisEmitsNoWarningsOrErrors() {
        Annotations.fromStack(stack).hasNoWarning("*", Match.anyValue());
        Annotations.fromStack(stack).hasNoError("*", Match.anyValue());
    }

    @Test
    void noLambdaNoDockerAssetsNoLookups() {
        template.resourceCountIs("AWS::Lambda::Function", 0);
        template.resourceCountIs("AWS::CloudFormation::CustomResource", 0);
        assertTrue(resources.values().stream().noneMatch(r -> r.get("Type").toString().startsWith("Custom::")));
        // environment-agnostic: the region and account stay pseudo parameters
        assertTrue(stack.getRegion().startsWith("${Token["));
    }

    // ---- network --------------------------------------------------------------------------------------------

    @Test
    void vpcSpansTwoAzsWithPublicPrivateAndIsolatedSubnets() {
        Map<String, Integer> byType = new java.util.TreeMap<>();
        Set<Object> azs = new java.util.HashSet<>();
        template.findResources("AWS::EC2::Subnet").values().forEach(r -> {
            Map<String, Object> props = props(r);
            azs.add(props.get("AvailabilityZone"));
            for (Object tag : (List<?>) props.get("Tags")) {
                Map<?, ?> t = (Map<?, ?>) tag;
                if ("aws-cdk:subnet-type".equals(t.get("Key"))) {
                    byType.merge(t.get("Value").toString(), 1, Integer::sum);
                }
            }
        });
        assertEquals(Map.of("Isolated", 2, "Private", 2, "Public", 2), byType);
        assertEquals(2, azs.size());
        template.resourceCountIs("AWS::EC2::NatGateway", 2);
        template.hasResourceProperties("AWS::EC2::FlowLog", Match.objectLike(Map.of("TrafficType", "ALL")));
    }

    @Test
    void gatewayAndInterfaceEndpointsLetPodsReachAwsWithoutTheInternet() {
        Set<String> gateway = new TreeSet<>();
        Set<String> iface = new TreeSet<>();
        template.findResources("AWS::EC2::VPCEndpoint").values().forEach(r -> {
            Map<String, Object> p = props(r);
            String name = serviceSuffix(p.get("ServiceName"));
            if ("Interface".equals(p.get("VpcEndpointType"))) {
                iface.add(name);
                assertEquals(true, p.get("PrivateDnsEnabled"));
                // the notification service's endpoints in their own group; the nodes' in theirs
                String group = Set.of(".sqs", ".email").contains(name) ? "MessagingEndpointsSg" : "EndpointsSg";
                assertEquals(List.of(Map.of("Fn::GetAtt", List.of(logicalId(group), "GroupId"))),
                        p.get("SecurityGroupIds"), name);
            } else {
                gateway.add(name);
            }
        });
        assertEquals(Set.of(".dynamodb", ".s3"), gateway);
        assertEquals(Set.of(".sqs", ".email", ".ecr.api", ".ecr.dkr", ".sts", ".logs", ".eks-auth", ".eks"), iface);
    }

    // ---- security groups ------------------------------------------------------------------------------------

    @Test
    void serviceSecurityGroupsAdmitOnlyTheirCallers() {
        String cluster = "Cluster.ClusterSecurityGroupId";
        // Every pod admits the nodes (kubelet probes) and the Prometheus collector (/q/metrics) on the management
        // port only; the API port 8080 only from its callers: a load balancer, the back office.
        String metrics = "MetricsCollectorSg";
        Set<String> management = Set.of(rule(cluster, "tcp", 9000), rule(metrics, "tcp", 9000));
        assertEquals(union(management, rule("GatewayAlbSg", "tcp", 8080), rule("GatewayAlbSg", "tcp", 9000)),
                ingress("ValidatorSg"));
        assertEquals(union(management, rule("PortalAlbSg", "tcp", 8080), rule("PortalAlbSg", "tcp", 9000),
                rule("BackOfficeSg", "tcp", 8080)), ingress("IssuerSg"));
        // notification-service: the back office
        assertEquals(union(management, rule("BackOfficeSg", "tcp", 8080)), ingress("NotificationSg"));
        // the back office: only through the portal ALB (its host rule)
        assertEquals(union(management, rule("PortalAlbSg", "tcp", 8080), rule("PortalAlbSg", "tcp", 9000)),
                ingress("BackOfficeSg"));
        // the webhook deliverer: nobody calls it
        assertEquals(management, ingress("WebhookDelivererSg"));
        // the nodes reach no pod's API port
        for (String pods : List.of("ValidatorSg", "IssuerSg", "NotificationSg", "BackOfficeSg", "WebhookDelivererSg")) {
            assertFalse(ingress(pods).contains(rule(cluster, "tcp", 8080)), pods);
        }
        assertEquals(Set.of(rule("ApiVpcLinkSg", "tcp", 80)), ingress("GatewayAlbSg"));
        // HTTPS only, and only from the configured client range (a VPN, not the whole VPC)
        assertEquals(Set.of(rule("cidr:" + TestApps.PORTAL_CLIENT_CIDR, "tcp", 443)), ingress("PortalAlbSg"));
        assertEquals(Set.of(), ingress("ApiVpcLinkSg"));
        // interface endpoints: each group only from who calls it (the validator and the issuer call none)
        assertEquals(Set.of(rule(cluster, "tcp", 443)), ingress("EndpointsSg"));
        assertEquals(Set.of(rule("NotificationSg", "tcp", 443)), ingress("MessagingEndpointsSg"));
    }

    @Test
    void databaseAdmitsOnlyTheIssuerAndTheWebhookDelivererOn5432() {
        assertEquals(Set.of(rule("IssuerSg", "tcp", 5432), rule("WebhookDelivererSg", "tcp", 5432)),
                ingress("DatabaseSg"));
        template.hasResourceProperties("AWS::EC2::SecurityGroupIngress", Match.objectEquals(Map.of(
                "Description", "issuer to Aurora PostgreSQL",
                "IpProtocol", "tcp",
                "FromPort", 5432,
                "ToPort", 5432,
                "GroupId", Map.of("Fn::GetAtt", List.of(logicalId("DatabaseSg"), "GroupId")),
                "SourceSecurityGroupId", Map.of("Fn::GetAtt", List.of(logicalId("IssuerSg"), "GroupId")))));
        template.hasResourceProperties("AWS::RDS::DBCluster", Match.objectLike(Map.of(
                "VpcSecurityGroupIds", List.of(Map.of("Fn::GetAtt", List.of(logicalId("DatabaseSg"), "GroupId"))))));
    }

    @Test
    void egressOnlyToWhatEachServiceCalls() {
        String cluster = "Cluster.ClusterSecurityGroupId";
        Set<String> common = Set.of(rule("pl:DynamoDbPrefixListId", "tcp", 443),
                rule(cluster, "tcp", 53), rule(cluster, "udp", 53), rule("cidr:169.254.170.23/32", "tcp", 80));
        assertEquals(common, egress("ValidatorSg"));
        Set<String> notification = new TreeSet<>(common);
        notification.add(rule("MessagingEndpointsSg", "tcp", 443));
        assertEquals(notification, egress("NotificationSg"));
        Set<String> issuer = new TreeSet<>(common);
        issuer.add(rule("DatabaseSg", "tcp", 5432));
        assertEquals(issuer, egress("IssuerSg"));
        // the load balancers: their targets' API port and, for the health checks, their management port
        assertEquals(Set.of(rule("ValidatorSg", "tcp", 8080), rule("ValidatorSg", "tcp", 9000)), egress("GatewayAlbSg"));
        assertEquals(Set.of(rule("IssuerSg", "tcp", 8080), rule("BackOfficeSg", "tcp", 8080),
                rule("IssuerSg", "tcp", 9000), rule("BackOfficeSg", "tcp", 9000)), egress("PortalAlbSg"));
        // the webhook deliverer: webhook endpoints (public HTTPS; DynamoDB's gateway endpoint for its readiness check
        // is among those addresses), PostgreSQL, DNS, the Pod Identity agent; nothing else of the VPC
        assertEquals(Set.of(rule("cidr:0.0.0.0/0", "tcp", 443), rule("DatabaseSg", "tcp", 5432),
                rule(cluster, "tcp", 53), rule(cluster, "udp", 53), rule("cidr:169.254.170.23/32", "tcp", 80)),
                egress("WebhookDelivererSg"));
        // the back office: the two APIs, DNS, and the OpenID provider (Cognito's public endpoints) on 443; no AWS API,
        // no DynamoDB, no Pod Identity agent (it has no role)
        assertEquals(Set.of(rule("IssuerSg", "tcp", 8080), rule("NotificationSg", "tcp", 8080),
                rule("cidr:0.0.0.0/0", "tcp", 443), rule(cluster, "tcp", 53), rule(cluster, "udp", 53)),
                egress("BackOfficeSg"));
        assertEquals(Set.of(rule("GatewayAlbSg", "tcp", 80)), egress("ApiVpcLinkSg"));
        assertEquals(Set.of(), egress("DatabaseSg"));
        assertEquals(Set.of(), egress("EndpointsSg"));
        assertEquals(Set.of(), egress("MessagingEndpointsSg"));
    }

    @Test
    void nothingIsOpenToTheInternet() {
        for (var e : resources.entrySet()) {
            String type = e.getValue().get("Type").toString();
            if (type.equals("AWS::EC2::SecurityGroup")) {
                Map<String, Object> p = props(e.getValue());
                String rules = String.valueOf(p.get("SecurityGroupIngress"));
                assertFalse(rules.contains("0.0.0.0/0") || rules.contains("::/0"), e.getKey() + " " + rules);
                // inline egress present, so EC2's default allow-all egress rule is removed
                assertTrue(p.get("SecurityGroupEgress") instanceof List<?> l && !l.isEmpty(), e.getKey());
                // out to the internet only the back office (its sign-in at Cognito) and the webhook deliverer (the
                // customers' endpoints), only HTTPS (checked above); never the issuer
                if (!e.getKey().equals(logicalId("BackOfficeSg")) && !e.getKey().equals(logicalId("WebhookDelivererSg"))) {
                    assertFalse(String.valueOf(p.get("SecurityGroupEgress")).contains("0.0.0.0/0"), e.getKey());
                }
            }
            if (type.equals("AWS::EC2::SecurityGroupIngress")) {
                String p = String.valueOf(props(e.getValue()));
                assertFalse(p.contains("0.0.0.0/0") || p.contains("::/0"), e.getKey());
            }
        }
        template.allResourcesProperties("AWS::ElasticLoadBalancingV2::LoadBalancer",
                Match.objectLike(Map.of("Scheme", "internal")));
        template.hasResourceProperties("AWS::EKS::Cluster", Match.objectLike(Map.of("ResourcesVpcConfig",
                Match.objectLike(Map.of("EndpointPrivateAccess", true, "EndpointPublicAccess", false)))));
    }

    // ---- data -----------------------------------------------------------------------------------------------

    @Test
    void licenseTableMatchesTheSharedDefinition() {
        template.hasResourceProperties("AWS::DynamoDB::Table", Match.objectLike(Map.of(
                "TableName", LicenseTable.DEFAULT_NAME,
                "BillingMode", "PAY_PER_REQUEST",
                "KeySchema", List.of(Map.of("AttributeName", LicenseTable.PK, "KeyType", "HASH")),
                // the indexes code queries: the notification service's daily run, and the issuer's import of the
                // services' pending events (sparse); the issuer's search moved to PostgreSQL and by-customer /
                // by-product went with it
                "GlobalSecondaryIndexes", List.of(
                        gsi(LicenseTable.BY_EXPIRY_DAY_INDEX, LicenseTable.EXPIRY_DAY, LicenseTable.EXPIRES_AT),
                        gsi(LicenseTable.BY_PENDING_EVENTS_INDEX, LicenseTable.OUTBOX_SHARD,
                                LicenseTable.OUTBOX_SINCE)),
                "AttributeDefinitions", Match.arrayWith(List.of(
                        Map.of("AttributeName", LicenseTable.PK, "AttributeType", "S"),
                        Map.of("AttributeName", LicenseTable.EXPIRY_DAY, "AttributeType", "S"))),
                "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                "SSESpecification", Map.of("SSEEnabled", true),
                "TimeToLiveSpecification", Map.of("AttributeName", LicenseTable.TTL, "Enabled", true),
                "DeletionProtectionEnabled", true)));
        List<?> indexes = (List<?>) props(template.findResources("AWS::DynamoDB::Table").values().iterator().next())
                .get("GlobalSecondaryIndexes");
        assertEquals(2, indexes.size());
        template.hasResource("AWS::DynamoDB::Table", Match.objectLike(Map.of("DeletionPolicy", "Retain")));
    }

    @Test
    void reminderQueueRedrivesToTheDlq() {
        template.hasResourceProperties("AWS::SQS::Queue", Match.objectLike(Map.of(
                "QueueName", ReminderQueues.DEFAULT_QUEUE,
                "VisibilityTimeout", ReminderQueues.VISIBILITY_TIMEOUT_SECONDS,
                "SqsManagedSseEnabled", true,
                "RedrivePolicy", Map.of(
                        "deadLetterTargetArn", Map.of("Fn::GetAtt", List.of(logicalId("ReminderDlq"), "Arn")),
                        "maxReceiveCount", ReminderQueues.MAX_RECEIVE_COUNT))));
        template.hasResourceProperties("AWS::SQS::Queue", Match.objectLike(Map.of(
                "QueueName", ReminderQueues.DEFAULT_DEAD_LETTER_QUEUE,
                "MessageRetentionPeriod", ReminderQueues.DEAD_LETTER_RETENTION_SECONDS,
                "SqsManagedSseEnabled", true)));
        // the DLQ admits exactly the reminder queue as a source (denyAll would refuse its redrive policy); the ARN
        // is built from the queue's name, since a reference to the queue would be circular
        template.hasResourceProperties("AWS::SQS::Queue", Match.objectLike(Map.of(
                "QueueName", ReminderQueues.DEFAULT_DEAD_LETTER_QUEUE,
                "RedriveAllowPolicy", Map.of(
                        "redrivePermission", "byQueue",
                        "sourceQueueArns", List.of(Map.of("Fn::Join", List.of("", List.of("arn:",
                                Map.of("Ref", "AWS::Partition"), ":sqs:", Map.of("Ref", "AWS::Region"), ":",
                                Map.of("Ref", "AWS::AccountId"), ":" + ReminderQueues.DEFAULT_QUEUE))))))));
        // TLS only on both queues
        template.resourcePropertiesCountIs("AWS::SQS::QueuePolicy", Match.objectLike(Map.of("PolicyDocument",
                Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))), 2);
    }

    @Test
    void sesIdentityAndAuroraServerlessWithSecret() {
        template.hasResourceProperties("AWS::SES::EmailIdentity",
                Match.objectLike(Map.of("EmailIdentity", TestApps.SENDER_DOMAIN)));
        template.hasResourceProperties("AWS::RDS::DBCluster", Match.objectLike(Map.of(
                "Engine", "aurora-postgresql",
                "StorageEncrypted", true,
                "DeletionProtection", true,
                "Port", 5432,
                "ServerlessV2ScalingConfiguration", Map.of("MinCapacity", 0.5, "MaxCapacity", 4),
                "DBSubnetGroupName", Match.anyValue())));
        Object password = props(template.findResources("AWS::RDS::DBCluster").values().iterator().next())
                .get("MasterUserPassword");
        assertTrue(String.valueOf(password).contains(":SecretString:password::}}"), String.valueOf(password));
        template.allResourcesProperties("AWS::RDS::DBInstance",
                Match.objectLike(Map.of("DBInstanceClass", "db.serverless", "PubliclyAccessible", false)));
        // the owner (master user, runs the migrations) and the application role
        template.resourceCountIs("AWS::SecretsManager::Secret", 2);
    }

    @Test
    void databaseHasAnOwnerAndAnApplicationRoleSecretAndForcesTls() {
        template.hasResourceProperties("AWS::SecretsManager::Secret", Match.objectLike(Map.of("GenerateSecretString",
                Match.objectLike(Map.of("SecretStringTemplate", "{\"username\":\"" + Services.DB_OWNER + "\"}")))));
        template.hasResourceProperties("AWS::SecretsManager::Secret", Match.objectLike(Map.of("GenerateSecretString",
                Match.objectLike(Map.of(
                        "SecretStringTemplate", "{\"username\":\"" + Services.DB_APP_USER + "\",\"dbname\":\""
                                + Services.DB_NAME + "\"}")))));
        // the password lands in a SQL literal of the issuer's migration: no quote, backslash, $ or blank
        String excluded = String.valueOf(((Map<?, ?>) props(resources.get(logicalId("DatabaseAppSecret")))
                .get("GenerateSecretString")).get("ExcludeCharacters"));
        for (String c : List.of("'", "\\", "$", "\"", " ")) {
            assertTrue(excluded.contains(c), "app password may contain " + c);
        }
        // the app secret carries host and port like the owner's (SecretTargetAttachment)
        template.hasResourceProperties("AWS::SecretsManager::SecretTargetAttachment", Match.objectLike(Map.of(
                "SecretId", Map.of("Ref", logicalId("DatabaseAppSecret")),
                "TargetType", "AWS::RDS::DBCluster")));
        template.hasResourceProperties("AWS::RDS::DBClusterParameterGroup", Match.objectLike(Map.of(
                "Family", "aurora-postgresql16",
                "Parameters", Map.of("rds.force_ssl", "1"))));
        template.hasOutput("DatabaseAppSecretArn", Match.objectLike(Map.of("Value",
                Map.of("Ref", logicalId("DatabaseAppSecret")))));
    }

    // ---- IAM ------------------------------------------------------------------------------------------------

    @Test
    void validatorRoleGetsAndUpdatesTheTableOnly() {
        assertEquals(List.of(statement(List.of("dynamodb:GetItem", "dynamodb:UpdateItem"), tableArn())),
                statementsOf("ValidatorRole"));
    }

    @Test
    void issuerRoleHasItsTableActionsOnTableAndQueriesOnlyThePendingEventsIndex() {
        // DescribeTable: the readiness check; DeleteItem: releasing an Idempotency-Key claim; Scan: the read-model
        // rebuild (an operator's command); Query only on the sparse pending-events index (the event import): search
        // reads the PostgreSQL read model.
        assertEquals(List.of(statement(List.of("dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem",
                        "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Scan"), tableArn()),
                        statement(List.of("dynamodb:Query"), indexArn(LicenseTable.BY_PENDING_EVENTS_INDEX))),
                statementsOf("IssuerRole"));
    }

    @Test
    void webhookDelivererRoleOnlyDescribesTheTable() {
        // the readiness check (the issuer's BackendsReadiness); deliveries themselves are PostgreSQL only, and the
        // deliverer runs no reconciler (k8s: LICENSING_READ_MODEL_RECONCILE_EVERY=off)
        assertEquals(List.of(statement(List.of("dynamodb:DescribeTable"), tableArn())),
                statementsOf("WebhookDelivererRole"));
        template.hasOutput("WebhookDelivererRoleArn", Match.anyValue());
        template.hasOutput("WebhookDelivererSecurityGroupId", Match.anyValue());
    }

    @Test
    void notificationRoleQueriesTheExpiryIndexUsesItsQueuesAndSendsFromTheIdentity() {
        Object queue = Map.of("Fn::GetAtt", List.of(logicalId("ReminderQueue"), "Arn"));
        Object dlq = Map.of("Fn::GetAtt", List.of(logicalId("ReminderDlq"), "Arn"));
        Map<String, Object> ses = new java.util.LinkedHashMap<>(statement(List.of("ses:SendEmail"), List.of(
                sesArn("identity/", logicalId("SenderIdentity")),
                sesArn("configuration-set/", logicalId("EmailConfigurationSet")))));
        ses.put("Condition", Map.of("StringEquals", Map.of("ses:FromAddress", TestApps.SENDER_ADDRESS)));
        // No PutItem (the ledger writes with conditional UpdateItem), no SendMessage on the DLQ and no message-move
        // task (the redrive receives from the DLQ, sends to the queue, deletes from the DLQ), GetQueueAttributes
        // only on the DLQ (its depth).
        assertEquals(List.of(
                        statement(List.of("dynamodb:GetItem", "dynamodb:UpdateItem"), tableArn()),
                        statement(List.of("dynamodb:Query"), indexArn(LicenseTable.BY_EXPIRY_DAY_INDEX)),
                        statement(List.of("sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage",
                                "sqs:ChangeMessageVisibility"), queue),
                        statement(List.of("sqs:GetQueueAttributes", "sqs:ReceiveMessage", "sqs:DeleteMessage"), dlq),
                        ses),
                statementsOf("NotificationRole"));
    }

    @Test
    void clusterAutoscalerChangesOnlyThisClustersGroups() {
        Map<String, Object> scale = new java.util.LinkedHashMap<>(statement(List.of("autoscaling:SetDesiredCapacity",
                "autoscaling:TerminateInstanceInAutoScalingGroup"), "*"));
        scale.put("Condition", Map.of("StringEquals", Map.of(
                "aws:ResourceTag/k8s.io/cluster-autoscaler/licensing", "owned")));
        assertEquals(List.of(
                        statement(List.of("autoscaling:DescribeAutoScalingGroups",
                                "autoscaling:DescribeAutoScalingInstances", "autoscaling:DescribeLaunchConfigurations",
                                "autoscaling:DescribeScalingActivities", "autoscaling:DescribeTags",
                                "ec2:DescribeImages", "ec2:DescribeInstanceTypes", "ec2:DescribeLaunchTemplateVersions",
                                "ec2:GetInstanceTypesFromInstanceRequirements"), "*"),
                        scale,
                        statement(List.of("eks:DescribeNodegroup"), Map.of("Fn::GetAtt", List.of("ServiceNodes", "Arn")))),
                statementsOf("ClusterAutoscalerRole"));
        template.hasResourceProperties("AWS::EKS::PodIdentityAssociation", Match.objectLike(Map.of(
                "Namespace", "kube-system",
                "ServiceAccount", "cluster-autoscaler",
                "RoleArn", Map.of("Fn::GetAtt", List.of(logicalId("ClusterAutoscalerRole"), "Arn")))));
        // the node group the autoscaler moves between min and max, tagged for auto-discovery
        template.hasResourceProperties("AWS::EKS::Nodegroup", Match.objectLike(Map.of(
                "ScalingConfig", Map.of("MinSize", 2, "DesiredSize", 2, "MaxSize", 6),
                "Tags", Match.objectLike(Map.of("k8s.io/cluster-autoscaler/enabled", "true",
                        "k8s.io/cluster-autoscaler/licensing", "owned")))));
        template.hasOutput("ClusterAutoscalerRoleArn", Match.anyValue());
    }

    @Test
    void serviceRolesAreAssumedOnlyThroughPodIdentityBySomeServiceAccount() {
        for (String[] binding : new String[][] {{"ValidatorRole", Services.VALIDATOR},
                {"IssuerRole", Services.ISSUER}, {"NotificationRole", Services.NOTIFICATION},
                {"WebhookDelivererRole", Services.WEBHOOK_DELIVERER}}) {
            Map<String, Object> role = props(resources.get(logicalId(binding[0])));
            assertEquals(Map.of("Version", "2012-10-17", "Statement", List.of(Map.of(
                            "Action", List.of("sts:AssumeRole", "sts:TagSession"),
                            "Effect", "Allow",
                            "Principal", Map.of("Service", "pods.eks.amazonaws.com")))),
                    role.get("AssumeRolePolicyDocument"));
            assertFalse(role.containsKey("ManagedPolicyArns"), binding[0]);
            template.hasResourceProperties("AWS::EKS::PodIdentityAssociation", Match.objectEquals(Map.of(
                    "ClusterName", Map.of("Ref", "Cluster"),
                    "Namespace", Services.NAMESPACE,
                    "ServiceAccount", binding[1],
                    "RoleArn", Map.of("Fn::GetAtt", List.of(logicalId(binding[0]), "Arn")),
                    "Tags", Match.anyValue())));
        }
        // no other policy is attached to any service role: no IAM policy or managed policy names one of them
        Set<Object> serviceRoles = Set.of(Map.of("Ref", logicalId("ValidatorRole")),
                Map.of("Ref", logicalId("IssuerRole")), Map.of("Ref", logicalId("NotificationRole")),
                Map.of("Ref", logicalId("WebhookDelivererRole")));
        for (var e : resources.entrySet()) {
            String type = e.getValue().get("Type").toString();
            if (type.equals("AWS::IAM::Policy") || type.equals("AWS::IAM::ManagedPolicy")) {
                Object roles = props(e.getValue()).getOrDefault("Roles", List.of());
                for (Object role : (List<?>) roles) {
                    assertFalse(serviceRoles.contains(role), e.getKey() + " is attached to " + role);
                }
            }
        }
        // every role pods may assume is one of these or a platform role; the back office has none (no AWS calls)
        Set<String> podRoles = new TreeSet<>();
        template.findResources("AWS::IAM::Role").forEach((id, r) -> {
            if (String.valueOf(props(r).get("AssumeRolePolicyDocument")).contains("pods.eks.amazonaws.com")) {
                podRoles.add(id.substring(0, id.length() - 8));
            }
        });
        assertEquals(Set.of("ValidatorRole", "IssuerRole", "NotificationRole", "WebhookDelivererRole", "LbControllerRole",
                "ClusterAutoscalerRole", "CloudWatchAgentRole", "VpcCniRole"), podRoles);
        template.findResources("AWS::EKS::PodIdentityAssociation").values().forEach(a ->
                assertFalse(Services.BACK_OFFICE.equals(props(a).get("ServiceAccount")), "back office has no role"));
    }

    // ---- EKS and the gateway --------------------------------------------------------------------------------

    @Test
    void eksClusterWithPodSecurityGroupsAndPodIdentity() {
        template.hasResourceProperties("AWS::EKS::Cluster", Match.objectLike(Map.of(
                "AccessConfig", Map.of("AuthenticationMode", "API", "BootstrapClusterCreatorAdminPermissions", false),
                "Logging", Map.of("ClusterLogging", Map.of("EnabledTypes", List.of(Map.of("Type", "api"),
                        Map.of("Type", "audit"), Map.of("Type", "authenticator"),
                        Map.of("Type", "controllerManager"), Map.of("Type", "scheduler")))))));
        template.hasResourceProperties("AWS::EKS::Addon", Match.objectLike(Map.of(
                "AddonName", "vpc-cni",
                "ConfigurationValues", Match.serializedJson(Match.objectLike(Map.of(
                        "enableNetworkPolicy", "true",
                        "env", Map.of("ENABLE_POD_ENI", "true", "POD_SECURITY_GROUP_ENFORCING_MODE", "standard")))))));
        template.hasResourceProperties("AWS::EKS::Addon", Match.objectLike(Map.of("AddonName", "eks-pod-identity-agent")));
        template.hasResourceProperties("AWS::EKS::Nodegroup", Match.objectLike(Map.of(
                "InstanceTypes", List.of("m6i.large"),
                "ScalingConfig", Map.of("MinSize", 2, "DesiredSize", 2, "MaxSize", 6))));
        template.hasResourceProperties("AWS::IAM::Role", Match.objectLike(Map.of("ManagedPolicyArns",
                Match.arrayWith(List.of(Match.objectLike(Map.of("Fn::Join", Match.arrayWith(List.of(Match.arrayWith(
                        List.of(":iam::aws:policy/AmazonEKSVPCResourceController")))))))))));
    }

    @Test
    void theClusterCreatorIsNoAdminTheConfiguredPrincipalIs() {
        template.hasResourceProperties("AWS::EKS::Cluster", Match.objectLike(Map.of("AccessConfig",
                Map.of("AuthenticationMode", "API", "BootstrapClusterCreatorAdminPermissions", false))));
        // the admins, and the Prometheus collector (no access policy: the prod overlay's read-only ClusterRole)
        template.resourceCountIs("AWS::EKS::AccessEntry", 2);
        template.hasResourceProperties("AWS::EKS::AccessEntry", Match.objectLike(Map.of(
                "Username", "aps-collector-user", "AccessPolicies", Match.absent())));
        template.hasResourceProperties("AWS::EKS::AccessEntry", Match.objectEquals(Map.of(
                "ClusterName", Map.of("Ref", "Cluster"),
                "PrincipalArn", TestApps.CLUSTER_ADMIN_ARN,
                "AccessPolicies", List.of(Map.of(
                        "AccessScope", Map.of("Type", "cluster"),
                        "PolicyArn", Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"),
                                ":eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"))))),
                "Tags", Match.anyValue())));
    }

    @Test
    void podTrafficLeavingTheVpcIsJudgedByThePodSecurityGroup() {
        // External SNAT: the CNI does not translate pod traffic to the node's address, so the branch ENI (pod SG:
        // DynamoDB prefix list, endpoints SG) carries it and the NAT gateway translates what goes to the internet.
        template.hasResourceProperties("AWS::EKS::Addon", Match.objectLike(Map.of(
                "AddonName", "vpc-cni",
                "ConfigurationValues", Match.serializedJson(Match.objectLike(Map.of(
                        "env", Match.objectEquals(Map.of(
                                "ENABLE_POD_ENI", "true",
                                "POD_SECURITY_GROUP_ENFORCING_MODE", "standard",
                                "AWS_VPC_K8S_CNI_EXTERNALSNAT", "true"))))))));
        // the private subnets route to the NAT gateways, which translate for the pods
        template.resourcePropertiesCountIs("AWS::EC2::Route", Match.objectLike(Map.of(
                "DestinationCidrBlock", "0.0.0.0/0", "NatGatewayId", Match.anyValue())), 2);
    }

    @Test
    void metricsServerCloudWatchObservabilityAndTheAutoscalerComeWithTheCluster() {
        template.hasResource("AWS::EKS::Addon", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of("AddonName", "metrics-server", "ClusterName", Map.of("Ref", "Cluster"))),
                "DependsOn", List.of("ServiceNodes"))));
        template.hasResourceProperties("AWS::EKS::Addon", Match.objectLike(Map.of(
                "AddonName", "amazon-cloudwatch-observability",
                "PodIdentityAssociations", List.of(Map.of(
                        "ServiceAccount", Services.CLOUDWATCH_AGENT_SERVICE_ACCOUNT,
                        "RoleArn", Map.of("Fn::GetAtt", List.of(logicalId("CloudWatchAgentRole"), "Arn")))))));
        Map<String, Object> agent = props(resources.get(logicalId("CloudWatchAgentRole")));
        assertEquals(List.of(Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"),
                ":iam::aws:policy/CloudWatchAgentServerPolicy")))), agent.get("ManagedPolicyArns"));
        assertEquals(Map.of("Version", "2012-10-17", "Statement", List.of(Map.of(
                        "Action", List.of("sts:AssumeRole", "sts:TagSession"), "Effect", "Allow",
                        "Principal", Map.of("Service", "pods.eks.amazonaws.com")))),
                agent.get("AssumeRolePolicyDocument"));
    }

    @Test
    void everyLogGroupHasARetentionAndTheServiceWrittenOnesExistFirst() {
        template.allResourcesProperties("AWS::Logs::LogGroup", Match.objectLike(Map.of("RetentionInDays", 365)));
        Set<Object> named = new TreeSet<>();
        template.findResources("AWS::Logs::LogGroup").values().forEach(r -> {
            Object name = props(r).get("LogGroupName");
            if (name instanceof String fixed) {
                named.add(fixed);
            }
        });
        // the REST API's execution log group, named after the API's id
        template.hasResourceProperties("AWS::Logs::LogGroup", Match.objectLike(Map.of("LogGroupName",
                Map.of("Fn::Join", List.of("", List.of("API-Gateway-Execution-Logs_",
                        Map.of("Ref", logicalId("ValidatorApi")), "/live"))))));
        template.hasResource("AWS::ApiGateway::Stage", Match.objectLike(Map.of(
                "DependsOn", Match.arrayWith(List.of(logicalId("ValidatorApiExecutionLogs"))))));
        assertEquals(Set.of("/aws/eks/licensing/cluster", "/aws/rds/cluster/licensing-catalog/postgresql",
                "/aws/containerinsights/licensing/application", "/aws/containerinsights/licensing/dataplane",
                "/aws/containerinsights/licensing/host", "/aws/containerinsights/licensing/performance"), named);
        // flow logs and API access logs (CDK-named), the API's execution logs, plus the six above
        template.resourceCountIs("AWS::Logs::LogGroup", 9);
        // created before the service that would otherwise create them without a retention
        template.hasResource("AWS::EKS::Cluster", Match.objectLike(Map.of("DependsOn",
                Match.arrayWith(List.of(logicalId("ClusterLogs"))))));
        template.hasResource("AWS::RDS::DBCluster", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of("DBClusterIdentifier", "licensing-catalog",
                        "EnableCloudwatchLogsExports", List.of("postgresql"))),
                "DependsOn", Match.arrayWith(List.of(logicalId("CatalogDbLogs"))))));
        template.hasResource("AWS::EKS::Addon", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of("AddonName", "amazon-cloudwatch-observability")),
                "DependsOn", Match.arrayWith(List.of(logicalId("ContainerInsightsApplication"),
                        logicalId("ContainerInsightsDataplane"), logicalId("ContainerInsightsHost"),
                        logicalId("ContainerInsightsPerformance"))))));
        template.hasResourceProperties("AWS::EKS::Cluster", Match.objectLike(Map.of("Name", "licensing")));
    }

    @Test
    void alarmsGoToAnEncryptedTopicWithTheOnCallSubscription() {
        Object topic = Map.of("Ref", logicalId("AlarmTopic"));
        template.hasResourceProperties("AWS::SNS::Topic", Match.objectLike(Map.of(
                "DisplayName", "Licensing platform alarms",
                "KmsMasterKeyId", Map.of("Fn::GetAtt", List.of(logicalId("OperationsKey"), "Arn")))));
        template.hasResourceProperties("AWS::SNS::Subscription", Match.objectEquals(Map.of(
                "Protocol", "email", "Endpoint", TestApps.ALARM_EMAIL, "TopicArn", topic)));
        // CloudWatch (alarm actions) and SES (event destination) may use the key to publish to the topics
        template.hasResourceProperties("AWS::KMS::Key", Match.objectLike(Map.of("EnableKeyRotation", true,
                "KeyPolicy", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Principal", Map.of("Service", "cloudwatch.amazonaws.com"),
                                "Action", List.of("kms:Decrypt", "kms:GenerateDataKey*"))),
                        Match.objectLike(Map.of("Principal", Map.of("Service", "ses.amazonaws.com"),
                                "Action", List.of("kms:Decrypt", "kms:GenerateDataKey*"),
                                "Condition", Map.of("StringEquals", Map.of("aws:SourceAccount",
                                        Map.of("Ref", "AWS::AccountId"))))))))))));
        template.resourceCountIs("AWS::CloudWatch::Alarm", 13);
        alarm("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName",
                Map.of("Fn::GetAtt", List.of(logicalId("ReminderDlq"), "QueueName")),
                Map.of("Statistic", "Maximum", "Threshold", 0, "ComparisonOperator", "GreaterThanThreshold"));
        alarm("AWS/ApiGateway", "5XXError", "ApiName", "license-validator",
                Map.of("Statistic", "Sum", "Threshold", 5, "ComparisonOperator", "GreaterThanOrEqualToThreshold"));
        alarm("AWS/ApiGateway", "Latency", "ApiName", "license-validator",
                Map.of("ExtendedStatistic", "p99", "Threshold", 1000, "ComparisonOperator", "GreaterThanThreshold",
                        "EvaluationPeriods", 3));
        alarm("AWS/RDS", "CPUUtilization", "DBClusterIdentifier", Map.of("Ref", logicalId("CatalogDb")),
                Map.of("Statistic", "Average", "Threshold", 80, "ComparisonOperator", "GreaterThanThreshold",
                        "EvaluationPeriods", 3));
        template.allResourcesProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "AlarmActions", List.of(topic), "OKActions", List.of(topic))));
        // each service down: no healthy target for 3 minutes (no data counts as down)
        for (String targetGroup : List.of("ValidatorTargetGroup", "IssuerTargetGroup", "BackOfficeTargetGroup")) {
            template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                    "Namespace", "AWS/ApplicationELB", "MetricName", "HealthyHostCount", "Statistic", "Minimum",
                    "Period", 60, "EvaluationPeriods", 3, "Threshold", 1, "ComparisonOperator", "LessThanThreshold",
                    "TreatMissingData", "breaching",
                    "Dimensions", Match.arrayWith(List.of(Map.of("Name", "TargetGroup", "Value",
                            Map.of("Fn::GetAtt", List.of(logicalId(targetGroup), "TargetGroupFullName"))))))));
        }
        alarm("AWS/RDS", "ACUUtilization", "DBClusterIdentifier", Map.of("Ref", logicalId("CatalogDb")),
                Map.of("Statistic", "Average", "Threshold", 90, "ComparisonOperator", "GreaterThanThreshold",
                        "Period", 300));
        for (String metric : List.of("ReadThrottleEvents", "WriteThrottleEvents")) {
            alarm("AWS/DynamoDB", metric, "TableName", Map.of("Ref", logicalId("LicenseTable")),
                    Map.of("Statistic", "Sum", "Threshold", 10, "ComparisonOperator", "GreaterThanThreshold"));
        }
        alarm("AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName",
                Map.of("Fn::GetAtt", List.of(logicalId("ReminderQueue"), "QueueName")),
                Map.of("Statistic", "Maximum", "Threshold", 3600, "ComparisonOperator", "GreaterThanThreshold"));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "Namespace", "AWS/SES", "MetricName", "Reputation.BounceRate", "Threshold", 0.04)));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "Namespace", "AWS/SES", "MetricName", "Reputation.ComplaintRate", "Threshold", 0.0008)));
    }

    @Test
    void sesSendsThroughAConfigurationSetThatPublishesBouncesAndComplaints() {
        Object configurationSet = Map.of("Ref", logicalId("EmailConfigurationSet"));
        template.hasResourceProperties("AWS::SES::EmailIdentity", Match.objectLike(Map.of(
                "EmailIdentity", TestApps.SENDER_DOMAIN,
                "ConfigurationSetAttributes", Map.of("ConfigurationSetName", configurationSet))));
        template.hasResourceProperties("AWS::SES::ConfigurationSetEventDestination", Match.objectEquals(Map.of(
                "ConfigurationSetName", configurationSet,
                "EventDestination", Map.of(
                        "Enabled", true,
                        "MatchingEventTypes", List.of("bounce", "complaint"),
                        "SnsDestination", Map.of("TopicARN", Map.of("Ref", logicalId("EmailEventsTopic")))))));
        template.hasResourceProperties("AWS::SES::ConfigurationSet", Match.objectLike(Map.of(
                "DeliveryOptions", Map.of("TlsPolicy", "REQUIRE"),
                "SuppressionOptions", Map.of("SuppressedReasons", List.of("BOUNCE", "COMPLAINT")))));
        template.hasResourceProperties("AWS::SNS::Topic", Match.objectLike(Map.of(
                "KmsMasterKeyId", Map.of("Fn::GetAtt", List.of(logicalId("OperationsKey"), "Arn")),
                "DisplayName", Match.stringLikeRegexp(".*bounces and complaints"))));
        template.hasResourceProperties("AWS::SNS::Subscription", Match.objectEquals(Map.of(
                "Protocol", "email", "Endpoint", TestApps.ALARM_EMAIL,
                "TopicArn", Map.of("Ref", logicalId("EmailEventsTopic")))));
        // SES may publish to the topic for this configuration set only
        template.hasResourceProperties("AWS::SNS::TopicPolicy", Match.objectLike(Map.of(
                "Topics", List.of(Map.of("Ref", logicalId("EmailEventsTopic"))),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Allow", "Action", "sns:Publish",
                        "Principal", Map.of("Service", "ses.amazonaws.com"),
                        "Condition", Match.objectLike(Map.of("StringEquals", Match.objectLike(Map.of(
                                "AWS:SourceArn", sesArn("configuration-set/", logicalId("EmailConfigurationSet")))))))))))))));
    }

    @Test
    void oneImmutableScannedRepositoryPerService() {
        template.resourceCountIs("AWS::ECR::Repository", 4);
        for (String[] service : new String[][] {{"Issuer", Services.ISSUER}, {"Validator", Services.VALIDATOR},
                {"Notification", Services.NOTIFICATION}, {"BackOffice", Services.BACK_OFFICE}}) {
            template.hasResource("AWS::ECR::Repository", Match.objectLike(Map.of(
                    "DeletionPolicy", "Retain",
                    "Properties", Match.objectLike(Map.of(
                            "RepositoryName", "licensing/" + service[1],
                            "ImageTagMutability", "IMMUTABLE",
                            "ImageScanningConfiguration", Map.of("ScanOnPush", true),
                            "LifecyclePolicy", Map.of("LifecyclePolicyText", Match.serializedJson(Map.of("rules", List.of(
                                    Map.of("rulePriority", 1, "description", "drop untagged layers after 14 days",
                                            "selection", Map.of("tagStatus", "untagged", "countType", "sinceImagePushed",
                                                    "countNumber", 14, "countUnit", "days"),
                                            "action", Map.of("type", "expire")),
                                    Map.of("rulePriority", 2, "description", "keep the 50 newest releases",
                                            "selection", Map.of("tagStatus", "any", "countType", "imageCountMoreThan",
                                                    "countNumber", 50),
                                            "action", Map.of("type", "expire")))))))))));
            template.hasOutput(service[0] + "ImageRepositoryUri", Match.objectLike(Map.of("Value", Match.objectLike(
                    Map.of("Fn::Join", Match.arrayWith(List.of(Match.arrayWith(List.of(
                            Map.of("Ref", logicalId(service[0] + "Images")))))))))));
        }
    }

    @Test
    void portalListensHttpsOnlyWithTheCertificateAndATls13Policy() {
        template.resourcePropertiesCountIs("AWS::ElasticLoadBalancingV2::Listener", Match.objectLike(Map.of(
                "LoadBalancerArn", Map.of("Ref", logicalId("PortalAlb")))), 1);
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.objectEquals(Map.of(
                "LoadBalancerArn", Map.of("Ref", logicalId("PortalAlb")),
                "Port", 443,
                "Protocol", "HTTPS",
                "SslPolicy", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
                "Certificates", List.of(Map.of("CertificateArn", TestApps.PORTAL_CERTIFICATE_ARN)),
                "DefaultActions", List.of(Map.of("Type", "forward",
                        "TargetGroupArn", Map.of("Ref", logicalId("IssuerTargetGroup")))),
                "Tags", Match.anyValue())));
        // the back office's host (from its callback URLs) goes to its pods, the rest to the issuer (the other two
        // rules answer /q/* with 403 on both load balancers)
        template.resourceCountIs("AWS::ElasticLoadBalancingV2::ListenerRule", 3);
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::ListenerRule", Match.objectEquals(Map.of(
                "ListenerArn", Map.of("Ref", Match.stringLikeRegexp("PortalAlbHttps.*")),
                "Priority", 10,
                "Conditions", List.of(Map.of("Field", "host-header",
                        "HostHeaderConfig", Map.of("Values", List.of(TestApps.BACK_OFFICE_HOST)))),
                "Actions", List.of(Map.of("Type", "forward",
                        "TargetGroupArn", Map.of("Ref", logicalId("BackOfficeTargetGroup")))),
                "Tags", Match.anyValue())));
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", Match.objectLike(Map.of(
                "TargetType", "ip", "Port", 8080, "HealthCheckPath", "/q/health/ready",
                "VpcId", Map.of("Ref", Match.stringLikeRegexp("Vpc.*")))));
        // the load balancer controller registers the back office's pods too, in its target group only
        Object lbStatement = statementsOf("LbControllerRole").get(0);
        assertEquals(statement(List.of("elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"),
                List.of(Map.of("Ref", logicalId("ValidatorTargetGroup")), Map.of("Ref", logicalId("IssuerTargetGroup")),
                        Map.of("Ref", logicalId("BackOfficeTargetGroup")))), lbStatement);
    }

    // ---- back-office sign-in ---------------------------------------------------------------------------------

    @Test
    void cognitoSignsStaffInWithMfaThreatProtectionAndNoSelfSignUp() {
        template.resourceCountIs("AWS::Cognito::UserPool", 1);
        template.hasResource("AWS::Cognito::UserPool", Match.objectLike(Map.of(
                "DeletionPolicy", "Retain",
                "Properties", Match.objectLike(Map.of(
                        "AdminCreateUserConfig", Map.of("AllowAdminCreateUserOnly", true),
                        "MfaConfiguration", "ON",
                        "EnabledMfas", List.of("SOFTWARE_TOKEN_MFA"),
                        "UserPoolTier", "PLUS",
                        "UserPoolAddOns", Map.of("AdvancedSecurityMode", "ENFORCED"),
                        "DeletionProtection", "ACTIVE",
                        "Policies", Map.of("PasswordPolicy", Map.of("MinimumLength", 14, "RequireLowercase", true,
                                "RequireUppercase", true, "RequireNumbers", true, "RequireSymbols", true,
                                "TemporaryPasswordValidityDays", 3)))))));
        // the four back-office roles, each described with the API roles it stands for
        Map<String, Object> groups = new java.util.TreeMap<>();
        template.findResources("AWS::Cognito::UserPoolGroup").values().forEach(g -> {
            assertEquals(Map.of("Ref", logicalId("BackOfficeUsers")), props(g).get("UserPoolId"));
            groups.put(props(g).get("GroupName").toString(), props(g).get("Description"));
        });
        assertEquals(Map.of(
                "viewer", "API roles: licenses:read, reminders:read",
                "operator", "API roles: licenses:read, licenses:write, reminders:read",
                "admin", "API roles: licenses:read, licenses:write, catalog:admin, webhooks:admin, reminders:read, reminders:run",
                "finance", "API roles: licenses:read, reminders:read, reminders:run"), groups);
        template.hasResourceProperties("AWS::Cognito::UserPoolDomain", Match.objectEquals(Map.of(
                "UserPoolId", Map.of("Ref", logicalId("BackOfficeUsers")),
                "Domain", Map.of("Fn::Join", List.of("", List.of("licensing-", Map.of("Ref", "AWS::AccountId")))),
                "ManagedLoginVersion", 1)));
    }

    @Test
    void theBackOfficeIsThePoolsOnlyClientCodeFlowOnlyWithItsOwnUrls() {
        // one client: tokens of this pool (the APIs' issuer) can only have been issued to the back office
        template.resourceCountIs("AWS::Cognito::UserPoolClient", 1);
        template.resourceCountIs("AWS::Cognito::UserPoolResourceServer", 0);
        template.hasResourceProperties("AWS::Cognito::UserPoolClient", Match.objectEquals(Map.ofEntries(
                Map.entry("UserPoolId", Map.of("Ref", logicalId("BackOfficeUsers"))),
                Map.entry("ClientName", "back-office"),
                // confidential (quarkus-oidc exchanges the code server-side, with PKCE), code flow only: no implicit
                // flow, no client credentials, no password or SRP API sign-in, the hosted UI only
                Map.entry("GenerateSecret", true),
                Map.entry("AllowedOAuthFlows", List.of("code")),
                Map.entry("AllowedOAuthFlowsUserPoolClient", true),
                Map.entry("AllowedOAuthScopes", List.of("openid", "email", "profile")),
                Map.entry("ExplicitAuthFlows", List.of("ALLOW_REFRESH_TOKEN_AUTH")),
                Map.entry("SupportedIdentityProviders", List.of("COGNITO")),
                Map.entry("CallbackURLs", List.of(TestApps.BACK_OFFICE_CALLBACK)),
                Map.entry("LogoutURLs", List.of(TestApps.BACK_OFFICE_LOGOUT)),
                Map.entry("PreventUserExistenceErrors", "ENABLED"),
                Map.entry("EnableTokenRevocation", true),
                Map.entry("AccessTokenValidity", 15),
                Map.entry("IdTokenValidity", 15),
                Map.entry("RefreshTokenValidity", 600),
                Map.entry("TokenValidityUnits", Map.of("AccessToken", "minutes", "IdToken", "minutes",
                        "RefreshToken", "minutes")))));
        // no Lambda trigger (the stack has none): groups and client reach the APIs as Cognito writes them
        Map<String, Object> pool = props(resources.get(logicalId("BackOfficeUsers")));
        assertFalse(pool.containsKey("LambdaConfig"), String.valueOf(pool.get("LambdaConfig")));
        // the APIs trust the pool; the back office signs in there
        Object issuer = Map.of("Fn::Join", List.of("", List.of("https://cognito-idp.", Map.of("Ref", "AWS::Region"),
                ".", Map.of("Ref", "AWS::URLSuffix"), "/", Map.of("Ref", logicalId("BackOfficeUsers")))));
        template.hasOutput("JwtIssuer", Match.objectEquals(Map.of("Value", issuer)));
        template.hasOutput("BackOfficeClientId", Match.objectEquals(Map.of("Value",
                Map.of("Ref", logicalId("BackOfficeUsersBackOfficeClient")))));
        template.hasOutput("BackOfficeUserPoolId", Match.objectEquals(Map.of("Value",
                Map.of("Ref", logicalId("BackOfficeUsers")))));
        // the client secret is in no output (release.sh reads it into a Kubernetes Secret)
        assertFalse(String.valueOf(template.toJSON().get("Outputs")).contains("ClientSecret"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void restApiReachesTheValidatorThroughAVpcLinkWithThrottlingAndAccessLogs() {
        template.hasResourceProperties("AWS::ApiGateway::RestApi", Match.objectLike(Map.of(
                "Name", "license-validator", "EndpointConfiguration", Map.of("Types", List.of("REGIONAL")))));
        // API Gateway -> VPC link -> internal NLB (in the VPC link's group) -> the gateway ALB's listener
        String nlb = logicalId("ValidatorNlb");
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Match.objectLike(Map.of(
                "Type", "network", "Scheme", "internal",
                "SecurityGroups", List.of(Map.of("Fn::GetAtt", List.of(logicalId("ApiVpcLinkSg"), "GroupId"))))));
        template.hasResourceProperties("AWS::ApiGateway::VpcLink", Match.objectLike(Map.of(
                "TargetArns", List.of(Map.of("Ref", nlb)))));
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", Match.objectLike(Map.of(
                "TargetType", "alb", "Protocol", "TCP", "Port", 80, "HealthCheckPath", "/.well-known/jwks.json",
                "Targets", List.of(Map.of("Id", Map.of("Ref", logicalId("GatewayAlb")), "Port", 80)))));
        template.hasResourceProperties("AWS::ApiGateway::Stage", Match.objectLike(Map.of(
                "StageName", "live",
                "MethodSettings", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "ThrottlingRateLimit", 200, "ThrottlingBurstLimit", 400, "DataTraceEnabled", false,
                        "LoggingLevel", "ERROR", "ResourcePath", "/*", "HttpMethod", "*")))),
                "AccessLogSetting", Match.objectLike(Map.of(
                        "DestinationArn", Map.of("Fn::GetAtt", List.of(logicalId("ValidatorApiAccessLogs"), "Arn")),
                        "Format", Match.stringLikeRegexp(".*\\$context.requestId.*\\$context.wafResponseCode.*"))))));
        // exactly the product-facing paths, each a proxy through the VPC link to the NLB's name, path kept
        Map<String, String> paths = new java.util.TreeMap<>();
        Map<String, Map<String, Object>> apiResources = template.findResources("AWS::ApiGateway::Resource")
                .entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                        e -> props(e.getValue())));
        Set<String> methods = new TreeSet<>();
        template.findResources("AWS::ApiGateway::Method").values().forEach(r -> {
            Map<String, Object> method = props(r);
            Map<String, Object> integration = (Map<String, Object>) method.get("Integration");
            assertEquals("HTTP_PROXY", integration.get("Type"));
            assertEquals("VPC_LINK", integration.get("ConnectionType"));
            assertEquals(Map.of("Ref", logicalId("ValidatorRestVpcLink")), integration.get("ConnectionId"));
            String path = path(apiResources, ((Map<String, Object>) method.get("ResourceId")).get("Ref").toString());
            String uri = String.valueOf(integration.get("Uri"));
            assertTrue(uri.contains(nlb) && uri.contains("DNSName"), uri);
            String backend = path.startsWith("/v1/") ? "/v1/{proxy}" : path;
            assertTrue(uri.endsWith(backend + "]]}"), uri + " should end with " + backend);
            methods.add(method.get("HttpMethod") + " " + path);
        });
        assertEquals(Set.of("ANY /v1/{proxy+}", "GET /.well-known/jwks.json", "GET /.well-known/jwks.jws"), methods);
        // pod targets: healthy after 2 x 5 s, out after 2 x 5 s, 30 s to finish requests in flight
        assertEquals(3, template.findResources("AWS::ElasticLoadBalancingV2::TargetGroup", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of(
                        // traffic to the API port, health checks to the management port (where prod serves health)
                        "TargetType", "ip", "Port", 8080, "HealthCheckPath", "/q/health/ready",
                        "HealthCheckPort", "9000",
                        "HealthCheckIntervalSeconds", 5, "HealthCheckTimeoutSeconds", 4,
                        "HealthyThresholdCount", 2, "UnhealthyThresholdCount", 2,
                        "TargetGroupAttributes", Match.arrayWith(List.of(Map.of(
                                "Key", "deregistration_delay.timeout_seconds", "Value", "30")))))))).size());
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusMetricsAreScrapedInsideTheVpcIntoAManagedWorkspace() {
        template.resourceCountIs("AWS::APS::Workspace", 1);
        Map<String, Object> scraper = props(template.findResources("AWS::APS::Scraper").values().iterator().next());
        Map<String, Object> eks = (Map<String, Object>) ((Map<String, Object>) scraper.get("Source"))
                .get("EksConfiguration");
        assertEquals(Map.of("Fn::GetAtt", List.of("Cluster", "Arn")), eks.get("ClusterArn"));
        assertEquals(List.of(Map.of("Ref", "VpcprivateSubnet1SubnetCEAD3716"),
                Map.of("Ref", "VpcprivateSubnet2Subnet2DE7549C")), eks.get("SubnetIds"));
        String collectorSg = logicalId("MetricsCollectorSg");
        assertEquals(List.of(Map.of("Fn::GetAtt", List.of(collectorSg, "GroupId"))), eks.get("SecurityGroupIds"));
        assertEquals(Map.of("AmpConfiguration", Map.of("WorkspaceArn",
                Map.of("Fn::GetAtt", List.of("MetricsWorkspace", "Arn")))), scraper.get("Destination"));
        String blob = String.valueOf(((Map<String, Object>) ((Map<String, Object>) scraper.get("ScrapeConfiguration"))
                .get("ConfigurationBlob")).get("Fn::Base64"));
        assertTrue(blob.contains("names: [licensing]") && blob.contains("prometheus_io_scrape")
                && blob.contains("prometheus_io_port") && blob.contains("prometheus_io_path"), blob);
        // the collector's role is a cluster user (read-only ClusterRole in the prod overlay)
        template.hasResourceProperties("AWS::EKS::AccessEntry", Match.objectLike(Map.of(
                "Username", "aps-collector-user", "Type", "STANDARD",
                "PrincipalArn", Map.of("Fn::GetAtt", List.of("MetricsCollector", "RoleArn")))));
        // each Deployment's pods admit it on the management port (and nothing else new); it reaches the API for
        // discovery
        for (String sg : List.of("ValidatorSg", "IssuerSg", "NotificationSg", "BackOfficeSg", "WebhookDelivererSg")) {
            assertTrue(ingress(sg).contains(rule("MetricsCollectorSg", "tcp", 9000)), sg + ": " + ingress(sg));
        }
        assertEquals(Set.of(rule("ValidatorSg", "tcp", 9000), rule("IssuerSg", "tcp", 9000),
                rule("NotificationSg", "tcp", 9000), rule("BackOfficeSg", "tcp", 9000),
                rule("WebhookDelivererSg", "tcp", 9000),
                rule("Cluster.ClusterSecurityGroupId", "tcp", 443)), egress("MetricsCollectorSg"));
    }

    /**
     * Alert rules on the scraped series for the failures operations must hear of (a service down or gone, its 5xx
     * share, the validation p99, reminder dead letters), each on a series the services really export, and an alert
     * manager that sends them to the alarm topic, which lets exactly that workspace publish.
     */
    @Test
    @SuppressWarnings("unchecked")
    void prometheusAlertsOnTheServicesSeriesReachTheAlarmTopic() throws Exception {
        Map<String, Object> namespace = props(template.findResources("AWS::APS::RuleGroupsNamespace").values()
                .iterator().next());
        assertEquals(Map.of("Fn::GetAtt", List.of("MetricsWorkspace", "Arn")), namespace.get("Workspace"));
        var yaml = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        var rules = yaml.readTree((String) namespace.get("Data")).path("groups").get(0).path("rules");
        Map<String, com.fasterxml.jackson.databind.JsonNode> byName = new java.util.TreeMap<>();
        rules.forEach(r -> byName.put(r.path("alert").asText(), r));
        assertEquals(Set.of("ServiceDown", "ServiceAbsent", "ServerErrorRate", "ValidationLatencyP99",
                "ReminderDeadLetters", "WebhookDeadLetters", "EventImportLag"), byName.keySet());
        byName.forEach((name, rule) -> {
            assertTrue(rule.path("for").asText().matches("\\d+m"), name + ": a duration, not a blip");
            assertTrue(Set.of("critical", "warning").contains(rule.path("labels").path("severity").asText()), name);
            assertFalse(rule.path("annotations").path("summary").asText().isBlank(), name);
            // every rule reads the collector's job; the scrape configuration names that job and the service label
            assertTrue(rule.path("expr").asText().contains("job=\"licensing-services\""), name);
        });
        assertTrue(PrometheusMetrics.SCRAPE_CONFIGURATION.contains("job_name: licensing-services")
                && PrometheusMetrics.SCRAPE_CONFIGURATION.contains("target_label: service"));
        assertEquals("up{job=\"licensing-services\"} == 0", byName.get("ServiceDown").path("expr").asText());
        for (String service : Services.SCRAPED) {
            assertTrue(byName.get("ServiceAbsent").path("expr").asText().contains(
                    "absent(up{job=\"licensing-services\",service=\"" + service + "\"})"), service);
        }
        assertTrue(byName.get("ServerErrorRate").path("expr").asText().contains("status=~\"5..\""));
        String p99 = byName.get("ValidationLatencyP99").path("expr").asText();
        assertTrue(p99.startsWith("histogram_quantile(0.99,") && p99.contains("http_server_requests_seconds_bucket")
                && p99.contains("uri=\"/v1/validate\"") && p99.endsWith("> 1.0"), p99);
        assertTrue(byName.get("ReminderDeadLetters").path("expr").asText().contains("reminders_dead_letters"));
        // those series exist: the validator's histogram buckets (its threshold one of them), the notification
        // service's dead-letter gauge
        String histogram = java.nio.file.Files.readString(java.nio.file.Path.of("..", "license-validator", "src", "main",
                "java", "org", "licensing", "validator", "metrics", "ValidationLatencyHistogram.java"));
        assertTrue(histogram.contains("\"http.server.requests\"") && histogram.contains("Duration.ofSeconds(1)"));
        String gauge = java.nio.file.Files.readString(java.nio.file.Path.of("..", "notification-service", "src", "main",
                "java", "org", "licensing", "notification", "queue", "QueueMetrics.java"));
        assertTrue(gauge.contains("Gauge.builder(\"reminders.dead.letters\""));
        // webhook dead letters: the deliverer's attempts counted by outcome, "dead" among them; a new series counts too
        // (Micrometer registers it at its first dead letter, which increase() alone would not see)
        String webhooks = byName.get("WebhookDeadLetters").path("expr").asText();
        String dead = "licensing_webhooks_deliveries_total{job=\"licensing-services\",outcome=\"dead\"}";
        assertTrue(webhooks.contains("increase(" + dead + "[1h])") && webhooks.contains(dead + " unless " + dead
                + " offset 1h"), webhooks);
        assertEquals(Services.WEBHOOK_DELIVERER, byName.get("WebhookDeadLetters").path("labels").path("service").asText());
        String worker = java.nio.file.Files.readString(java.nio.file.Path.of("..", "license-issuer", "src", "main",
                "java", "org", "licensing", "issuer", "webhook", "DeliveryWorker.java"));
        assertTrue(worker.contains("metrics.counter(\"licensing.webhooks.deliveries\", \"outcome\", result)")
                && worker.contains("\"dead\""), "the issuer's DeliveryWorker no longer counts dead deliveries so");

        // the alert manager: every alert to the alarm topic
        Map<String, Object> workspace = props(resources.get("MetricsWorkspace"));
        List<Object> sub = (List<Object>) ((Map<String, Object>) workspace.get("AlertManagerDefinition")).get("Fn::Sub");
        var alertManager = yaml.readTree(yaml.readTree((String) sub.get(0)).path("alertmanager_config").asText());
        assertEquals("alarm-topic", alertManager.path("route").path("receiver").asText());
        assertEquals("${AlarmTopicArn}", alertManager.path("receivers").get(0).path("sns_configs").get(0)
                .path("topic_arn").asText());
        String topic = logicalId("AlarmTopic");
        assertEquals(Map.of("AlarmTopicArn", Map.of("Ref", topic)), sub.get(1));
        // the topic admits the Prometheus service for this workspace only; the topic's key lets it encrypt
        String topicPolicy = template.findResources("AWS::SNS::TopicPolicy").values().stream()
                .map(Object::toString).filter(p -> p.contains("aps.amazonaws.com")).findFirst().orElseThrow();
        assertTrue(topicPolicy.contains("sns:Publish") && topicPolicy.contains("aws:SourceArn")
                && topicPolicy.contains("MetricsWorkspace") && topicPolicy.contains(topic), topicPolicy);
        String keyPolicy = props(resources.get(logicalId("OperationsKey"))).get("KeyPolicy").toString();
        assertTrue(keyPolicy.contains("aps.amazonaws.com") && keyPolicy.contains("kms:GenerateDataKey*"), keyPolicy);
    }

    /** Both ALBs write access logs to one private, TLS-only bucket that keeps them 90 days; ELB may write there only. */
    @Test
    @SuppressWarnings("unchecked")
    void bothLoadBalancersWriteAccessLogsToTheirBucket() {
        String bucket = logicalId("LoadBalancerLogs");
        Map<String, Object> props = props(resources.get(bucket));
        assertEquals(Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true,
                "RestrictPublicBuckets", true), props.get("PublicAccessBlockConfiguration"));
        assertTrue(props.get("BucketEncryption").toString().contains("AES256"), "SSE-S3: what ELB log delivery supports");
        assertTrue(props.get("LifecycleConfiguration").toString().contains("ExpirationInDays=" + Gateway.ACCESS_LOG_DAYS));
        for (String alb : List.of("GatewayAlb", "PortalAlb")) {
            String id = logicalId(alb);
            List<Object> attributes = (List<Object>) props(resources.get(id)).get("LoadBalancerAttributes");
            assertTrue(attributes.contains(Map.of("Key", "access_logs.s3.enabled", "Value", "true")), alb);
            assertTrue(attributes.contains(Map.of("Key", "access_logs.s3.bucket", "Value", Map.of("Ref", bucket))), alb);
            assertTrue(attributes.stream().anyMatch(a -> ((Map<String, Object>) a).get("Key").equals("access_logs.s3.prefix")));
            // the policy exists before ELB checks it may write
            assertTrue(resources.get(id).get("DependsOn").toString().contains("LoadBalancerLogsPolicy"), alb);
        }
        Map<String, Object> policy = props(resources.get("LoadBalancerLogsPolicy"));
        assertEquals(Map.of("Ref", bucket), policy.get("Bucket"));
        String statements = policy.get("PolicyDocument").toString();
        // writes: PutObject under this account's prefix only, by the region's ELB account (if the region has one)
        // or by the log delivery service; everything else over TLS only
        assertTrue(statements.contains("logdelivery.elasticloadbalancing.amazonaws.com"), statements);
        assertTrue(statements.contains("Fn::FindInMap") && statements.contains("RegionHasElbAccount"), statements);
        assertTrue(statements.contains("/AWSLogs/") && statements.contains("AWS::AccountId"), statements);
        assertFalse(statements.contains("s3:GetObject") || statements.contains("s3:*, Resource=*"), statements);
        assertTrue(statements.contains("aws:SecureTransport"), statements);
        assertEquals(1, template.findResources("AWS::S3::BucketPolicy").size(), "one policy for the bucket");
    }

    @Test
    void wafLimitsEachClientAddressInFrontOfTheStage() {
        String acl = "ValidatorWebAcl";
        template.hasResourceProperties("AWS::WAFv2::WebACL", Match.objectLike(Map.of(
                "Scope", "REGIONAL",
                "DefaultAction", Map.of("Allow", Map.of()),
                "Rules", Match.arrayWith(List.of(
                        Match.objectLike(Map.of(
                                "Name", "per-client-rate", "Priority", 0,
                                "Statement", Map.of("RateBasedStatement", Map.of(
                                        "AggregateKeyType", "IP", "EvaluationWindowSec", 300, "Limit", 3000)),
                                "Action", Map.of("Block", Map.of("CustomResponse", Map.of("ResponseCode", 429))))),
                        Match.objectLike(Map.of("Name", "ip-reputation", "Priority", 1,
                                "Statement", Map.of("ManagedRuleGroupStatement", Map.of(
                                        "VendorName", "AWS", "Name", "AWSManagedRulesAmazonIpReputationList")))))))));
        // attached to the stage every request goes through (the only stage of the only public API)
        template.resourceCountIs("AWS::WAFv2::WebACLAssociation", 1);
        template.resourceCountIs("AWS::ApiGateway::Stage", 1);
        template.hasResourceProperties("AWS::WAFv2::WebACLAssociation", Match.objectLike(Map.of(
                "WebACLArn", Map.of("Fn::GetAtt", List.of(acl, "Arn")),
                "ResourceArn", Map.of("Fn::Join", List.of("", Match.arrayWith(List.of(
                        Map.of("Ref", logicalId("ValidatorApi")), "/stages/",
                        Map.of("Ref", Match.stringLikeRegexp("ValidatorApiDeploymentStagelive.*")))))))));
        // no HTTP API is left to go around it
        template.resourceCountIs("AWS::ApiGatewayV2::Api", 0);
        template.resourceCountIs("AWS::ApiGatewayV2::Stage", 0);
    }

    @Test
    void theClientRateLimitAndTheAdminNetworkAreSettings() {
        App app = new App();
        LicensingStack other = new LicensingStack(app, "Other", TestApps.props().clientRateLimit(600)
                .clusterAdminCidrs(List.of("10.70.0.0/16")).build());
        Template otherTemplate = Template.fromStack(other);
        otherTemplate.hasResourceProperties("AWS::WAFv2::WebACL", Match.objectLike(Map.of(
                "Rules", Match.arrayWith(List.of(Match.objectLike(Map.of("Name", "per-client-rate",
                        "Statement", Map.of("RateBasedStatement", Match.objectLike(Map.of("Limit", 600))))))))));
        assertThrowsMentioning("clientRateLimit", () -> TestApps.props().clientRateLimit(5).build());
        // the private API endpoint (the cluster security group) admits the admin network on 443, and nothing else new
        Object clusterSg = Map.of("Fn::GetAtt", List.of("Cluster", "ClusterSecurityGroupId"));
        otherTemplate.hasResourceProperties("AWS::EC2::SecurityGroupIngress", Match.objectLike(Map.of(
                "GroupId", clusterSg, "CidrIp", "10.70.0.0/16", "IpProtocol", "tcp", "FromPort", 443, "ToPort", 443)));
        assertEquals(1, otherTemplate.findResources("AWS::EC2::SecurityGroupIngress", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of("CidrIp", Match.anyValue()))))).size());
        // by default no address range reaches it
        assertEquals(0, template.findResources("AWS::EC2::SecurityGroupIngress", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of("GroupId", clusterSg, "CidrIp", Match.anyValue()))))).size());
        assertThrowsMentioning("0.0.0.0/0", () -> TestApps.props().clusterAdminCidrs(List.of("0.0.0.0/0")).build());
    }

    @Test
    void eksStaysInStandardSupportWithTheNodesOnTheControlPlanesVersion() {
        template.hasResourceProperties("AWS::EKS::Cluster", Match.objectLike(Map.of(
                "Version", "1.35", "UpgradePolicy", Map.of("SupportType", "STANDARD"))));
        template.hasResourceProperties("AWS::EKS::Nodegroup", Match.objectLike(Map.of("Version", "1.35")));
        App app = new App();
        Template bumped = Template.fromStack(new LicensingStack(app, "Bumped",
                TestApps.props().kubernetesVersion("1.36").addonVersions(ADDONS_1_36).build()));
        bumped.hasResourceProperties("AWS::EKS::Cluster", Match.objectLike(Map.of("Version", "1.36")));
        bumped.hasResourceProperties("AWS::EKS::Nodegroup", Match.objectLike(Map.of("Version", "1.36")));
        // the add-ons move with them, in the same deploy
        ADDONS_1_36.forEach((name, version) -> bumped.hasResourceProperties("AWS::EKS::Addon",
                Match.objectLike(Map.of("AddonName", name, "AddonVersion", version))));
    }

    /** A made-up row for a version EksAddons does not know yet (the bump test's). */
    private static final Map<String, String> ADDONS_1_36 = Map.of("vpc-cni", "v1.22.0-eksbuild.1",
            "eks-pod-identity-agent", "v1.3.11-eksbuild.1", "kube-proxy", "v1.36.0-eksbuild.1",
            "coredns", "v1.13.2-eksbuild.1", "metrics-server", "v0.8.1-eksbuild.1",
            "amazon-cloudwatch-observability", "v4.8.0-eksbuild.1");

    @Test
    void everyAddOnIsPinnedToTheVersionOfItsClusterVersion() {
        Map<String, String> row = EksAddons.versionsFor("1.35");
        assertEquals(new java.util.TreeSet<>(EksAddons.NAMES), new java.util.TreeSet<>(row.keySet()));
        List<Map<String, Object>> addons = resources.values().stream()
                .filter(r -> "AWS::EKS::Addon".equals(r.get("Type"))).map(LicensingStackTest::props).toList();
        assertEquals(EksAddons.NAMES.size(), addons.size(), "one resource per add-on, no other");
        for (Map<String, Object> addon : addons) {
            Object name = addon.get("AddonName");
            assertEquals(row.get(name), addon.get("AddonVersion"), name + ": pinned to the 1.35 row");
            assertEquals(Map.of("Ref", "Cluster"), addon.get("ClusterName"), name.toString());
        }
        // a cluster version without a row is refused, naming it (no silent default versions)
        assertThrowsMentioning("1.36", () -> TestApps.props().kubernetesVersion("1.36").build());
        // kube-proxy runs the cluster's minor; a row must name every add-on, in EKS' version format
        Map<String, String> wrongProxy = new java.util.HashMap<>(ADDONS_1_36);
        wrongProxy.put("kube-proxy", "v1.35.0-eksbuild.2");
        assertThrowsMentioning("kube-proxy", () -> TestApps.props().kubernetesVersion("1.36").addonVersions(wrongProxy).build());
        Map<String, String> missing = new java.util.HashMap<>(ADDONS_1_36);
        missing.remove("coredns");
        assertThrowsMentioning("coredns", () -> TestApps.props().kubernetesVersion("1.36").addonVersions(missing).build());
        Map<String, String> latest = new java.util.HashMap<>(ADDONS_1_36);
        latest.put("metrics-server", "latest");
        assertThrowsMentioning("latest", () -> TestApps.props().kubernetesVersion("1.36").addonVersions(latest).build());
    }

    @Test
    void podsReachNoInstanceMetadataAndTheCniHasItsOwnRole() {
        // IMDSv2 with one hop: host-network processes reach it, pods (one hop further) do not
        template.hasResourceProperties("AWS::EC2::LaunchTemplate", Match.objectLike(Map.of("LaunchTemplateData",
                Match.objectLike(Map.of("MetadataOptions", Map.of("HttpEndpoint", "enabled", "HttpTokens", "required",
                        "HttpPutResponseHopLimit", 1))))));
        String launchTemplate = "NodeLaunchTemplate"; // an L1 directly in its part: no hash
        template.hasResourceProperties("AWS::EKS::Nodegroup", Match.objectLike(Map.of("LaunchTemplate", Map.of(
                "Id", Map.of("Ref", launchTemplate),
                "Version", Map.of("Fn::GetAtt", List.of(launchTemplate, "LatestVersionNumber"))))));
        // the node role keeps what the kubelet needs, not the CNI's ENI rights
        Object nodeRole = ((Map<?, ?>) props(resources.get("ServiceNodes")).get("NodeRole"));
        String nodeRoleId = (String) ((List<?>) ((Map<?, ?>) nodeRole).get("Fn::GetAtt")).get(0);
        String nodePolicies = props(resources.get(nodeRoleId)).get("ManagedPolicyArns").toString();
        assertTrue(nodePolicies.contains("AmazonEKSWorkerNodePolicy"), nodePolicies);
        assertFalse(nodePolicies.contains("AmazonEKS_CNI_Policy"), "the CNI policy on the node role: " + nodePolicies);
        String cniRole = logicalId("VpcCniRole");
        assertEquals(List.of(Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"),
                ":iam::aws:policy/AmazonEKS_CNI_Policy")))), props(resources.get(cniRole)).get("ManagedPolicyArns"));
        assertTrue(props(resources.get(cniRole)).get("AssumeRolePolicyDocument").toString()
                .contains("pods.eks.amazonaws.com"), "trusted by Pod Identity only");
        template.hasResource("AWS::EKS::Addon", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of("AddonName", "vpc-cni",
                        "PodIdentityAssociations", List.of(Map.of("ServiceAccount", "aws-node",
                                "RoleArn", Map.of("Fn::GetAtt", List.of(cniRole, "Arn")))))),
                "DependsOn", Match.arrayWith(List.of("PodIdentityAgentAddon")))));
    }

    @Test
    void loadBalancersAreProtectedFromDeletion() {
        // a re-created load balancer has a new DNS name (the VPC link's NLB, the portal's DNS record)
        assertEquals(3, template.findResources("AWS::ElasticLoadBalancingV2::LoadBalancer").size());
        template.allResourcesProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Match.objectLike(Map.of(
                "LoadBalancerAttributes", Match.arrayWith(List.of(Map.of(
                        "Key", "deletion_protection.enabled", "Value", "true"))))));
    }

    @Test
    void quarkusEndpointsAnswer403OnBothLoadBalancers() {
        for (String listener : List.of("GatewayAlbHttp", "PortalAlbHttps")) {
            template.hasResourceProperties("AWS::ElasticLoadBalancingV2::ListenerRule", Match.objectLike(Map.of(
                    "ListenerArn", Map.of("Ref", logicalId(listener)),
                    // before the back office's host rule (10): no host reaches /q/* on the portal either
                    "Priority", 1,
                    "Conditions", List.of(Map.of("Field", "path-pattern",
                            "PathPatternConfig", Map.of("Values", List.of("/q", "/q/*")))),
                    "Actions", List.of(Map.of("Type", "fixed-response", "FixedResponseConfig", Map.of(
                            "StatusCode", "403", "ContentType", "text/plain", "MessageBody", "Forbidden"))))));
        }
        // the back office's rule comes after it
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::ListenerRule", Match.objectLike(Map.of(
                "ListenerArn", Map.of("Ref", logicalId("PortalAlbHttps")), "Priority", 10)));
    }

    /** The path of an API Gateway resource, from its parents' path parts. */
    @SuppressWarnings("unchecked")
    private static String path(Map<String, Map<String, Object>> apiResources, String id) {
        Map<String, Object> resource = apiResources.get(id);
        if (resource == null) {
            return "";
        }
        Object parent = resource.get("ParentId");
        String parentPath = parent instanceof Map<?, ?> m && m.containsKey("Ref")
                ? path(apiResources, m.get("Ref").toString()) : "";
        return parentPath + "/" + resource.get("PathPart");
    }

    @Test
    void everyValueTheProdOverlayReadsIsAnOutputOfTheStack() throws java.io.IOException {
        java.nio.file.Path prod = java.nio.file.Path.of("..", "k8s", "overlays", "prod");
        Set<String> outputs = new TreeSet<>(((Map<?, ?>) template.toJSON().get("Outputs")).keySet().stream()
                .map(Object::toString).toList());
        // stack-outputs.env is what release.sh writes from describe-stacks: exactly the stack's outputs
        Map<String, String> file = new java.util.LinkedHashMap<>();
        for (String line : java.nio.file.Files.readAllLines(prod.resolve("stack-outputs.env"))) {
            if (!line.startsWith("#") && line.contains("=")) {
                file.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        assertEquals(outputs, new TreeSet<>(file.keySet()), "k8s/overlays/prod/stack-outputs.env and the stack's outputs");
        // every replacement source of the overlay, and every output release.sh reads, is one of them
        Set<String> read = new TreeSet<>();
        var sources = java.util.regex.Pattern.compile("fieldPath: data\\.([A-Za-z0-9]+)")
                .matcher(java.nio.file.Files.readString(prod.resolve("kustomization.yaml")));
        while (sources.find()) {
            read.add(sources.group(1));
        }
        var script = java.util.regex.Pattern.compile("output ([A-Z][A-Za-z0-9]+)|\\]=([A-Z][A-Za-z0-9]+)")
                .matcher(java.nio.file.Files.readString(prod.resolve("../../release.sh")));
        while (script.find()) {
            read.add(script.group(1) != null ? script.group(1) : script.group(2));
        }
        assertTrue(read.containsAll(Set.of("JwtIssuer", "BackOfficeSecurityGroupId", "BackOfficeTargetGroupArn",
                "BackOfficeImageRepositoryUri", "BackOfficeUserPoolId", "BackOfficeClientId", "DatabaseSecretArn")),
                read::toString);
        Set<String> unknown = new TreeSet<>(read);
        unknown.removeAll(outputs);
        assertEquals(Set.of(), unknown, "the prod overlay or release.sh reads outputs the stack does not have");
        // values the stack knows at synth time are the ones in the file
        for (String id : List.of("Namespace", "LicenseTableName", "SenderAddress", "VendorFinanceEmail")) {
            Object value = ((Map<?, ?>) ((Map<?, ?>) template.toJSON().get("Outputs")).get(id)).get("Value");
            if (value instanceof Map<?, ?> ref && ref.get("Ref") instanceof String table) {
                value = props(resources.get(table)).get("TableName"); // a Ref to the table: its fixed name
            }
            assertEquals(String.valueOf(value), file.get(id), id);
        }
    }

    /**
     * Teardown and redeploy: a resource kept on stack deletion (DeletionPolicy Retain) under a fixed name would make
     * the next deploy fail ("already exists"). Each such resource is listed in infra/README.md ("Teardown and
     * redeploy") with how the redeploy adopts it, and carries UpdateReplacePolicy Retain too (what CloudFormation's
     * import of existing resources requires); no row names a resource the stack no longer keeps.
     */
    @Test
    void everyRetainedResourceWithAFixedNameIsDocumentedForTheRedeploy() throws Exception {
        Map<String, String> nameProperty = Map.of("AWS::DynamoDB::Table", "TableName",
                "AWS::ECR::Repository", "RepositoryName", "AWS::Logs::LogGroup", "LogGroupName",
                "AWS::SQS::Queue", "QueueName", "AWS::RDS::DBCluster", "DBClusterIdentifier",
                "AWS::Cognito::UserPoolDomain", "Domain", "AWS::EKS::Cluster", "Name", "AWS::S3::Bucket", "BucketName");
        Set<String> retainedFixed = new TreeSet<>();
        for (var e : resources.entrySet()) {
            String type = (String) e.getValue().get("Type");
            Object name = nameProperty.containsKey(type) ? props(e.getValue()).get(nameProperty.get(type)) : null;
            // a name built from a token (an API id, the account) differs per deploy: no collision
            if (!(name instanceof String fixed) || !"Retain".equals(e.getValue().get("DeletionPolicy"))) {
                continue;
            }
            assertEquals("Retain", e.getValue().get("UpdateReplacePolicy"), e.getKey());
            retainedFixed.add(type + " " + fixed);
        }
        assertTrue(retainedFixed.contains("AWS::DynamoDB::Table licenses"), retainedFixed.toString());
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
        String section = readme.substring(readme.indexOf("### Teardown and redeploy"));
        section = section.substring(0, section.indexOf("\n## ", 1) < 0 ? section.length() : section.indexOf("\n## ", 1));
        Set<String> documented = new TreeSet<>();
        java.util.regex.Matcher row = java.util.regex.Pattern.compile("(?m)^\\| `(AWS::[A-Za-z0-9:]+)` \\| `([^`]+)` \\|")
                .matcher(section);
        while (row.find()) {
            documented.add(row.group(1) + " " + row.group(2));
        }
        assertEquals(retainedFixed, documented, "infra/README.md, Teardown and redeploy: one row per retained fixed name");
    }

    @Test
    void outputsCarryWhatTheProdOverlayNeeds() {
        for (String output : List.of("ClusterName", "VpcCidr", "LicenseTableName", "ReminderQueueUrl", "ReminderDlqUrl",
                "DatabaseEndpoint", "DatabaseSecretArn", "DatabaseAppSecretArn", "ValidatorSecurityGroupId",
                "IssuerSecurityGroupId", "NotificationSecurityGroupId", "ValidatorRoleArn", "IssuerRoleArn",
                "NotificationRoleArn", "ClusterAutoscalerRoleArn", "ValidatorTargetGroupArn", "IssuerTargetGroupArn",
                "BackOfficeTargetGroupArn", "BackOfficeSecurityGroupId", "BackOfficeImageRepositoryUri",
                "BackOfficeUserPoolId", "BackOfficeClientId", "BackOfficeSignInUrl",
                "ValidatorApiUrl", "SenderAddress", "Region", "VendorFinanceEmail", "JwtIssuer", "ReceiptIssuer",
                "IssuerImageRepositoryUri", "ValidatorImageRepositoryUri", "NotificationImageRepositoryUri",
                "AlarmTopicArn", "EmailEventsTopicArn", "EmailConfigurationSetName")) {
            template.hasOutput(output, Match.anyValue());
        }
        // the prod values the overlay used to leave as dev placeholders come from the operator's settings
        template.hasOutput("SenderAddress", Match.objectEquals(Map.of("Value", TestApps.SENDER_ADDRESS)));
        template.hasOutput("VendorFinanceEmail", Match.objectEquals(Map.of("Value", TestApps.FINANCE_EMAIL)));
        // receipts are issued under the API's own URL unless receiptIssuer names another
        Object stageUrl = Map.of("Fn::Join", List.of("", List.of("https://", Map.of("Ref", logicalId("ValidatorApi")),
                ".execute-api.", Map.of("Ref", "AWS::Region"), ".", Map.of("Ref", "AWS::URLSuffix"), "/live")));
        template.hasOutput("ReceiptIssuer", Match.objectEquals(Map.of("Value", stageUrl)));
        template.hasOutput("ValidatorApiUrl", Match.objectEquals(Map.of("Value", stageUrl)));
        template.hasOutput("ClusterName", Match.objectEquals(Map.of("Value", Map.of("Ref", "Cluster"))));
        // the Load Balancer Controller's vpcId (its IMDS lookup is closed to pods)
        template.hasOutput("VpcId", Match.objectEquals(Map.of("Value", Map.of("Ref", "Vpc8378EB38"))));
        // the NetworkPolicies' ingress: the two private subnets (load balancers, collector, nodes)
        // (CDK plans the subnets' ranges, so the outputs are the subnets' CidrBlock values themselves)
        template.hasOutput("PrivateSubnet1Cidr", Match.objectEquals(Map.of("Value",
                props(resources.get("VpcprivateSubnet1SubnetCEAD3716")).get("CidrBlock"))));
        template.hasOutput("PrivateSubnet2Cidr", Match.objectEquals(Map.of("Value",
                props(resources.get("VpcprivateSubnet2Subnet2DE7549C")).get("CidrBlock"))));
        assertEquals("10.40.32.0/19", props(resources.get("VpcprivateSubnet1SubnetCEAD3716")).get("CidrBlock"));
    }

    @Test
    void propsRefuseTheInternetAndBurstableNodes() {
        // each from otherwise complete props, so each fails for the reason named
        assertEquals(TestApps.PORTAL_CLIENT_CIDR, TestApps.props().build().portalClientCidr());
        assertThrowsMentioning("0.0.0.0/0", () -> TestApps.props().portalClientCidr("0.0.0.0/0").build());
        assertThrowsMentioning("t3.large", () -> TestApps.props().nodeInstanceType("t3.large").build());
        for (String xen : List.of("m4.large", "c4.xlarge", "r4.large", "i3.large")) {
            assertThrowsMentioning(xen, () -> TestApps.props().nodeInstanceType(xen).build());
            // the message says why (no ENI trunking on Xen) and what to use instead
            assertThrowsMentioning("Xen (pre-Nitro) type: no ENI trunking",
                    () -> TestApps.props().nodeInstanceType(xen).build());
            assertThrowsMentioning("m6i.large", () -> TestApps.props().nodeInstanceType(xen).build());
        }
        assertEquals("m5.large", TestApps.props().nodeInstanceType("m5.large").build().nodeInstanceType());
        assertThrowsMentioning("senderAddress", () -> TestApps.props().senderAddress("billing@elsewhere.org").build());
        assertThrowsMentioning("portalCertificateArn",
                () -> TestApps.props().portalCertificateArn("arn:aws:iam::123456789012:role/x").build());
        assertThrowsMentioning("clusterAdminPrincipalArn",
                () -> TestApps.props().clusterAdminPrincipalArn("PlatformAdmins").build());
        assertThrowsMentioning("jwtIssuer", () -> TestApps.props().jwtIssuer("http://login.vendor.net").build());
        assertEquals(TestApps.JWT_ISSUER, TestApps.props().jwtIssuer(TestApps.JWT_ISSUER).build().jwtIssuer());
        assertThrowsMentioning("backOfficeCallbackUrls", () -> TestApps.props()
                .backOfficeCallbackUrls(List.of("http://backoffice.licensing-vendor.net/auth/callback")).build());
        assertThrowsMentioning("backOfficeLogoutUrls",
                () -> TestApps.props().backOfficeLogoutUrls(List.of("backoffice.licensing-vendor.net")).build());
        assertThrowsMentioning("authDomainPrefix", () -> TestApps.props().authDomainPrefix("Licensing_Vendor").build());
        assertThrowsMentioning("cognito", () -> TestApps.props().authDomainPrefix("vendor-cognito").build());
        assertEquals(List.of(TestApps.BACK_OFFICE_HOST), TestApps.props().build().backOfficeHosts());
    }

    /**
     * Cognito has no end_session_endpoint: the back office signs out at {@code <hosted-UI domain>/logout} with
     * {@code client_id} and {@code logout_uri}, and Cognito redirects only to a logout URL registered on the app client,
     * compared exactly. The back office sends {@code https://<its host>/signed-out} (its post-logout path, https behind
     * the ALB): the stack registers exactly that and refuses any other, and the prod overlay points the back office at
     * the domain the stack outputs.
     */
    @Test
    void theBackOfficesSignOutUrlIsTheOneCognitoHasRegistered() throws java.io.IOException {
        java.util.Properties backOffice = new java.util.Properties();
        try (var in = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of("..", "back-office", "src", "main",
                "resources", "application.properties"))) {
            backOffice.load(in);
        }
        assertEquals(Services.BACK_OFFICE_POST_LOGOUT_PATH, backOffice.getProperty("quarkus.oidc.logout.post-logout-path"));
        // quarkus-oidc builds logout_uri like redirect_uri: https when forced (the ALB terminates TLS)
        assertEquals("true", backOffice.getProperty("%prod.quarkus.oidc.authentication.force-redirect-https-scheme"));
        assertEquals("https://" + TestApps.BACK_OFFICE_HOST + Services.BACK_OFFICE_POST_LOGOUT_PATH,
                TestApps.BACK_OFFICE_LOGOUT);
        template.hasResourceProperties("AWS::Cognito::UserPoolClient", Match.objectLike(Map.of(
                "LogoutURLs", List.of(TestApps.BACK_OFFICE_LOGOUT))));
        // a URL Cognito would never be sent is refused at synthesis: another path, another host, a query
        for (String wrong : List.of("https://" + TestApps.BACK_OFFICE_HOST + "/",
                "https://elsewhere.licensing-vendor.net" + Services.BACK_OFFICE_POST_LOGOUT_PATH,
                TestApps.BACK_OFFICE_LOGOUT + "?x=1")) {
            assertThrowsMentioning("backOfficeLogoutUrls",
                    () -> TestApps.props().backOfficeLogoutUrls(List.of(wrong)).build());
        }
        // the overlay's end-session endpoint is the hosted-UI domain the stack outputs, + /logout
        template.hasOutput("BackOfficeSignInUrl", Match.anyValue());
        String overlay = java.nio.file.Files.readString(java.nio.file.Path.of("..", "k8s", "overlays", "prod",
                "kustomization.yaml"));
        assertTrue(overlay.contains("fieldPath: data.BackOfficeSignInUrl")
                && overlay.contains("- data.QUARKUS_OIDC_END_SESSION_PATH"), "prod overlay: end-session endpoint");
    }

    @Test
    void settingsAnOperatorMustChooseHaveNoDefault() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LicensingStackProps.builder().build());
        for (String key : List.of("clusterAdminPrincipalArn", "portalClientCidr", "portalCertificateArn",
                "senderDomain", "senderAddress", "vendorFinanceEmail", "alarmEmail", "backOfficeCallbackUrls",
                "backOfficeLogoutUrls")) {
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
        // and the app names the context key when it is missing
        Map<String, Object> context = TestApps.requiredContext();
        context.remove("portalCertificateArn");
        IllegalArgumentException fromContext = assertThrows(IllegalArgumentException.class, () ->
                LicensingApp.createStack(new App(software.amazon.awscdk.AppProps.builder().context(context).build())));
        assertTrue(fromContext.getMessage().contains("portalCertificateArn"), fromContext.getMessage());
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static void assertThrowsMentioning(String text, org.junit.jupiter.api.function.Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    private static Object sesArn(String resourceType, String logicalId) {
        return Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"), ":ses:",
                Map.of("Ref", "AWS::Region"), ":", Map.of("Ref", "AWS::AccountId"), ":" + resourceType,
                Map.of("Ref", logicalId))));
    }

    private static void alarm(String namespace, String metric, String dimension, Object dimensionValue,
            Map<String, Object> settings) {
        Map<String, Object> expected = new java.util.LinkedHashMap<>(settings);
        expected.put("Namespace", namespace);
        expected.put("MetricName", metric);
        expected.put("Dimensions", List.of(Map.of("Name", dimension, "Value", dimensionValue)));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(expected));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> props(Object resource) {
        return (Map<String, Object>) ((Map<String, Object>) resource).getOrDefault("Properties", Map.of());
    }

    /** The logical id of the single resource whose id starts with {@code prefix} followed by the CDK hash. */
    private static String logicalId(String prefix) {
        List<String> ids = resources.keySet().stream().filter(id -> id.matches(prefix + "[0-9A-F]{8}")).toList();
        assertEquals(1, ids.size(), () -> "resource " + prefix + ": " + ids);
        return ids.get(0);
    }

    private static Set<String> union(Set<String> rules, String... more) {
        Set<String> all = new TreeSet<>(rules);
        all.addAll(List.of(more));
        return all;
    }

    private static String rule(String peer, String protocol, int port) {
        return peer + " " + protocol + "/" + port;
    }

    /** Ingress rules of a security group, inline and standalone, as "peer proto/port". */
    private static Set<String> ingress(String sg) {
        return rules(sg, "SecurityGroupIngress", "AWS::EC2::SecurityGroupIngress", "SourceSecurityGroupId", "CidrIp",
                "SourcePrefixListId");
    }

    private static Set<String> egress(String sg) {
        return rules(sg, "SecurityGroupEgress", "AWS::EC2::SecurityGroupEgress",
                "DestinationSecurityGroupId", "CidrIp", "DestinationPrefixListId");
    }

    private static Set<String> rules(String sg, String inlineKey, String standaloneType, String sgKey, String cidrKey,
            String prefixListKey) {
        String id = logicalId(sg);
        List<Map<String, Object>> found = new ArrayList<>();
        Object inline = props(resources.get(id)).get(inlineKey);
        if (inline instanceof List<?> list) {
            list.forEach(r -> found.add(castMap(r)));
        }
        for (Map<String, Object> r : resources.values()) {
            if (standaloneType.equals(r.get("Type"))
                    && Map.of("Fn::GetAtt", List.of(id, "GroupId")).equals(props(r).get("GroupId"))) {
                found.add(props(r));
            }
        }
        Set<String> out = new TreeSet<>();
        // the "no traffic" placeholder that removes EC2's default allow-all egress
        found.removeIf(r -> "255.255.255.255/32".equals(r.get("CidrIp")) && "icmp".equals(r.get("IpProtocol")));
        for (Map<String, Object> r : found) {
            String peer;
            if (r.get(sgKey) instanceof Map<?, ?> ref && ref.get("Fn::GetAtt") instanceof List<?> att) {
                String target = att.get(0).toString();
                peer = "GroupId".equals(att.get(1)) ? target.substring(0, target.length() - 8) : target + "." + att.get(1);
            } else if (r.get(prefixListKey) instanceof Map<?, ?> ref) {
                peer = "pl:" + ref.get("Ref");
            } else {
                peer = "cidr:" + r.get(cidrKey);
            }
            assertEquals(r.get("FromPort"), r.get("ToPort"), "single-port rules only: " + r);
            out.add(rule(peer, r.get("IpProtocol").toString(), ((Number) r.get("FromPort")).intValue()));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    private static Map<String, Object> gsi(String name, String hash, String range) {
        return Map.of("IndexName", name,
                "KeySchema", List.of(Map.of("AttributeName", hash, "KeyType", "HASH"),
                        Map.of("AttributeName", range, "KeyType", "RANGE")),
                "Projection", Map.of("ProjectionType", "ALL"));
    }

    private static Object tableArn() {
        return Map.of("Fn::GetAtt", List.of(logicalId("LicenseTable"), "Arn"));
    }

    private static Object indexArn(String index) {
        return Map.of("Fn::Join", List.of("", List.of(tableArn(), "/index/" + index)));
    }

    private static Map<String, Object> statement(List<String> actions, Object resource) {
        return Map.of("Action", actions.size() == 1 ? actions.get(0) : actions, "Effect", "Allow",
                "Resource", resource);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> statementsOf(String role) {
        List<Object> policies = (List<Object>) props(resources.get(logicalId(role))).get("Policies");
        assertEquals(1, policies.size());
        return (List<Object>) ((Map<String, Object>) ((Map<String, Object>) policies.get(0)).get("PolicyDocument"))
                .get("Statement");
    }

    private static String serviceSuffix(Object serviceName) {
        var m = java.util.regex.Pattern.compile("\\}, (\\.[a-z0-9.-]+)").matcher(String.valueOf(serviceName));
        String last = String.valueOf(serviceName);
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }
}
