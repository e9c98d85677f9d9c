package org.licensing.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * The logical ids of the resources that hold data or that other things are bound to, as the stack synthesized them
 * before it was split into parts (recorded from that template; the REST API's execution log group, the NLB's
 * target group, the metrics workspace and the collector's security group came after). CloudFormation replaces a resource whose logical id
 * changes; for these that loses data (table, queues, database, secrets, user pool and its client secret, images, log
 * groups, topics with confirmed subscriptions, the cluster) or breaks what names them (the security groups and target
 * groups the prod overlay's SecurityGroupPolicies and TargetGroupBindings point at). A new resource of one of these
 * types must be added here, so its id is chosen once and kept.
 */
class StatefulLogicalIdsTest {

    static final Map<String, List<String>> PINNED = pinned();

    private static Map<String, List<String>> pinned() {
        Map<String, List<String>> ids = new LinkedHashMap<>();
        ids.put("AWS::DynamoDB::Table", List.of("LicenseTable4522C811"));
        ids.put("AWS::SQS::Queue", List.of("ReminderDlq8A03D3C1", "ReminderQueue424B63FB"));
        ids.put("AWS::RDS::DBCluster", List.of("CatalogDb87159883"));
        ids.put("AWS::RDS::DBInstance", List.of("CatalogDbreader165A7CB5", "CatalogDbwriter72927C09"));
        ids.put("AWS::SecretsManager::Secret", List.of("DatabaseAppSecretD67BC15C",
                "LicensingPlatformCatalogDbSecretDF9E27473fdaad7efa858a3daf9490cf0a702aeb"));
        ids.put("AWS::Cognito::UserPool", List.of("BackOfficeUsersACEBD149"));
        ids.put("AWS::Cognito::UserPoolClient", List.of("BackOfficeUsersBackOfficeClient087F36E5"));
        ids.put("AWS::Cognito::UserPoolDomain", List.of("BackOfficeUsersBackOfficeSignIn4871A38A"));
        ids.put("AWS::Cognito::UserPoolGroup", List.of("BackOfficeGroupAdminC3385089", "BackOfficeGroupFinance9C078221",
                "BackOfficeGroupOperatorB59A9AB6", "BackOfficeGroupViewerAEEEFCB6"));
        ids.put("AWS::ECR::Repository", List.of("BackOfficeImagesBC064C64", "IssuerImages216AFD32",
                "NotificationImagesB6758E3C", "ValidatorImages80EC9AF3"));
        ids.put("AWS::S3::Bucket", List.of("LoadBalancerLogsC31A6119"));
        ids.put("AWS::KMS::Key", List.of("OperationsKey2329F47A"));
        ids.put("AWS::APS::Workspace", List.of("MetricsWorkspace"));
        ids.put("AWS::Logs::LogGroup", List.of("CatalogDbLogs6CB05060", "ClusterLogs8A7942D7",
                "ContainerInsightsApplication72EC395F", "ContainerInsightsDataplaneF72C0974",
                "ContainerInsightsHost65DE0E10", "ContainerInsightsPerformance2D9EAB01", "ValidatorApiAccessLogs4EC74653",
                "ValidatorApiExecutionLogs545BBA82", "VpcFlowLogsE6FFDEF9"));
        ids.put("AWS::SES::EmailIdentity", List.of("SenderIdentity5AECAF6F"));
        ids.put("AWS::SES::ConfigurationSet", List.of("EmailConfigurationSet096C0FB5"));
        ids.put("AWS::SNS::Topic", List.of("AlarmTopicD01E77F9", "EmailEventsTopic13C4A145"));
        ids.put("AWS::EKS::Cluster", List.of("Cluster"));
        ids.put("AWS::EKS::Nodegroup", List.of("ServiceNodes"));
        ids.put("AWS::EC2::VPC", List.of("Vpc8378EB38"));
        ids.put("AWS::EC2::Subnet", List.of("VpcisolatedSubnet1SubnetE62B1B9B", "VpcisolatedSubnet2Subnet39217055",
                "VpcprivateSubnet1SubnetCEAD3716", "VpcprivateSubnet2Subnet2DE7549C", "VpcpublicSubnet1Subnet2BB74ED7",
                "VpcpublicSubnet2SubnetE34B022A"));
        ids.put("AWS::EC2::SecurityGroup", List.of("ApiVpcLinkSg58692AA0", "BackOfficeSgE58B2AFD", "DatabaseSgBF3CBC42",
                "EndpointsSg43FE27CA", "GatewayAlbSgFDB5D531", "IssuerSg1873C0CB", "MessagingEndpointsSgF27DA73A",
                "MetricsCollectorSg3F001AD1",
                "NotificationSg6A53BA70",
                "PortalAlbSg5BD2B85C", "ValidatorSgFAC88DE4", "WebhookDelivererSg57F2F09D"));
        ids.put("AWS::ElasticLoadBalancingV2::TargetGroup", List.of("BackOfficeTargetGroup81848989",
                "IssuerTargetGroup07104840", "ValidatorNlbTcpGatewayAlbGroup99325FDD", "ValidatorTargetGroup31C93D51"));
        return ids;
    }

    @Test
    @SuppressWarnings("unchecked")
    void statefulResourcesKeepTheirLogicalIds() {
        Map<String, Map<String, Object>> resources = (Map<String, Map<String, Object>>) (Map<?, ?>)
                TestApps.template().toJSON().get("Resources");
        Map<String, Set<String>> synthesized = new TreeMap<>();
        resources.forEach((id, resource) -> {
            String type = (String) resource.get("Type");
            if (PINNED.containsKey(type)) {
                synthesized.computeIfAbsent(type, t -> new TreeSet<>()).add(id);
            }
        });
        Map<String, Set<String>> expected = new TreeMap<>();
        PINNED.forEach((type, ids) -> {
            if (!ids.isEmpty()) {
                expected.put(type, new TreeSet<>(ids));
            }
        });
        // the check's output, for the record (the closing note asks for it)
        int pinned = 0;
        for (Map.Entry<String, List<String>> e : PINNED.entrySet()) {
            for (String id : e.getValue()) {
                boolean same = synthesized.getOrDefault(e.getKey(), Set.of()).contains(id);
                System.out.printf("logical-id %-44s %-72s %s%n", e.getKey(), id, same ? "kept" : "CHANGED");
                pinned++;
            }
        }
        System.out.println("logical-id check: " + pinned + " pinned ids of " + PINNED.size() + " stateful types");
        assertEquals(expected, synthesized);
    }
}
