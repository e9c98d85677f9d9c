package org.licensing.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Renders each overlay once and checks the rules every Deployment and its companions must follow. */
class OverlaysTest {

    static final Set<String> SERVICES = Set.of("license-issuer", "license-validator", "notification-service");
    private static final Pattern PINNED = Pattern.compile(".+(@sha256:[0-9a-f]{64}|:\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.]+)?)");
    private static final Pattern SECURITY_GROUP_ID = Pattern.compile("sg-[0-9a-f]{8,17}");
    private static final Pattern TARGET_GROUP_ARN =
            Pattern.compile("arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\\d{12}:targetgroup/[A-Za-z0-9-]+/[0-9a-f]+");
    private static final Map<String, Rendered> RENDERED = new HashMap<>();

    @BeforeAll
    static void render() throws Exception {
        for (String overlay : List.of("dev", "prod")) {
            RENDERED.put(overlay, Rendered.overlay(overlay));
        }
    }

    static Stream<String> overlays() {
        return Stream.of("dev", "prod");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceHasItsCompanions(String overlay) {
        Rendered r = RENDERED.get(overlay);
        assertEquals(SERVICES, names(r.all(Deployment.class)));
        assertEquals(SERVICES, names(r.all(Service.class)));
        assertEquals(SERVICES, names(r.all(ServiceAccount.class)));
        for (Deployment d : r.all(Deployment.class)) {
            Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
            String name = d.getMetadata().getName();
            assertTrue(selects(d.getSpec().getSelector(), podLabels), name + ": selector does not match its pods");
            assertEquals(1, r.all(PodDisruptionBudget.class).stream()
                    .filter(p -> selects(p.getSpec().getSelector(), podLabels)).count(), name + ": PDB");
            assertEquals(1, r.all(HorizontalPodAutoscaler.class).stream()
                    .filter(h -> h.getSpec().getScaleTargetRef().getKind().equals("Deployment")
                            && h.getSpec().getScaleTargetRef().getName().equals(name)
                            && h.getSpec().getMinReplicas() <= h.getSpec().getMaxReplicas())
                    .count(), name + ": HPA");
            assertEquals(1, r.all(NetworkPolicy.class).stream()
                    .filter(n -> !n.getSpec().getPodSelector().getMatchLabels().isEmpty()
                            && selects(n.getSpec().getPodSelector(), podLabels))
                    .count(), name + ": NetworkPolicy of its own");
            assertEquals(1, r.all(Service.class).stream()
                    .filter(s -> s.getMetadata().getName().equals(name)
                            && podLabels.entrySet().containsAll(s.getSpec().getSelector().entrySet()))
                    .count(), name + ": Service selecting its pods");
            String sa = d.getSpec().getTemplate().getSpec().getServiceAccountName();
            assertTrue(names(r.all(ServiceAccount.class)).contains(sa), name + ": service account " + sa);
            for (var from : d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom()) {
                if (from.getConfigMapRef() != null) {
                    assertTrue(names(r.all(ConfigMap.class)).contains(from.getConfigMapRef().getName()), name);
                }
            }
            if (overlay.equals("prod")) {
                List<JsonNode> sgps = r.custom(Rendered.SECURITY_GROUP_POLICY).stream()
                        .filter(n -> selects(n.path("spec").path("podSelector"), podLabels)).toList();
                assertEquals(1, sgps.size(), name + ": SecurityGroupPolicy");
            }
        }
        // a default deny for everything not named
        assertTrue(r.all(NetworkPolicy.class).stream().anyMatch(n -> n.getSpec().getPodSelector().getMatchLabels() == null
                || n.getSpec().getPodSelector().getMatchLabels().isEmpty()));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void podsAreHardenedProbedAndBounded(String overlay) {
        for (Deployment d : RENDERED.get(overlay).all(Deployment.class)) {
            String name = d.getMetadata().getName();
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), name);
            assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType(), name);
            assertEquals(1, pod.getContainers().size(), name);
            Container c = pod.getContainers().get(0);
            assertEquals(Boolean.FALSE, c.getSecurityContext().getAllowPrivilegeEscalation(), name);
            assertEquals(Boolean.TRUE, c.getSecurityContext().getReadOnlyRootFilesystem(), name);
            assertNotEquals(Boolean.TRUE, c.getSecurityContext().getPrivileged(), name);
            assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop(), name);
            assertProbe(c.getLivenessProbe(), "/q/health/live", name);
            assertProbe(c.getReadinessProbe(), "/q/health/ready", name);
            assertEquals(8080, c.getPorts().get(0).getContainerPort(), name);
            for (String kind : List.of("cpu", "memory")) {
                assertNotNull(c.getResources().getRequests().get(kind), name + " request " + kind);
                assertNotNull(c.getResources().getLimits().get(kind), name + " limit " + kind);
            }
            assertTrue(PINNED.matcher(c.getImage()).matches(), name + ": image not pinned: " + c.getImage());
            assertFalse(c.getImage().endsWith(":latest"), name);
            if (overlay.equals("prod")) {
                assertFalse(c.getImage().contains("SNAPSHOT"), name + ": prod runs releases only");
            }
            // secrets are referenced, never inlined
            if (c.getEnv() != null) {
                c.getEnv().forEach(e -> assertTrue(e.getValue() == null || !looksSecret(e.getName()),
                        name + ": inline secret " + e.getName()));
            }
        }
        assertTrue(RENDERED.get(overlay).all(HasMetadata.class).stream()
                .noneMatch(o -> o.getKind().equals("Secret")), "no Secret objects in the repo");
        for (ConfigMap cm : RENDERED.get(overlay).all(ConfigMap.class)) {
            cm.getData().keySet().forEach(k -> assertFalse(looksSecret(k), cm.getMetadata().getName() + ": " + k));
        }
    }

    @Test
    void devRunsOneReplicaAgainstTheEmulators() {
        Rendered dev = RENDERED.get("dev");
        dev.all(Deployment.class).forEach(d -> assertEquals(1, d.getSpec().getReplicas(), d.getMetadata().getName()));
        dev.all(HorizontalPodAutoscaler.class).forEach(h -> assertEquals(1, h.getSpec().getMaxReplicas()));
        for (ConfigMap cm : dev.all(ConfigMap.class)) {
            assertTrue(cm.getData().get("QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE").startsWith("http://"), cm.getMetadata().getName());
        }
        assertTrue(dev.custom(Rendered.SECURITY_GROUP_POLICY).isEmpty(), "no branch ENIs on a local cluster");
    }

    @Test
    void prodTakesEveryValueFromTheStackOutputs() {
        Rendered prod = RENDERED.get("prod");
        assertEquals(3, prod.custom(Rendered.SECURITY_GROUP_POLICY).size());
        for (JsonNode sgp : prod.custom(Rendered.SECURITY_GROUP_POLICY)) {
            assertShape(sgp, Set.of("apiVersion", "kind", "metadata", "spec"), Set.of("podSelector", "securityGroups"));
            assertEquals(Set.of("matchLabels"), fields(sgp.path("spec").path("podSelector")));
            assertEquals(Set.of("groupIds"), fields(sgp.path("spec").path("securityGroups")));
            JsonNode ids = sgp.path("spec").path("securityGroups").path("groupIds");
            assertEquals(1, ids.size());
            assertTrue(SECURITY_GROUP_ID.matcher(ids.get(0).asText()).matches(), ids.toString());
            assertEquals("licensing", sgp.path("metadata").path("namespace").asText());
        }
        Set<String> groupIds = prod.custom(Rendered.SECURITY_GROUP_POLICY).stream()
                .map(n -> n.path("spec").path("securityGroups").path("groupIds").get(0).asText())
                .collect(Collectors.toSet());
        assertEquals(3, groupIds.size(), "one security group per service");

        List<JsonNode> bindings = prod.custom(Rendered.TARGET_GROUP_BINDING);
        assertTrue(bindings.stream().anyMatch(b -> b.path("metadata").path("name").asText().equals("license-validator")));
        Map<String, Service> services = prod.all(Service.class).stream()
                .collect(Collectors.toMap(s -> s.getMetadata().getName(), s -> s));
        for (JsonNode b : bindings) {
            assertShape(b, Set.of("apiVersion", "kind", "metadata", "spec"),
                    Set.of("serviceRef", "targetGroupARN", "targetType"));
            assertEquals("ip", b.path("spec").path("targetType").asText());
            assertTrue(TARGET_GROUP_ARN.matcher(b.path("spec").path("targetGroupARN").asText()).matches());
            assertEquals(Set.of("name", "port"), fields(b.path("spec").path("serviceRef")));
            Service target = services.get(b.path("spec").path("serviceRef").path("name").asText());
            assertNotNull(target, "TargetGroupBinding points at a missing Service");
            assertTrue(b.path("spec").path("serviceRef").path("port").isInt());
            assertTrue(target.getSpec().getPorts().stream()
                    .anyMatch(p -> p.getPort() == b.path("spec").path("serviceRef").path("port").asInt()));
        }
        for (ServiceAccount sa : prod.all(ServiceAccount.class)) {
            assertTrue(sa.getMetadata().getAnnotations().get("licensing.org/iam-role-arn")
                    .matches("arn:aws[a-z-]*:iam::\\d{12}:role/.+"), sa.getMetadata().getName());
        }
        // nothing left from the base's placeholders
        String all = prod.objects.toString() + prod.customResources;
        for (String placeholder : List.of("_SECURITY_GROUP_ID", "_ROLE_ARN", "_TARGET_GROUP_ARN", ".invalid")) {
            assertFalse(all.contains(placeholder), placeholder);
        }
        assertTrue(prod.all(ConfigMap.class).stream().noneMatch(c -> c.getMetadata().getName().equals("stack-outputs")),
                "stack outputs are build-time only");
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static void assertProbe(Probe probe, String path, String name) {
        assertNotNull(probe, name + " probe " + path);
        assertEquals(path, probe.getHttpGet().getPath(), name);
        assertEquals("http", probe.getHttpGet().getPort().getStrVal(), name);
    }

    private static void assertNotEquals(Object unexpected, Object actual, String message) {
        org.junit.jupiter.api.Assertions.assertNotEquals(unexpected, actual, message);
    }

    private static void assertShape(JsonNode object, Set<String> top, Set<String> spec) {
        assertEquals(top, fields(object), object.path("kind").asText());
        assertEquals(spec, fields(object.path("spec")), object.path("kind").asText() + ".spec");
        assertFalse(object.path("metadata").path("name").asText().isEmpty());
    }

    private static Set<String> fields(JsonNode node) {
        Set<String> out = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static boolean looksSecret(String key) {
        String k = key.toUpperCase();
        return k.contains("PASSWORD") || k.contains("SECRET") || k.contains("PRIVATE_KEY") || k.contains("TOKEN");
    }

    private static Set<String> names(List<? extends HasMetadata> objects) {
        return objects.stream().map(o -> o.getMetadata().getName()).collect(Collectors.toSet());
    }

    private static boolean selects(LabelSelector selector, Map<String, String> labels) {
        return selector != null && selector.getMatchExpressions().isEmpty() && selector.getMatchLabels() != null
                && !selector.getMatchLabels().isEmpty() && labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
    }

    private static boolean selects(JsonNode selector, Map<String, String> labels) {
        JsonNode match = selector.path("matchLabels");
        if (!match.isObject() || match.isEmpty()) {
            return false;
        }
        var it = match.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (!e.getValue().isTextual() || !e.getValue().asText().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
