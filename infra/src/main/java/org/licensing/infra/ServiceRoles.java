package org.licensing.infra;

import java.util.List;
import java.util.Map;

import org.licensing.store.LicenseTable;
import software.amazon.awscdk.services.eks.CfnCluster;
import software.amazon.awscdk.services.eks.CfnNodegroup;
import software.amazon.awscdk.services.eks.CfnPodIdentityAssociation;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IPrincipal;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.iam.SessionTagsPrincipal;
import software.constructs.Construct;

/**
 * One IAM role per pod that calls AWS, assumed through EKS Pod Identity by its service account only, with one statement
 * per resource: the three services (exactly the calls their code makes, see infra/README.md), the AWS Load Balancer
 * Controller and the Cluster Autoscaler.
 */
final class ServiceRoles extends Part {

    private final Role validatorRole;
    private final Role issuerRole;
    private final Role notificationRole;
    private final Role delivererRole;
    private final Role clusterAutoscalerRole;
    private final CfnCluster cluster;

    ServiceRoles(Construct scope, String id, LicensingStackProps props, CfnCluster cluster, CfnNodegroup nodes,
            Data data, Gateway gateway) {
        super(scope, id);
        this.cluster = cluster;
        // The calls each service's code makes (infra/README.md has the table):
        //   validator     GetItem, UpdateItem on the table
        //   issuer        DescribeTable (readiness), GetItem, PutItem, UpdateItem, DeleteItem (idempotency release),
        //                 Scan (read-model rebuild) on the table; Query on by-pending-events (the import of the
        //                 validator's and notification service's events; search reads the PostgreSQL read model)
        //   notification  Query on by-expiry-day; GetItem, UpdateItem on the table (licenses, send ledger);
        //                 SendMessage(Batch), ReceiveMessage, DeleteMessage, ChangeMessageVisibility on the queue;
        //                 GetQueueAttributes, ReceiveMessage, DeleteMessage(Batch) on the DLQ (depth, redrive);
        //                 SendEmail from the sender address
        String tableArn = data.table().getTableArn();
        validatorRole = serviceRole("ValidatorRole", Services.VALIDATOR, List.of(
                allow(List.of("dynamodb:GetItem", "dynamodb:UpdateItem"), List.of(tableArn))));

        issuerRole = serviceRole("IssuerRole", Services.ISSUER, List.of(
                allow(List.of("dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                        "dynamodb:DeleteItem", "dynamodb:Scan"), List.of(tableArn)),
                allow(List.of("dynamodb:Query"), List.of(data.indexArn(LicenseTable.BY_PENDING_EVENTS_INDEX)))));

        // The webhook deliverer runs the issuer's image with delivery on and the reconciler off: it reads and records
        // deliveries in PostgreSQL (no AWS API) and, of the issuer's calls, makes only the readiness check's
        // DescribeTable (BackendsReadiness). Its signing keys and idempotency secret are not the issuer's (k8s/README.md).
        delivererRole = serviceRole("WebhookDelivererRole", Services.WEBHOOK_DELIVERER, List.of(
                allow(List.of("dynamodb:DescribeTable"), List.of(tableArn))));

        notificationRole = serviceRole("NotificationRole", Services.NOTIFICATION, List.of(
                allow(List.of("dynamodb:GetItem", "dynamodb:UpdateItem"), List.of(tableArn)),
                allow(List.of("dynamodb:Query"), List.of(data.indexArn(LicenseTable.BY_EXPIRY_DAY_INDEX))),
                allow(List.of("sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage",
                        "sqs:ChangeMessageVisibility"), List.of(data.reminderQueue().getQueueArn())),
                allow(List.of("sqs:GetQueueAttributes", "sqs:ReceiveMessage", "sqs:DeleteMessage"),
                        List.of(data.reminderDlq().getQueueArn())),
                // SES authorizes a send against the identity and the configuration set it goes through.
                PolicyStatement.Builder.create()
                        .effect(Effect.ALLOW)
                        .actions(List.of("ses:SendEmail"))
                        .resources(List.of(data.senderIdentity().getEmailIdentityArn(), data.configurationSetArn()))
                        .conditions(Map.of("StringEquals", Map.of("ses:FromAddress", props.senderAddress())))
                        .build()));

        // The AWS Load Balancer Controller only reconciles TargetGroupBindings (pod IPs into our target groups).
        Role lbControllerRole = podIdentityRole("LbControllerRole", List.of(
                allow(List.of("elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"),
                        List.of(gateway.validatorTargetGroup().getTargetGroupArn(),
                                gateway.issuerTargetGroup().getTargetGroupArn(),
                                gateway.backOfficeTargetGroup().getTargetGroupArn())),
                allow(List.of("elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth",
                                "elasticloadbalancing:DescribeTags", "elasticloadbalancing:DescribeListeners",
                                "elasticloadbalancing:DescribeLoadBalancers", "ec2:DescribeInstances",
                                "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets",
                                "ec2:DescribeVpcs"),
                        List.of("*"))));
        associate("LbControllerIdentity", Services.LB_CONTROLLER_NAMESPACE, Services.LB_CONTROLLER_SERVICE_ACCOUNT,
                lbControllerRole);

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
        associate("ClusterAutoscalerIdentity", Services.CLUSTER_AUTOSCALER_NAMESPACE,
                Services.CLUSTER_AUTOSCALER_SERVICE_ACCOUNT, clusterAutoscalerRole);

        Nag.suppress(lbControllerRole, "AwsSolutions-IAM5", "Only the Describe* calls the load balancer controller "
                + "needs have Resource *: those APIs support no resource-level permissions. Register/Deregister are "
                + "limited to the three target groups.");
        Nag.suppress(clusterAutoscalerRole, "AwsSolutions-IAM5", "The autoscaling/ec2 Describe* calls support no "
                + "resource-level permissions. SetDesiredCapacity/TerminateInstanceInAutoScalingGroup are limited by "
                + "the condition to groups tagged k8s.io/cluster-autoscaler/<cluster>=owned (EKS names and tags the "
                + "managed node group's ASG, so no fixed ARN exists at synth); DescribeNodegroup is on this node group.");
    }

    private Role serviceRole(String id, String serviceAccount, List<PolicyStatement> statements) {
        Role role = podIdentityRole(id, statements);
        associate(id.replace("Role", "Identity"), Services.NAMESPACE, serviceAccount, role);
        return role;
    }

    private void associate(String id, String namespace, String serviceAccount, Role role) {
        CfnPodIdentityAssociation.Builder.create(this, id)
                .clusterName(cluster.getRef())
                .namespace(namespace)
                .serviceAccount(serviceAccount)
                .roleArn(role.getRoleArn())
                .build();
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

    Role validatorRole() { return validatorRole; }
    Role issuerRole() { return issuerRole; }
    Role notificationRole() { return notificationRole; }
    Role delivererRole() { return delivererRole; }
    Role clusterAutoscalerRole() { return clusterAutoscalerRole; }
}
