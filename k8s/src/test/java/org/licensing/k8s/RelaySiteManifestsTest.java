package org.licensing.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The relay's site manifests ({@code license-relay/deploy/kubernetes}, what a customer applies on an air-gapped
 * cluster), rendered with {@code kubectl kustomize} and parsed as strictly as the overlays: one replica that owns its
 * volume, the volume, a NetworkPolicy, exactly the RBAC its cluster fingerprint needs, a hardened non-root pod with a
 * read-only root filesystem, and every setting it passes a property the relay has.
 */
class RelaySiteManifestsTest {

    private static final String NAMESPACE = "license-relay";
    private static Rendered site;

    @BeforeAll
    static void render() throws Exception {
        site = Rendered.directory("relay-site", "license-relay/deploy/kubernetes");
    }

    @Test
    void everyObjectIsTheRelaysAndInItsNamespace() {
        for (HasMetadata o : site.objects) {
            String key = o.getApiVersion() + "/" + o.getKind();
            if (Rendered.CLUSTER_SCOPED.contains(key)) {
                continue;
            }
            assertEquals(NAMESPACE, o.getMetadata().getNamespace(), key + " " + o.getMetadata().getName());
        }
        assertTrue(site.customResources.isEmpty(), "no AWS custom resources on a customer's cluster");
        assertEquals(List.of(NAMESPACE), names(site.all(Namespace.class)));
        // the pod meets the restricted standard, and the namespace enforces it
        assertEquals("restricted", site.all(Namespace.class).get(0).getMetadata().getLabels()
                .get("pod-security.kubernetes.io/enforce"));
        assertEquals(List.of("license-relay"), names(site.in(NAMESPACE, Deployment.class)));
        assertEquals(List.of("license-relay"), names(site.in(NAMESPACE, Service.class)));
        assertEquals(List.of("license-relay"), names(site.in(NAMESPACE, ServiceAccount.class)));
    }

    @Test
    void oneReplicaOwnsThePersistentVolume() {
        Deployment d = relay();
        assertEquals(1, d.getSpec().getReplicas(), "one relay per site: it holds the usage log and the relay key");
        // Recreate: the old pod releases the volume (and its file lock) before the new one starts
        assertEquals("Recreate", d.getSpec().getStrategy().getType());
        PersistentVolumeClaim claim = site.in(NAMESPACE, PersistentVolumeClaim.class).stream().findFirst()
                .orElseThrow(() -> new AssertionError("no PersistentVolumeClaim"));
        assertEquals(List.of("ReadWriteOnce"), claim.getSpec().getAccessModes());
        assertNotNull(claim.getSpec().getResources().getRequests().get("storage"));
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        Volume data = pod.getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null).findFirst()
                .orElseThrow();
        assertEquals(claim.getMetadata().getName(), data.getPersistentVolumeClaim().getClaimName());
        Container c = pod.getContainers().get(0);
        VolumeMount mount = c.getVolumeMounts().stream().filter(m -> m.getName().equals(data.getName())).findFirst()
                .orElseThrow();
        assertEquals(env(c, "LICENSING_RELAY_DATA_DIR"), mount.getMountPath(), "the data directory is the volume");
    }

    @Test
    void thePodIsNonRootWithAReadOnlyRootFilesystem() {
        PodSpec pod = relay().getSpec().getTemplate().getSpec();
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
        assertEquals(185L, pod.getSecurityContext().getRunAsUser(), "the UBI OpenJDK images' user (Jib: quarkus.jib.user)");
        assertEquals(185L, pod.getSecurityContext().getFsGroup(), "the volume writable by that user");
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        assertEquals(1, pod.getContainers().size());
        Container c = pod.getContainers().get(0);
        assertEquals(Boolean.TRUE, c.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals(Boolean.FALSE, c.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop());
        assertFalse(Boolean.TRUE.equals(c.getSecurityContext().getPrivileged()));
        // writable: the data volume and /tmp only; the Secret read-only
        for (VolumeMount m : c.getVolumeMounts()) {
            Volume v = pod.getVolumes().stream().filter(x -> x.getName().equals(m.getName())).findFirst().orElseThrow();
            if (v.getSecret() != null) {
                assertEquals(Boolean.TRUE, m.getReadOnly(), m.getMountPath());
            } else {
                assertTrue(v.getPersistentVolumeClaim() != null || (v.getEmptyDir() != null && m.getMountPath().equals("/tmp")),
                        "unexpected writable mount " + m.getMountPath());
            }
        }
        assertNotNull(c.getResources().getRequests().get("memory"));
        assertNotNull(c.getResources().getLimits().get("memory"));
        assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/q/health/live", c.getLivenessProbe().getHttpGet().getPath());
        assertEquals(8080, c.getPorts().get(0).getContainerPort());
        assertTrue(Pattern.matches(".+:\\d+\\.\\d+\\.\\d+", c.getImage()), "a released version: " + c.getImage());
        // secrets come from the mounted Secret's files, never inline
        c.getEnv().forEach(e -> assertFalse(e.getName().matches(".*(TOKEN|KEY|PASSWORD|SECRET)$") && e.getValue() != null,
                "inline secret " + e.getName()));
    }

    @Test
    void theNetworkPolicyAdmitsTheSitesClientsAndLetsOutDnsAndTheApiOnly() {
        NetworkPolicy policy = site.in(NAMESPACE, NetworkPolicy.class).stream().findFirst()
                .orElseThrow(() -> new AssertionError("no NetworkPolicy"));
        assertEquals(relay().getSpec().getTemplate().getMetadata().getLabels().get("app.kubernetes.io/name"),
                policy.getSpec().getPodSelector().getMatchLabels().get("app.kubernetes.io/name"));
        assertEquals(List.of("Ingress", "Egress"), policy.getSpec().getPolicyTypes());
        assertEquals(1, policy.getSpec().getIngress().size());
        var ingress = policy.getSpec().getIngress().get(0);
        assertEquals(List.of(8080), ingress.getPorts().stream().map(p -> p.getPort().getIntVal()).toList());
        assertFalse(ingress.getFrom().isEmpty(), "ingress from named clients, not from everyone");
        ingress.getFrom().forEach(peer -> assertTrue(peer.getPodSelector() != null
                && !peer.getPodSelector().getMatchLabels().isEmpty(), "clients are labelled pods"));
        Set<String> egress = new TreeSet<>();
        policy.getSpec().getEgress().forEach(rule -> {
            assertFalse(rule.getPorts() == null || rule.getPorts().isEmpty(), "an egress rule without ports");
            rule.getPorts().forEach(p -> egress.add(p.getProtocol() + "/" + p.getPort().getIntVal()));
        });
        // DNS and the Kubernetes API (443 or 6443: the cluster fingerprint); nothing else leaves the relay
        assertEquals(Set.of("UDP/53", "TCP/53", "TCP/443", "TCP/6443"), egress);
    }

    @Test
    void rbacIsExactlyWhatTheClusterFingerprintReads() {
        assertTrue(site.all(Role.class).isEmpty() && site.all(RoleBinding.class).isEmpty());
        List<ClusterRole> roles = site.all(ClusterRole.class);
        assertEquals(1, roles.size());
        List<PolicyRule> rules = roles.get(0).getRules();
        assertEquals(1, rules.size());
        PolicyRule rule = rules.get(0);
        // the kube-system namespace's UID is the cluster fingerprint: get that one object, nothing else
        assertEquals(List.of(""), rule.getApiGroups());
        assertEquals(List.of("namespaces"), rule.getResources());
        assertEquals(List.of("kube-system"), rule.getResourceNames());
        assertEquals(List.of("get"), rule.getVerbs());
        ClusterRoleBinding binding = site.all(ClusterRoleBinding.class).stream().findFirst().orElseThrow();
        assertEquals(roles.get(0).getMetadata().getName(), binding.getRoleRef().getName());
        assertEquals(1, binding.getSubjects().size());
        assertEquals("ServiceAccount", binding.getSubjects().get(0).getKind());
        assertEquals(relay().getSpec().getTemplate().getSpec().getServiceAccountName(),
                binding.getSubjects().get(0).getName());
        assertEquals(NAMESPACE, binding.getSubjects().get(0).getNamespace());
        assertEquals("kubernetes", env(relay().getSpec().getTemplate().getSpec().getContainers().get(0),
                "LICENSING_RELAY_FINGERPRINT_STRATEGY"), "the cluster fingerprint is what the RBAC is for");
    }

    /** Every LICENSING_RELAY_* variable names a property of the relay's RelayConfig (a typo would be ignored). */
    @Test
    void everySettingIsAPropertyOfTheRelay() throws IOException {
        Path config = Path.of(System.getProperty("k8s.dir", "."), "..", "license-relay", "src", "main", "java", "org",
                "licensing", "relay", "http", "RelayConfig.java");
        String source = Files.readString(config);
        String fingerprint = source.substring(source.indexOf("interface FingerprintConfig"));
        String top = source.substring(0, source.indexOf("interface FingerprintConfig"));
        Container c = relay().getSpec().getTemplate().getSpec().getContainers().get(0);
        int checked = 0;
        for (EnvVar e : c.getEnv()) {
            if (!e.getName().startsWith("LICENSING_RELAY_")) {
                continue;
            }
            List<String> parts = List.of(e.getName().substring("LICENSING_RELAY_".length()).toLowerCase(Locale.ROOT)
                    .split("_"));
            boolean nested = parts.get(0).equals("fingerprint") && parts.size() > 1;
            String method = camel(nested ? parts.subList(1, parts.size()) : parts) + "();";
            assertTrue((nested ? fingerprint : top).contains(" " + method), e.getName() + ": no " + method
                    + " in RelayConfig");
            checked++;
        }
        assertTrue(checked >= 5, "the relay's settings: " + checked);
        // its secrets: files in the one mounted Secret
        for (String file : List.of("LICENSING_RELAY_LICENSE_KEY_FILE", "LICENSING_RELAY_VENDOR_KEYS_FILE",
                "LICENSING_RELAY_ADMIN_TOKEN_FILE")) {
            VolumeMount secrets = c.getVolumeMounts().stream().filter(m -> env(c, file).startsWith(m.getMountPath() + "/"))
                    .findFirst().orElseThrow(() -> new AssertionError(file + " is in no mount"));
            assertEquals(Map.of("secret", "license-relay-secrets"), Map.of("secret",
                    relay().getSpec().getTemplate().getSpec().getVolumes().stream()
                            .filter(v -> v.getName().equals(secrets.getName())).findFirst().orElseThrow()
                            .getSecret().getSecretName()));
        }
    }

    private static String camel(List<String> parts) {
        StringBuilder b = new StringBuilder(parts.get(0));
        parts.subList(1, parts.size()).forEach(p -> b.append(Character.toUpperCase(p.charAt(0))).append(p.substring(1)));
        return b.toString();
    }

    private static Deployment relay() {
        return site.in(NAMESPACE, Deployment.class).get(0);
    }

    private static String env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name));
    }

    private static List<String> names(List<? extends HasMetadata> objects) {
        return objects.stream().map(o -> o.getMetadata().getName()).sorted().toList();
    }
}
