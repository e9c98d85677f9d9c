package org.licensing.k8s;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;

/**
 * One overlay rendered by {@code kubectl kustomize} and parsed strictly: every built-in kind into its fabric8 model
 * (wrong scalar types fail, unknown fields fail by walking additionalProperties), the CRDs kept as trees for the
 * tests to check by hand.
 */
final class Rendered {

    /** Kinds this project ships, with the model each must parse into. */
    private static final Map<String, Class<? extends HasMetadata>> MODELS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", ClusterRole.class),
            Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", ClusterRoleBinding.class),
            Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class));
    /** Kinds without a namespace: every other object must name one. */
    static final java.util.Set<String> CLUSTER_SCOPED = java.util.Set.of("v1/Namespace",
            "rbac.authorization.k8s.io/v1/ClusterRole", "rbac.authorization.k8s.io/v1/ClusterRoleBinding");
    static final String SECURITY_GROUP_POLICY = "vpcresources.k8s.aws/v1beta1/SecurityGroupPolicy";
    static final String TARGET_GROUP_BINDING = "elbv2.k8s.aws/v1beta1/TargetGroupBinding";

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    static {
        STRICT.coercionConfigDefaults()
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        // Strings may still be strings, and IntOrString/Quantity read both forms themselves.
        STRICT.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
    }

    final String overlay;
    final List<HasMetadata> objects = new ArrayList<>();
    final List<JsonNode> customResources = new ArrayList<>();
    /** Every rendered document as parsed YAML, built-in kinds and CRDs alike, in rendering order. */
    final List<JsonNode> documents = new ArrayList<>();

    private Rendered(String overlay) {
        this.overlay = overlay;
    }

    static Rendered overlay(String name) throws IOException, InterruptedException {
        Path dir = Path.of(System.getProperty("k8s.dir", "."), "overlays", name);
        return parse(name, kustomize(dir));
    }

    /** Any kustomization directory, relative to the repository root (e.g. the relay's site manifests). */
    static Rendered directory(String name, String fromRepositoryRoot) throws IOException, InterruptedException {
        Path dir = Path.of(System.getProperty("k8s.dir", "."), "..").resolve(fromRepositoryRoot).normalize();
        return parse(name, kustomize(dir));
    }

    /** Parses rendered YAML strictly (see class comment). */
    static Rendered parse(String name, String yaml) throws IOException {
        Rendered rendered = new Rendered(name);
        YAMLParser parser = new YAMLFactory().createParser(yaml);
        ObjectMapper yamlTree = new ObjectMapper(new YAMLFactory());
        for (JsonNode doc : yamlTree.readValues(parser, JsonNode.class).readAll()) {
            if (doc == null || doc.isNull() || doc.isEmpty()) {
                continue;
            }
            String key = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
            String where = name + ": " + key + " " + doc.path("metadata").path("name").asText();
            rendered.documents.add(doc);
            if (key.equals(SECURITY_GROUP_POLICY) || key.equals(TARGET_GROUP_BINDING)) {
                rendered.customResources.add(doc);
                continue;
            }
            Class<? extends HasMetadata> model = MODELS.get(key);
            if (model == null) {
                throw new AssertionError(where + ": kind not expected in this project");
            }
            HasMetadata object;
            try {
                object = STRICT.treeToValue(doc, model);
            } catch (IOException e) {
                throw new AssertionError(where + ": does not parse as " + model.getSimpleName() + ": "
                        + e.getMessage(), e);
            }
            List<String> unknown = new ArrayList<>();
            walkForUnknownFields(object, where, unknown, 0);
            if (!unknown.isEmpty()) {
                throw new AssertionError("unknown fields (typos?): " + unknown);
            }
            rendered.objects.add(object);
        }
        return rendered;
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The objects of that type in one namespace. */
    <T extends HasMetadata> List<T> in(String namespace, Class<T> type) {
        return all(type).stream().filter(o -> namespace.equals(o.getMetadata().getNamespace())).toList();
    }

    static String kindOf(JsonNode doc) {
        return doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
    }

    List<JsonNode> custom(String apiVersionKind) {
        return customResources.stream()
                .filter(n -> (n.path("apiVersion").asText() + "/" + n.path("kind").asText()).equals(apiVersionKind))
                .toList();
    }

    /** kubectl from KUBECTL / -Dkubectl, else from PATH; a clear failure when missing. */
    static String kubectl() {
        return kubectl(System.getenv("KUBECTL"), System.getProperty("kubectl", "kubectl"),
                System.getenv().getOrDefault("PATH", ""));
    }

    /**
     * The same lookup over given values (so a test can prove the failure without changing the JVM's environment or
     * system properties): {@code fromEnvironment} (KUBECTL) wins when set, else {@code fromProperty}; a name without a
     * separator is searched on {@code path}.
     */
    static String kubectl(String fromEnvironment, String fromProperty, String path) {
        String configured = fromEnvironment;
        if (configured == null || configured.isBlank()) {
            configured = fromProperty == null || fromProperty.isBlank() ? "kubectl" : fromProperty;
        }
        if (configured.contains(File.separator)) {
            if (new File(configured).canExecute()) {
                return configured;
            }
        } else {
            for (String dir : path.split(File.pathSeparator)) {
                if (new File(dir, configured).canExecute()) {
                    return new File(dir, configured).getPath();
                }
            }
        }
        throw new AssertionError("kubectl not found (looked for '" + configured + "'). The k8s tests render the "
                + "overlays with `kubectl kustomize`: install kubectl (v1.27+) on PATH, or set the KUBECTL environment "
                + "variable (or -Dkubectl=...) to its path.");
    }

    private static String kustomize(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(kubectl(), "kustomize", dir.toString())
                .redirectErrorStream(false)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("kubectl kustomize " + dir + " failed: " + new String(err, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** Unknown YAML fields land in fabric8's additionalProperties: any non-empty one is a typo or a wrong level. */
    private static void walkForUnknownFields(Object node, String path, List<String> unknown, int depth) {
        if (node == null || depth > 40) {
            return;
        }
        if (node instanceof Collection<?> c) {
            int i = 0;
            for (Object o : c) {
                walkForUnknownFields(o, path + "[" + i++ + "]", unknown, depth + 1);
            }
            return;
        }
        if (node instanceof Map<?, ?> m) {
            for (var e : m.entrySet()) {
                walkForUnknownFields(e.getValue(), path + "." + e.getKey(), unknown, depth + 1);
            }
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method m : node.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = m.invoke(node);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
                continue;
            }
            walkForUnknownFields(value, path + "." + uncapitalize(m.getName().substring(3)), unknown, depth + 1);
        }
    }

    private static String uncapitalize(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
