package org.licensing.infra;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The EKS add-ons the cluster runs and their versions per Kubernetes version. CloudFormation installs an add-on's
 * default version at creation and never moves it when the cluster's version changes; with a pinned version per
 * cluster version, a bump of {@code kubernetesVersion} upgrades the control plane, the node group and every add-on in
 * one deploy, and a version without a row here is refused at synthesis (add the row first).
 *
 * <p>A row is what {@code aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name> --query
 * 'addons[].addonVersions[0].addonVersion'} lists as the newest build for that version (infra/README.md, "EKS add-ons");
 * EKS refuses a version it does not offer for the cluster's version, so a wrong row fails the deploy, not the cluster.
 */
final class EksAddons {

    static final String VPC_CNI = "vpc-cni";
    static final String POD_IDENTITY_AGENT = "eks-pod-identity-agent";
    static final String KUBE_PROXY = "kube-proxy";
    static final String COREDNS = "coredns";
    static final String METRICS_SERVER = "metrics-server";
    static final String CLOUDWATCH_OBSERVABILITY = "amazon-cloudwatch-observability";

    /** Every add-on the stack installs: each row names a version for each. */
    static final List<String> NAMES = List.of(VPC_CNI, POD_IDENTITY_AGENT, KUBE_PROXY, COREDNS, METRICS_SERVER,
            CLOUDWATCH_OBSERVABILITY);

    /** Kubernetes version -> add-on -> version. kube-proxy's minor always equals the cluster's. */
    private static final Map<String, Map<String, String>> VERSIONS = Map.of(
            "1.35", Map.of(
                    VPC_CNI, "v1.21.1-eksbuild.1",
                    POD_IDENTITY_AGENT, "v1.3.10-eksbuild.1",
                    KUBE_PROXY, "v1.35.0-eksbuild.2",
                    COREDNS, "v1.13.1-eksbuild.1",
                    METRICS_SERVER, "v0.8.0-eksbuild.3",
                    CLOUDWATCH_OBSERVABILITY, "v4.7.0-eksbuild.1"));

    private EksAddons() {
    }

    /** The pinned versions for {@code kubernetesVersion}; refuses a version without a row. */
    static Map<String, String> versionsFor(String kubernetesVersion) {
        Map<String, String> row = VERSIONS.get(kubernetesVersion);
        if (row == null) {
            throw new IllegalArgumentException("no EKS add-on versions for Kubernetes " + kubernetesVersion + " (known: "
                    + new TreeMap<>(VERSIONS).keySet() + "): add a row to EksAddons from `aws eks describe-addon-versions"
                    + " --kubernetes-version " + kubernetesVersion + "`, or pass the context key addonVersions"
                    + " (name=version,...) for " + NAMES);
        }
        return row;
    }

    /** {@code versions} must name exactly the stack's add-ons, each with an EKS add-on version string. */
    static Map<String, String> check(Map<String, String> versions, String kubernetesVersion) {
        if (!new TreeMap<>(versions).keySet().equals(new java.util.TreeSet<>(NAMES))) {
            throw new IllegalArgumentException("addonVersions must name exactly " + NAMES + ", got " + versions.keySet());
        }
        versions.forEach((name, version) -> {
            if (!version.matches("v\\d+\\.\\d+\\.\\d+-eksbuild\\.\\d+")) {
                throw new IllegalArgumentException("add-on " + name + ": " + version + " is no EKS add-on version"
                        + " (v<major>.<minor>.<patch>-eksbuild.<n>)");
            }
        });
        String kubeProxyMinor = versions.get(KUBE_PROXY).replaceFirst("^v(\\d+\\.\\d+)\\..*", "$1");
        if (!kubeProxyMinor.equals(kubernetesVersion)) {
            throw new IllegalArgumentException("kube-proxy " + versions.get(KUBE_PROXY) + " does not match Kubernetes "
                    + kubernetesVersion + ": kube-proxy runs the cluster's minor version");
        }
        return Map.copyOf(versions);
    }
}
