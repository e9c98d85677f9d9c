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
        App app = new App();
        stack = LicensingApp.createStack(app);
        template = Template.fromStack(stack);
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
                assertEquals(List.of(Map.of("Fn::GetAtt", List.of(logicalId("EndpointsSg"), "GroupId"))),
                        p.get("SecurityGroupIds"));
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
        assertEquals(Set.of(rule("GatewayAlbSg", "tcp", 8080), rule(cluster, "tcp", 8080)), ingress("ValidatorSg"));
        assertEquals(Set.of(rule("PortalAlbSg", "tcp", 8080), rule(cluster, "tcp", 8080)), ingress("IssuerSg"));
        // notification-service has no callers: only the kubelet's health probes from the nodes
        assertEquals(Set.of(rule(cluster, "tcp", 8080)), ingress("NotificationSg"));
        assertEquals(Set.of(rule("ApiVpcLinkSg", "tcp", 80)), ingress("GatewayAlbSg"));
        assertEquals(Set.of(rule("cidr:10.40.0.0/16", "tcp", 80)), ingress("PortalAlbSg"));
        assertEquals(Set.of(), ingress("ApiVpcLinkSg"));
        assertEquals(Set.of(rule("ValidatorSg", "tcp", 443), rule("IssuerSg", "tcp", 443),
                rule("NotificationSg", "tcp", 443), rule(cluster, "tcp", 443)), ingress("EndpointsSg"));
    }

    @Test
    void databaseAdmitsOnlyTheIssuerOn5432() {
        assertEquals(Set.of(rule("IssuerSg", "tcp", 5432)), ingress("DatabaseSg"));
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
        Set<String> common = Set.of(rule("pl:DynamoDbPrefixListId", "tcp", 443), rule("EndpointsSg", "tcp", 443),
                rule(cluster, "tcp", 53), rule(cluster, "udp", 53), rule("cidr:169.254.170.23/32", "tcp", 80));
        assertEquals(common, egress("ValidatorSg"));
        assertEquals(common, egress("NotificationSg"));
        Set<String> issuer = new TreeSet<>(common);
        issuer.add(rule("DatabaseSg", "tcp", 5432));
        assertEquals(issuer, egress("IssuerSg"));
        assertEquals(Set.of(rule("ValidatorSg", "tcp", 8080)), egress("GatewayAlbSg"));
        assertEquals(Set.of(rule("IssuerSg", "tcp", 8080)), egress("PortalAlbSg"));
        assertEquals(Set.of(rule("GatewayAlbSg", "tcp", 80)), egress("ApiVpcLinkSg"));
        assertEquals(Set.of(), egress("DatabaseSg"));
        assertEquals(Set.of(), egress("EndpointsSg"));
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
                assertFalse(String.valueOf(p.get("SecurityGroupEgress")).contains("0.0.0.0/0"), e.getKey());
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
                "GlobalSecondaryIndexes", Match.arrayWith(List.of(
                        gsi(LicenseTable.BY_CUSTOMER_INDEX, LicenseTable.CUSTOMER_ID, LicenseTable.ISSUED_AT),
                        gsi(LicenseTable.BY_EXPIRY_DAY_INDEX, LicenseTable.EXPIRY_DAY, LicenseTable.EXPIRES_AT),
                        gsi(LicenseTable.BY_PRODUCT_INDEX, LicenseTable.PRODUCT_CODE, LicenseTable.EXPIRES_AT))),
                "AttributeDefinitions", Match.arrayWith(List.of(
                        Map.of("AttributeName", LicenseTable.PK, "AttributeType", "S"),
                        Map.of("AttributeName", LicenseTable.ISSUED_AT, "AttributeType", "N"),
                        Map.of("AttributeName", LicenseTable.EXPIRY_DAY, "AttributeType", "S"))),
                "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                "SSESpecification", Map.of("SSEEnabled", true),
                "TimeToLiveSpecification", Map.of("AttributeName", LicenseTable.TTL, "Enabled", true),
                "DeletionProtectionEnabled", true)));
        List<?> indexes = (List<?>) props(template.findResources("AWS::DynamoDB::Table").values().iterator().next())
                .get("GlobalSecondaryIndexes");
        assertEquals(3, indexes.size());
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
        // TLS only on both queues
        template.resourcePropertiesCountIs("AWS::SQS::QueuePolicy", Match.objectLike(Map.of("PolicyDocument",
                Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))), 2);
    }

    @Test
    void sesIdentityAndAuroraServerlessWithSecret() {
        template.hasResourceProperties("AWS::SES::EmailIdentity",
                Match.objectLike(Map.of("EmailIdentity", "licensing.example.com")));
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
        template.resourceCountIs("AWS::SecretsManager::Secret", 1);
    }

    // ---- IAM ------------------------------------------------------------------------------------------------

    @Test
    void validatorRoleGetsAndUpdatesTheTableOnly() {
        assertEquals(List.of(statement(List.of("dynamodb:GetItem", "dynamodb:UpdateItem"), tableArn())),
                statementsOf("ValidatorRole"));
    }

    @Test
    void issuerRoleHasItsTableActionsOnTableAndIndexes() {
        assertEquals(List.of(statement(
                        List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"),
                        List.of(tableArn(), indexArn(LicenseTable.BY_CUSTOMER_INDEX),
                                indexArn(LicenseTable.BY_EXPIRY_DAY_INDEX), indexArn(LicenseTable.BY_PRODUCT_INDEX)))),
                statementsOf("IssuerRole"));
    }

    @Test
    void notificationRoleQueriesTheExpiryIndexUsesItsQueuesAndSendsFromTheIdentity() {
        Object queues = List.of(Map.of("Fn::GetAtt", List.of(logicalId("ReminderQueue"), "Arn")),
                Map.of("Fn::GetAtt", List.of(logicalId("ReminderDlq"), "Arn")));
        Map<String, Object> ses = new java.util.LinkedHashMap<>(statement(List.of("ses:SendEmail"),
                Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"), ":ses:",
                        Map.of("Ref", "AWS::Region"), ":", Map.of("Ref", "AWS::AccountId"), ":identity/",
                        Map.of("Ref", logicalId("SenderIdentity")))))));
        ses.put("Condition", Map.of("StringEquals", Map.of("ses:FromAddress", "renewals@licensing.example.com")));
        assertEquals(List.of(
                        statement(List.of("dynamodb:Query"), indexArn(LicenseTable.BY_EXPIRY_DAY_INDEX)),
                        statement(List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"), tableArn()),
                        statement(List.of("sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage",
                                "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"), queues),
                        statement(List.of("sqs:StartMessageMoveTask", "sqs:ListMessageMoveTasks"),
                                Map.of("Fn::GetAtt", List.of(logicalId("ReminderDlq"), "Arn"))),
                        ses),
                statementsOf("NotificationRole"));
    }

    @Test
    void serviceRolesAreAssumedOnlyThroughPodIdentityBySomeServiceAccount() {
        for (String[] binding : new String[][] {{"ValidatorRole", Services.VALIDATOR},
                {"IssuerRole", Services.ISSUER}, {"NotificationRole", Services.NOTIFICATION}}) {
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
        // no other policy is attached to a service role
        template.allResourcesProperties("AWS::IAM::Policy", Match.objectLike(Map.of("Roles",
                Match.not(Match.arrayWith(List.of(Map.of("Ref", logicalId("ValidatorRole")))))))) ;
    }

    // ---- EKS and the gateway --------------------------------------------------------------------------------

    @Test
    void eksClusterWithPodSecurityGroupsAndPodIdentity() {
        template.hasResourceProperties("AWS::EKS::Cluster", Match.objectLike(Map.of(
                "AccessConfig", Map.of("AuthenticationMode", "API", "BootstrapClusterCreatorAdminPermissions", true),
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
    void httpApiReachesTheValidatorThroughAVpcLinkWithThrottlingAndAccessLogs() {
        template.hasResourceProperties("AWS::ApiGatewayV2::Api", Match.objectLike(Map.of("ProtocolType", "HTTP")));
        template.hasResourceProperties("AWS::ApiGatewayV2::VpcLink", Match.objectLike(Map.of(
                "SecurityGroupIds", List.of(Map.of("Fn::GetAtt", List.of(logicalId("ApiVpcLinkSg"), "GroupId"))))));
        template.hasResourceProperties("AWS::ApiGatewayV2::Integration", Match.objectLike(Map.of(
                "IntegrationType", "HTTP_PROXY",
                "ConnectionType", "VPC_LINK",
                "IntegrationUri", Map.of("Ref", Match.stringLikeRegexp("GatewayAlbHttp.*")))));
        template.hasResourceProperties("AWS::ApiGatewayV2::Stage", Match.objectLike(Map.of(
                "StageName", "$default",
                "DefaultRouteSettings", Map.of("ThrottlingRateLimit", 200, "ThrottlingBurstLimit", 400),
                "AccessLogSettings", Match.objectLike(Map.of(
                        "DestinationArn", Map.of("Fn::GetAtt", List.of(logicalId("ValidatorApiAccessLogs"), "Arn")),
                        "Format", Match.stringLikeRegexp(".*\\$context.requestId.*"))))));
        Set<String> routes = new TreeSet<>();
        template.findResources("AWS::ApiGatewayV2::Route").values()
                .forEach(r -> routes.add(props(r).get("RouteKey").toString()));
        assertEquals(Set.of("ANY /v1/{proxy+}", "GET /.well-known/jwks.json"), routes);
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", Match.objectLike(Map.of(
                "TargetType", "ip", "Port", 8080, "HealthCheckPath", "/q/health/ready")));
    }

    @Test
    void outputsCarryWhatTheProdOverlayNeeds() {
        for (String output : List.of("ClusterName", "VpcCidr", "LicenseTableName", "ReminderQueueUrl", "ReminderDlqUrl",
                "DatabaseEndpoint", "DatabaseSecretArn", "ValidatorSecurityGroupId", "IssuerSecurityGroupId",
                "NotificationSecurityGroupId", "ValidatorRoleArn", "IssuerRoleArn", "NotificationRoleArn",
                "ValidatorTargetGroupArn", "IssuerTargetGroupArn", "ValidatorApiUrl", "SenderAddress", "Region")) {
            template.hasOutput(output, Match.anyValue());
        }
    }

    @Test
    void propsRefuseTheInternetAndBurstableNodes() {
        assertThrows(IllegalArgumentException.class,
                () -> LicensingStackProps.builder().portalClientCidr("0.0.0.0/0").build());
        assertThrows(IllegalArgumentException.class,
                () -> LicensingStackProps.builder().nodeInstanceType("t3.large").build());
        assertThrows(IllegalArgumentException.class,
                () -> LicensingStackProps.builder().senderAddress("billing@elsewhere.org").build());
    }

    // ---- helpers --------------------------------------------------------------------------------------------

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
