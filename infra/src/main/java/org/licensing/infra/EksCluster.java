package org.licensing.infra;

import java.util.List;
import java.util.Map;

import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.CfnLaunchTemplate;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SecurityGroupImportOptions;
import software.amazon.awscdk.services.eks.CfnAccessEntry;
import software.amazon.awscdk.services.eks.CfnAddon;
import software.amazon.awscdk.services.eks.CfnCluster;
import software.amazon.awscdk.services.eks.CfnNodegroup;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.iam.SessionTagsPrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * The EKS cluster (L1 constructs: see the stack's comment), its access entry, the managed node group and the
 * add-ons: VPC CNI with security groups for pods, Pod Identity agent, kube-proxy, CoreDNS, metrics-server and
 * CloudWatch observability (Container Insights and container logs into pre-created log groups).
 */
final class EksCluster extends Part {

    /** Container Insights log groups the amazon-cloudwatch-observability add-on writes to. */
    static final List<String> CONTAINER_INSIGHTS_LOG_GROUPS = List.of("application", "dataplane", "host",
            "performance");

    /** Construct ids of the add-ons (their logical ids: unchanged since before the versions were pinned). */
    private static final Map<String, String> ADDON_IDS = Map.of(
            EksAddons.VPC_CNI, "VpcCniAddon",
            EksAddons.POD_IDENTITY_AGENT, "PodIdentityAgentAddon",
            EksAddons.KUBE_PROXY, "KubeProxyAddon",
            EksAddons.COREDNS, "CoreDnsAddon",
            EksAddons.METRICS_SERVER, "MetricsServerAddon",
            EksAddons.CLOUDWATCH_OBSERVABILITY, "CloudWatchObservabilityAddon");

    private final CfnCluster cluster;
    private final CfnNodegroup nodes;
    private final ISecurityGroup clusterSg;

    EksCluster(Construct scope, String id, LicensingStackProps props, List<String> privateSubnetIds) {
        super(scope, id);
        Stack stack = Stack.of(this);
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
        LogGroup clusterLogs = Logs.retained(this, "ClusterLogs", "/aws/eks/" + props.clusterName() + "/cluster",
                props.logRetention());
        cluster = CfnCluster.Builder.create(this, "Cluster")
                .name(props.clusterName())
                .version(props.kubernetesVersion())
                .roleArn(clusterRole.getRoleArn())
                .resourcesVpcConfig(vpcConfig.build())
                // No extended support (about $365 a month more): at the end of standard support EKS upgrades the
                // control plane itself; bump kubernetesVersion before that, so the node group follows in the same deploy.
                .upgradePolicy(CfnCluster.UpgradePolicyProperty.builder().supportType("STANDARD").build())
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
                        .policyArn("arn:" + stack.getPartition()
                                + ":eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy")
                        .accessScope(CfnAccessEntry.AccessScopeProperty.builder().type("cluster").build())
                        .build()))
                .build();

        // The VPC CNI: branch ENIs for SecurityGroupPolicy, network policy agent for NetworkPolicy. Standard
        // enforcing mode keeps kubelet probes and node-local traffic (Pod Identity agent, CoreDNS) working.
        // External SNAT: pod traffic leaving the VPC keeps the pod's IP and branch ENI (the NAT gateway translates
        // it), so the pod security group, not the node's, judges it (DynamoDB prefix list, endpoints only).
        // The CNI's AWS calls (ENIs, addresses) under a role of its own through Pod Identity (service account
        // aws-node), not the node role: a pod that reached the node's credentials would get no ENI rights.
        CfnAddon podIdentityAgent = addon(props, EksAddons.POD_IDENTITY_AGENT).build();
        CfnAddon vpcCni = addonWithRole(props, EksAddons.VPC_CNI, "VpcCniRole", "AmazonEKS_CNI_Policy",
                Services.VPC_CNI_SERVICE_ACCOUNT, "The VPC CNI is documented with AmazonEKS_CNI_Policy (ENIs and "
                        + "addresses of the nodes); AWS versions it with the CNI. Only the aws-node service account "
                        + "assumes it.")
                .configurationValues("{\"enableNetworkPolicy\":\"true\","
                        + "\"env\":{\"ENABLE_POD_ENI\":\"true\",\"POD_SECURITY_GROUP_ENFORCING_MODE\":\"standard\","
                        + "\"AWS_VPC_K8S_CNI_EXTERNALSNAT\":\"true\"},"
                        + "\"init\":{\"env\":{\"DISABLE_TCP_EARLY_DEMUX\":\"true\"}}}")
                .build();
        vpcCni.addResourceDependency(podIdentityAgent);
        addon(props, EksAddons.KUBE_PROXY).build();

        Role nodeRole = Role.Builder.create(this, "NodeRole")
                .assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
                .managedPolicies(List.of(
                        ManagedPolicy.fromAwsManagedPolicyName("AmazonEKSWorkerNodePolicy"),
                        ManagedPolicy.fromAwsManagedPolicyName("AmazonEC2ContainerRegistryPullOnly")))
                .build();
        // IMDSv2 only, one hop: the node's own processes (kubelet, host-network DaemonSets such as aws-node and the
        // Pod Identity agent) reach the instance metadata, a pod in its own network namespace does not (its packets
        // need a second hop), so no pod can take the node role's credentials.
        CfnLaunchTemplate nodeTemplate = CfnLaunchTemplate.Builder.create(this, "NodeLaunchTemplate")
                .launchTemplateData(CfnLaunchTemplate.LaunchTemplateDataProperty.builder()
                        .metadataOptions(CfnLaunchTemplate.MetadataOptionsProperty.builder()
                                .httpEndpoint("enabled")
                                .httpTokens("required")
                                .httpPutResponseHopLimit(1)
                                .build())
                        .build())
                .build();
        nodes = CfnNodegroup.Builder.create(this, "ServiceNodes")
                .clusterName(cluster.getRef())
                .nodeRole(nodeRole.getRoleArn())
                .launchTemplate(CfnNodegroup.LaunchTemplateSpecificationProperty.builder()
                        .id(nodeTemplate.getRef())
                        .version(nodeTemplate.getAttrLatestVersionNumber())
                        .build())
                .subnets(privateSubnetIds)
                .amiType("AL2023_x86_64_STANDARD")
                // the nodes run the control plane's version: a version bump upgrades them in the same deploy
                .version(props.kubernetesVersion())
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
        CfnAddon coreDns = addon(props, EksAddons.COREDNS).build();
        coreDns.addResourceDependency(nodes);
        // Resource metrics for the HorizontalPodAutoscalers (kubectl top, HPA cpu targets).
        CfnAddon metricsServer = addon(props, EksAddons.METRICS_SERVER).build();
        metricsServer.addResourceDependency(nodes);

        // Container logs and Container Insights (Fluent Bit + CloudWatch agent) into log groups with a retention.
        CfnAddon observability = addonWithRole(props, EksAddons.CLOUDWATCH_OBSERVABILITY, "CloudWatchAgentRole",
                "CloudWatchAgentServerPolicy", Services.CLOUDWATCH_AGENT_SERVICE_ACCOUNT, "The "
                        + "amazon-cloudwatch-observability add-on is documented with CloudWatchAgentServerPolicy "
                        + "(PutMetricData, log streams of the Container Insights groups, DescribeTags); AWS versions it "
                        + "with the agent. Only the add-on's service account assumes it.")
                .build();
        observability.addResourceDependency(nodes);
        observability.addResourceDependency(podIdentityAgent);
        for (String name : CONTAINER_INSIGHTS_LOG_GROUPS) {
            LogGroup group = Logs.retained(this,
                    "ContainerInsights" + Character.toUpperCase(name.charAt(0)) + name.substring(1),
                    "/aws/containerinsights/" + props.clusterName() + "/" + name, props.logRetention());
            observability.addResourceDependency((CfnResource) group.getNode().getDefaultChild());
        }

        // EKS creates this group and puts the control plane ENIs and the managed nodes in it. Imported at the stack's
        // level: the rules of the service groups towards it are named after its path (see FlatSecurityGroup).
        clusterSg = SecurityGroup.fromSecurityGroupId(stack, "ClusterSg", cluster.getAttrClusterSecurityGroupId(),
                SecurityGroupImportOptions.builder().mutable(true).allowAllOutbound(true).build());

        // The private API endpoint from the administrators' network (VPN, peered range): kubectl, Helm, release.sh.
        for (String cidr : props.clusterAdminCidrs()) {
            clusterSg.addIngressRule(Peer.ipv4(cidr), Port.tcp(443), "Kubernetes API (private endpoint) from admins");
        }

        Nag.suppress(clusterRole, "AwsSolutions-IAM4", "EKS requires AmazonEKSClusterPolicy and, for security groups "
                + "for pods, AmazonEKSVPCResourceController on the cluster role; AWS versions them with EKS.");
        Nag.suppress(nodeRole, "AwsSolutions-IAM4", "Managed node groups require AmazonEKSWorkerNodePolicy and "
                + "AmazonEC2ContainerRegistryPullOnly on the node role; AWS versions them.");
    }

    /** One of {@link EksAddons#NAMES} on this cluster, at the version pinned for the cluster's version. */
    private CfnAddon.Builder addon(LicensingStackProps props, String name) {
        return CfnAddon.Builder.create(this, ADDON_IDS.get(name))
                .clusterName(cluster.getRef())
                .addonName(name)
                .addonVersion(props.addonVersions().get(name))
                .resolveConflicts("OVERWRITE");
    }

    /**
     * An add-on whose service account gets a role of its own (Pod Identity) with one AWS-managed policy, the one the
     * add-on is documented with ({@code nagReason} says so for cdk-nag's IAM4).
     */
    private CfnAddon.Builder addonWithRole(LicensingStackProps props, String name, String roleId, String policy,
            String serviceAccount, String nagReason) {
        Role role = Role.Builder.create(this, roleId)
                .assumedBy(new SessionTagsPrincipal(new ServicePrincipal("pods.eks.amazonaws.com")))
                .managedPolicies(List.of(ManagedPolicy.fromAwsManagedPolicyName(policy)))
                .build();
        Nag.suppress(role, "AwsSolutions-IAM4", nagReason);
        return addon(props, name).podIdentityAssociations(List.of(CfnAddon.PodIdentityAssociationProperty.builder()
                .serviceAccount(serviceAccount)
                .roleArn(role.getRoleArn())
                .build()));
    }

    CfnCluster cluster() {
        return cluster;
    }

    CfnNodegroup nodes() {
        return nodes;
    }

    /** The security group EKS gives the control plane and the managed nodes (kubelet probes, CoreDNS). */
    ISecurityGroup clusterSg() {
        return clusterSg;
    }
}
