package org.licensing.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Renders each overlay once and checks the rules every Deployment and its companions must follow. */
class OverlaysTest {

    static final Set<String> SERVICES = Set.of("license-issuer", "license-validator", "notification-service",
            "back-office");
    /** The issuer's webhook deliveries: the issuer's image in a Deployment of its own, no Service (nothing calls it). */
    static final String DELIVERER = "webhook-deliverer";
    /** Every Deployment of the namespace: the services and the deliverer. */
    static final Set<String> DEPLOYMENTS = Set.of("license-issuer", "license-validator", "notification-service",
            "back-office", DELIVERER);
    /** The Deployments that call AWS APIs: an IAM role (Pod Identity), the Pod Identity agent, AWS endpoints. */
    static final Set<String> AWS_CALLERS = Set.of("license-issuer", "license-validator", "notification-service",
            DELIVERER);
    /** The services' namespace; prod also renders the Cluster Autoscaler, in kube-system. */
    static final String NAMESPACE = "licensing";
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
        assertEquals(DEPLOYMENTS, names(r.in(NAMESPACE, Deployment.class)));
        assertEquals(SERVICES, names(r.all(Service.class)));
        assertEquals(DEPLOYMENTS, names(r.in(NAMESPACE, ServiceAccount.class)));
        for (Deployment d : r.in(NAMESPACE, Deployment.class)) {
            Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
            String name = d.getMetadata().getName();
            assertTrue(selects(d.getSpec().getSelector(), podLabels), name + ": selector does not match its pods");
            assertEquals(1, r.all(PodDisruptionBudget.class).stream()
                    .filter(p -> selects(p.getSpec().getSelector(), podLabels)).count(), name + ": PDB");
            // the deliverer has no HPA: its work is I/O (waiting on endpoints), not CPU; its replicas share it
            assertEquals(name.equals(DELIVERER) ? 0 : 1, r.all(HorizontalPodAutoscaler.class).stream()
                    .filter(h -> h.getSpec().getScaleTargetRef().getKind().equals("Deployment")
                            && h.getSpec().getScaleTargetRef().getName().equals(name)
                            && h.getSpec().getMinReplicas() <= h.getSpec().getMaxReplicas())
                    .count(), name + ": HPA");
            assertEquals(1, r.all(NetworkPolicy.class).stream()
                    .filter(n -> !n.getSpec().getPodSelector().getMatchLabels().isEmpty()
                            && selects(n.getSpec().getPodSelector(), podLabels))
                    .count(), name + ": NetworkPolicy of its own");
            // a Service for each service; none selects the deliverer's pods (nothing may call them)
            assertEquals(name.equals(DELIVERER) ? 0 : 1, r.all(Service.class).stream()
                    .filter(s -> podLabels.entrySet().containsAll(s.getSpec().getSelector().entrySet()))
                    .count(), name + ": Service selecting its pods");
            String sa = d.getSpec().getTemplate().getSpec().getServiceAccountName();
            assertTrue(names(r.in(NAMESPACE, ServiceAccount.class)).contains(sa), name + ": service account " + sa);
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
        for (Deployment d : RENDERED.get(overlay).in(NAMESPACE, Deployment.class)) {
            String name = d.getMetadata().getName();
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), name);
            // the user of the Quarkus (UBI OpenJDK) images
            assertEquals(185L, pod.getSecurityContext().getRunAsUser(), name);
            assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType(), name);
            assertEquals(1, pod.getContainers().size(), name);
            // init containers (the issuer's migration) run as hardened as the service
            for (Container init : pod.getInitContainers()) {
                assertEquals(Boolean.FALSE, init.getSecurityContext().getAllowPrivilegeEscalation(), name);
                assertEquals(Boolean.TRUE, init.getSecurityContext().getReadOnlyRootFilesystem(), name);
                assertEquals(List.of("ALL"), init.getSecurityContext().getCapabilities().getDrop(), name);
                for (String kind : List.of("cpu", "memory")) {
                    assertNotNull(init.getResources().getLimits().get(kind), name + " init limit " + kind);
                }
                assertTrue(PINNED.matcher(init.getImage()).matches(), name + ": init image not pinned");
            }
            Container c = pod.getContainers().get(0);
            assertEquals(Boolean.FALSE, c.getSecurityContext().getAllowPrivilegeEscalation(), name);
            assertEquals(Boolean.TRUE, c.getSecurityContext().getReadOnlyRootFilesystem(), name);
            assertNotEquals(Boolean.TRUE, c.getSecurityContext().getPrivileged(), name);
            assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop(), name);
            assertTrue(c.getSecurityContext().getRunAsUser() == null || c.getSecurityContext().getRunAsUser() == 185L,
                    name);
            // prod: health on Quarkus' management interface (port 9000, built into the prod images); dev: the API port
            String probePort = overlay.equals("prod") ? "management" : "http";
            assertProbe(c.getStartupProbe(), "/q/health/started", probePort, name);
            // the startup probe gives a slow first start its time; liveness only takes over after it
            assertTrue(c.getStartupProbe().getPeriodSeconds() * c.getStartupProbe().getFailureThreshold() >= 60,
                    name + ": startup probe allows under 60 s");
            assertProbe(c.getLivenessProbe(), "/q/health/live", probePort, name);
            assertProbe(c.getReadinessProbe(), "/q/health/ready", probePort, name);
            assertEquals(8080, c.getPorts().get(0).getContainerPort(), name);
            if (overlay.equals("prod")) {
                assertEquals(9000, c.getPorts().stream().filter(p -> p.getName().equals("management")).findFirst()
                        .orElseThrow().getContainerPort(), name);
                assertEquals("true", literal(c, "QUARKUS_MANAGEMENT_ENABLED"), name);
                assertEquals("9000", literal(c, "QUARKUS_MANAGEMENT_PORT"), name);
            } else {
                assertNull(literal(c, "QUARKUS_MANAGEMENT_ENABLED"), name + ": dev images serve health on 8080");
            }
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
        for (String service : AWS_CALLERS) {
            // the deliverer reads the issuer's ConfigMap
            String config = service.equals(DELIVERER) ? "license-issuer-config" : service + "-config";
            ConfigMap cm = dev.in(NAMESPACE, ConfigMap.class).stream()
                    .filter(c -> c.getMetadata().getName().equals(config)).findFirst().orElseThrow();
            assertTrue(cm.getData().get("QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE").startsWith("http://"), cm.getMetadata().getName());
            assertTrue(deployment(dev, service).getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom()
                    .stream().anyMatch(f -> f.getSecretRef() != null
                            && f.getSecretRef().getName().equals("aws-emulator-credentials")), service);
        }
        // the back office calls no AWS API (no emulator credentials) and signs in at the local Keycloak
        assertTrue(deployment(dev, "back-office").getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom()
                .stream().allMatch(f -> f.getSecretRef() == null), "back-office: no AWS credentials");
        assertEquals("http://keycloak:8180/realms/licensing",
                data(dev, "back-office-config").get("QUARKUS_OIDC_AUTH_SERVER_URL"));
        assertTrue(dev.custom(Rendered.SECURITY_GROUP_POLICY).isEmpty(), "no branch ENIs on a local cluster");
    }

    @Test
    void prodTakesEveryValueFromTheStackOutputs() {
        Rendered prod = RENDERED.get("prod");
        assertEquals(DEPLOYMENTS.size(), prod.custom(Rendered.SECURITY_GROUP_POLICY).size());
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
        assertEquals(DEPLOYMENTS.size(), groupIds.size(), "one security group per Deployment");

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
            String name = sa.getMetadata().getName();
            if (name.equals("back-office")) {
                // no AWS role (the stack has no Pod Identity association for it) and no API token mounted
                assertTrue(sa.getMetadata().getAnnotations() == null
                        || !sa.getMetadata().getAnnotations().containsKey("licensing.org/iam-role-arn"), name);
                assertEquals(Boolean.FALSE, sa.getAutomountServiceAccountToken(), name);
                continue;
            }
            assertTrue(sa.getMetadata().getAnnotations().get("licensing.org/iam-role-arn")
                    .matches("arn:aws[a-z-]*:iam::\\d{12}:role/.+"), name);
        }
        assertEquals(Set.of("license-validator", "license-issuer", "back-office"), bindings.stream()
                .map(b -> b.path("metadata").path("name").asText()).collect(Collectors.toSet()));
        for (JsonNode b : bindings) {
            // in the namespace of the Services they bind (else the controller finds no endpoints)
            assertEquals(NAMESPACE, b.path("metadata").path("namespace").asText(), b.path("metadata").path("name").asText());
        }
        // nothing left from the base's placeholders
        String all = prod.objects.toString() + prod.customResources;
        for (String placeholder : List.of("_SECURITY_GROUP_ID", "_ROLE_ARN", "_TARGET_GROUP_ARN", ".invalid")) {
            assertFalse(all.contains(placeholder), placeholder);
        }
        assertTrue(prod.all(ConfigMap.class).stream().noneMatch(c -> c.getMetadata().getName().equals("stack-outputs")),
                "stack outputs are build-time only");
    }


    // ---- namespaces ------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("overlays")
    void everyNamespacedObjectNamesItsNamespace(String overlay) {
        Rendered r = RENDERED.get(overlay);
        Set<String> checked = new TreeSet<>();
        for (JsonNode doc : r.documents) {
            String kind = Rendered.kindOf(doc);
            String where = overlay + ": " + kind + " " + doc.path("metadata").path("name").asText();
            JsonNode namespace = doc.path("metadata").path("namespace");
            if (Rendered.CLUSTER_SCOPED.contains(kind)) {
                assertTrue(namespace.isMissingNode(), where + " is cluster-scoped");
                continue;
            }
            checked.add(kind);
            // an object without one lands in `default` (a TargetGroupBinding there binds nothing)
            assertEquals(isClusterAutoscaler(doc) ? "kube-system" : NAMESPACE, namespace.asText(), where);
        }
        // every namespaced kind the overlay ships was checked, the custom resources included
        Set<String> kinds = new TreeSet<>(Set.of("v1/ServiceAccount", "v1/ConfigMap", "v1/Service", "apps/v1/Deployment",
                "autoscaling/v2/HorizontalPodAutoscaler", "policy/v1/PodDisruptionBudget",
                "networking.k8s.io/v1/NetworkPolicy"));
        if (overlay.equals("prod")) {
            kinds.addAll(Set.of(Rendered.SECURITY_GROUP_POLICY, Rendered.TARGET_GROUP_BINDING,
                    "rbac.authorization.k8s.io/v1/Role", "rbac.authorization.k8s.io/v1/RoleBinding"));
        }
        assertEquals(kinds, checked);
        // the bindings' service-account subjects name the account's namespace too
        for (ClusterRoleBinding b : r.all(ClusterRoleBinding.class)) {
            b.getSubjects().stream().filter(sub -> sub.getKind().equals("ServiceAccount"))
                    .forEach(sub -> assertEquals("kube-system", sub.getNamespace(), b.getMetadata().getName()));
        }
        for (RoleBinding b : r.all(RoleBinding.class)) {
            b.getSubjects().forEach(sub -> assertEquals(b.getMetadata().getNamespace(), sub.getNamespace()));
        }
    }

    // ---- prod values -----------------------------------------------------------------------------------------

    @Test
    void prodCarriesNoDevOrPlaceholderValue() throws IOException {
        Rendered prod = RENDERED.get("prod");
        List<String> values = new java.util.ArrayList<>();
        prod.documents.forEach(doc -> textValues(doc, values));
        assertFalse(values.isEmpty());
        for (String value : values) {
            // Flyway's placeholders (the issuer's application role): a feature's name, not a stand-in value
            String v = value.toLowerCase(java.util.Locale.ROOT).replaceFirst("^quarkus_flyway_placeholders_", "");
            for (String marker : List.of(".dev", "example", "placeholder", "changeme", ".invalid", ".test", "localhost")) {
                assertFalse(v.contains(marker), "prod value contains '" + marker + "': " + value);
            }
            // the base's upper-case stand-ins, all replaced from the stack outputs
            for (String token : List.of("_ROLE_ARN", "_SECURITY_GROUP_ID", "_TARGET_GROUP_ARN", "VPC_CIDR",
                    "CLUSTER_NAME", "AWS_REGION_FROM_STACK")) {
                assertFalse(value.contains(token), "prod value not replaced: " + value);
            }
        }
        // the outputs file itself (also the values no manifest uses)
        for (String line : Files.readAllLines(prodDir().resolve("stack-outputs.env"))) {
            if (!line.startsWith("#")) {
                String v = line.toLowerCase(java.util.Locale.ROOT);
                for (String marker : List.of(".dev", "example", "placeholder", "changeme", ".invalid", ".test")) {
                    assertFalse(v.contains(marker), "stack-outputs.env: " + line);
                }
            }
        }
        // and each former placeholder now holds the stack's value
        Map<String, String> outputs = stackOutputs();
        assertEquals(outputs.get("JwtIssuer"), data(prod, "license-issuer-config").get("MP_JWT_VERIFY_ISSUER"));
        assertEquals(outputs.get("JwtIssuer"), data(prod, "notification-service-config").get("MP_JWT_VERIFY_ISSUER"));
        assertEquals(outputs.get("VendorFinanceEmail"),
                data(prod, "notification-service-config").get("LICENSING_REMINDERS_VENDOR_FINANCE_EMAIL"));
        assertEquals(outputs.get("SenderAddress"), data(prod, "notification-service-config").get("LICENSING_REMINDERS_FROM"));
        assertEquals(outputs.get("ReceiptIssuer"),
                data(prod, "license-validator-config").get("LICENSING_VALIDATOR_RECEIPT_ISSUER"));
        assertEquals(outputs.get("DatabaseEndpoint"), data(prod, "license-issuer-config").get("LICENSING_DB_HOST"));
        assertEquals(outputs.get("JwtIssuer"), data(prod, "back-office-config").get("QUARKUS_OIDC_AUTH_SERVER_URL"));
    }

    @Test
    void prodRunsEachImageByDigestFromItsEcrRepository() {
        Map<String, String> outputs = stackOutputs();
        Map<String, String> repositoryOutput = Map.of("license-issuer", "IssuerImageRepositoryUri",
                "license-validator", "ValidatorImageRepositoryUri", "notification-service", "NotificationImageRepositoryUri",
                "back-office", "BackOfficeImageRepositoryUri", DELIVERER, "IssuerImageRepositoryUri");
        for (Deployment d : RENDERED.get("prod").in(NAMESPACE, Deployment.class)) {
            String name = d.getMetadata().getName();
            String module = name.equals(DELIVERER) ? "license-issuer" : name;
            String image = d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
            String repository = outputs.get(repositoryOutput.get(name));
            assertTrue(repository.matches("\\d{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com/licensing/" + module), repository);
            assertTrue(image.matches(Pattern.quote(repository) + "@sha256:[0-9a-f]{64}"), name + ": " + image);
        }
        // the deliverer runs exactly the issuer's release
        assertEquals(deployment(RENDERED.get("prod"), "license-issuer").getSpec().getTemplate().getSpec().getContainers()
                .get(0).getImage(), deployment(RENDERED.get("prod"), DELIVERER).getSpec().getTemplate().getSpec()
                .getContainers().get(0).getImage());
    }

    @Test
    void validatorTrustsTheVpcAsItsProxiesAndReadsXForwardedFor() {
        Map<String, String> prod = data(RENDERED.get("prod"), "license-validator-config");
        // API Gateway -> VPC link -> ALB: every proxy has a VPC address; the client is the right-most other hop
        assertEquals(stackOutputs().get("VpcCidr"), prod.get("LICENSING_VALIDATOR_RATE_LIMIT_TRUSTED_PROXIES"));
        assertTrue(prod.get("LICENSING_VALIDATOR_RATE_LIMIT_TRUSTED_PROXIES").matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}"));
        assertEquals("X-Forwarded-For", prod.get("LICENSING_VALIDATOR_RATE_LIMIT_CLIENT_ADDRESS_HEADER"));
        Deployment validator = deployment(RENDERED.get("prod"), "license-validator");
        assertTrue(validator.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom().stream()
                .anyMatch(f -> f.getConfigMapRef() != null
                        && f.getConfigMapRef().getName().equals("license-validator-config")));
        // a local cluster has no proxy in front: the TCP peer is the client
        assertFalse(data(RENDERED.get("dev"), "license-validator-config")
                .containsKey("LICENSING_VALIDATOR_RATE_LIMIT_TRUSTED_PROXIES"));
    }

    @Test
    void issuerMigratesAsTheOwnerAndServesAsTheAppRoleOverVerifiedTls() throws IOException {
        for (String overlay : List.of("dev", "prod")) {
            Rendered r = RENDERED.get(overlay);
            PodSpec pod = deployment(r, "license-issuer").getSpec().getTemplate().getSpec();
            Container c = pod.getContainers().get(0);
            // Migrations run first, in the pod's one init container: the same image in Quarkus' init-and-exit mode
            // (Flyway, then exit 0), so the serving container never starts on a schema older than its code.
            assertEquals(1, pod.getInitContainers().size(), overlay + ": one init container, the migration");
            Container migrate = pod.getInitContainers().get(0);
            assertEquals("migrate", migrate.getName());
            assertEquals(c.getImage(), migrate.getImage(), overlay + ": migrations of the serving image");
            assertEquals("true", literal(migrate, "QUARKUS_INIT_AND_EXIT"), overlay);
            assertEquals("true", literal(migrate, "QUARKUS_FLYWAY_MIGRATE_AT_START"), overlay);
            // the serving container's ConfigMap (database URLs), and nothing else (dev's AWS credentials: not needed)
            assertEquals(List.of("license-issuer-config"), migrate.getEnvFrom().stream()
                    .map(f -> f.getConfigMapRef().getName()).toList(), overlay);
            assertTrue(c.getEnvFrom().stream().anyMatch(f -> f.getConfigMapRef() != null
                    && f.getConfigMapRef().getName().equals("license-issuer-config")), overlay);
            // Flyway: the schema owner (the Aurora master user), in the init container only
            assertEquals("license-issuer-db/username", secretRef(migrate, "QUARKUS_FLYWAY_USERNAME"), overlay);
            assertEquals("license-issuer-db/password", secretRef(migrate, "QUARKUS_FLYWAY_PASSWORD"), overlay);
            // the issuer's migration creates the application role and sets its password (placeholders)
            assertEquals("license-issuer-db-app/username", secretRef(migrate, "QUARKUS_FLYWAY_PLACEHOLDERS_APP_USER"),
                    overlay);
            assertEquals("license-issuer-db-app/password",
                    secretRef(migrate, "QUARKUS_FLYWAY_PLACEHOLDERS_APP_PASSWORD"), overlay);
            // the migration needs no key, token or idempotency secret: none reaches the owner's container
            assertEquals(Set.of("license-issuer-db", "license-issuer-db-app"), secretsOf(migrate, pod), overlay);
            assertTrue(migrate.getResources().getLimits().containsKey("memory"), overlay);
            // Quarkus reads the extra config files at every start, the migrate-only one too: mounted there as well
            String locations = data(r, "license-issuer-config").get("QUARKUS_CONFIG_LOCATIONS");
            if (locations != null) {
                for (String file : locations.split(",")) {
                    assertTrue(migrate.getVolumeMounts().stream().anyMatch(m -> file.startsWith(m.getMountPath() + "/")),
                            overlay + ": " + file + " is not mounted in the init container");
                }
            }
            // the serving container: the application role, no migration, never the owner's secret
            assertEquals("license-issuer-db-app/username", secretRef(c, "QUARKUS_DATASOURCE_USERNAME"), overlay);
            assertEquals("license-issuer-db-app/password", secretRef(c, "QUARKUS_DATASOURCE_PASSWORD"), overlay);
            assertEquals("false", literal(c, "QUARKUS_FLYWAY_MIGRATE_AT_START"), overlay);
            for (String owner : List.of("QUARKUS_FLYWAY_USERNAME", "QUARKUS_FLYWAY_PASSWORD",
                    "QUARKUS_FLYWAY_PLACEHOLDERS_APP_USER", "QUARKUS_FLYWAY_PLACEHOLDERS_APP_PASSWORD",
                    "QUARKUS_INIT_AND_EXIT")) {
                assertTrue(c.getEnv().stream().noneMatch(e -> e.getName().equals(owner)), overlay + ": " + owner);
            }
            // the owner's secret: in the issuer's init container and nowhere else in the overlay
            for (Deployment d : r.in(NAMESPACE, Deployment.class)) {
                PodSpec spec = d.getSpec().getTemplate().getSpec();
                for (Container any : spec.getContainers()) {
                    assertFalse(secretsOf(any, spec).contains("license-issuer-db"),
                            overlay + " " + d.getMetadata().getName() + "/" + any.getName() + " reads the owner's secret");
                }
            }
            assertTrue(data(r, "license-issuer-config").containsKey("QUARKUS_FLYWAY_JDBC_URL"));
        }
        // those variables reach the placeholders only because the issuer declares the exact keys (an undeclared map
        // key from an environment variable would be app.user), and its migrations use them
        Path issuer = Path.of(System.getProperty("k8s.dir", ".")).resolve("../license-issuer/src/main/resources");
        java.util.Properties properties = new java.util.Properties();
        try (var in = Files.newBufferedReader(issuer.resolve("application.properties"))) {
            properties.load(in);
        }
        assertTrue(properties.containsKey("quarkus.flyway.placeholders.app_user"), "issuer: app_user not declared");
        assertTrue(properties.containsKey("quarkus.flyway.placeholders.app_password"), "issuer: app_password not declared");
        assertTrue(Files.readString(issuer.resolve("db/migration/V3__application_role.sql")).contains("${app_user}"));
        assertTrue(Files.readString(issuer.resolve("db/migration/afterMigrate.sql")).contains("${app_password}"));
        Rendered prod = RENDERED.get("prod");
        Map<String, String> config = data(prod, "license-issuer-config");
        String bundle = "/etc/licensing/rds-ca/rds-ca-bundle.pem";
        String jdbc = "jdbc:postgresql://${LICENSING_DB_HOST}:5432/licensing?sslmode=verify-full&sslrootcert=" + bundle;
        assertEquals(jdbc, config.get("QUARKUS_FLYWAY_JDBC_URL"));
        assertEquals(jdbc, config.get("QUARKUS_DATASOURCE_JDBC_URL"));
        assertEquals("postgresql://${LICENSING_DB_HOST}:5432/licensing?sslmode=verify-full",
                config.get("QUARKUS_DATASOURCE_REACTIVE_URL"));
        assertEquals("verify-full", config.get("QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_SSL_MODE"));
        // Quarkus refuses verify-full without a host name verification algorithm
        assertEquals("HTTPS", config.get("QUARKUS_DATASOURCE_REACTIVE_HOSTNAME_VERIFICATION_ALGORITHM"));
        assertEquals("true", config.get("QUARKUS_DATASOURCE_REACTIVE_TRUST_CERTIFICATE_PEM"));
        assertEquals(bundle, config.get("QUARKUS_DATASOURCE_REACTIVE_TRUST_CERTIFICATE_PEM_CERTS"));
        assertFalse(config.values().stream().anyMatch(v -> v.contains("sslmode=require") || v.contains("sslmode=disable")));
        // the bundle: mounted read-only from the ConfigMap that release.sh creates under that key
        PodSpec pod = deployment(prod, "license-issuer").getSpec().getTemplate().getSpec();
        // both connect: the serving container (reactive) and the init container (Flyway's JDBC)
        for (Container c : List.of(pod.getContainers().get(0), pod.getInitContainers().get(0))) {
            VolumeMount mount = c.getVolumeMounts().stream()
                    .filter(m -> bundle.startsWith(m.getMountPath() + "/")).findFirst()
                    .orElseThrow(() -> new AssertionError(c.getName() + ": no RDS CA bundle mounted"));
            assertEquals(Boolean.TRUE, mount.getReadOnly());
            Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                    .orElseThrow();
            assertEquals("rds-ca-bundle", volume.getConfigMap().getName());
            assertNotEquals(Boolean.TRUE, volume.getConfigMap().getOptional(), "no TLS without the bundle: not optional");
        }
        String release = Files.readString(Path.of(System.getProperty("k8s.dir", "."), "release.sh"));
        assertTrue(release.contains("create configmap rds-ca-bundle --from-file=rds-ca-bundle.pem="), "release.sh");
        assertTrue(release.contains("db_secret license-issuer-db ") && release.contains("db_secret license-issuer-db-app "));
    }

    // ---- egress ----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("overlays")
    void podEgressIsLimitedToWhatEachServiceCalls(String overlay) {
        Rendered r = RENDERED.get(overlay);
        String vpcCidr = overlay.equals("prod") ? stackOutputs().get("VpcCidr") : "10.40.0.0/16";
        for (String service : DEPLOYMENTS) {
            NetworkPolicy policy = r.in(NAMESPACE, NetworkPolicy.class).stream()
                    .filter(n -> n.getMetadata().getName().equals(service)).findFirst().orElseThrow();
            assertTrue(policy.getSpec().getPolicyTypes().contains("Egress"), service);
            if (service.equals(DELIVERER)) {
                assertDelivererEgress(policy, vpcCidr);
                continue;
            }
            Set<String> allowed = new TreeSet<>();
            int anywhere = 0;
            for (NetworkPolicyEgressRule rule : policy.getSpec().getEgress()) {
                assertFalse(rule.getPorts().isEmpty(), service + ": an egress rule without ports opens every port");
                Set<String> ports = new TreeSet<>();
                rule.getPorts().forEach(p -> ports.add(p.getProtocol() + "/" + p.getPort().getIntVal()));
                if (rule.getTo() == null || rule.getTo().isEmpty()) {
                    // AWS APIs: DynamoDB's gateway endpoint has public addresses, so no ipBlock can name it; the pod
                    // security group (external SNAT on, infra) limits this to the DynamoDB prefix list and the
                    // interface endpoints
                    assertEquals(Set.of("TCP/443"), ports, service);
                    anywhere++;
                    allowed.add("any TCP/443");
                    continue;
                }
                for (NetworkPolicyPeer peer : rule.getTo()) {
                    String to = peer.getIpBlock() != null ? peer.getIpBlock().getCidr()
                            : peer.getPodSelector().getMatchLabels().getOrDefault("k8s-app",
                                    "pods:" + peer.getPodSelector().getMatchLabels().get("app.kubernetes.io/name"));
                    ports.forEach(p -> allowed.add(to + " " + p));
                }
            }
            assertEquals(1, anywhere, service);
            Set<String> expected = new TreeSet<>(Set.of("any TCP/443", "kube-dns UDP/53", "kube-dns TCP/53"));
            if (AWS_CALLERS.contains(service)) {
                expected.add("169.254.170.23/32 TCP/80");
            }
            if (service.equals("license-issuer")) {
                expected.add(vpcCidr + " TCP/5432");
            }
            if (service.equals("back-office")) {
                // the OpenID provider on 443 (above), the two APIs it calls
                expected.addAll(Set.of("pods:license-issuer TCP/8080", "pods:notification-service TCP/8080"));
            }
            assertEquals(expected, allowed, service);
            if (overlay.equals("prod")) {
                assertEquals(1, r.custom(Rendered.SECURITY_GROUP_POLICY).stream()
                        .filter(n -> n.path("metadata").path("name").asText().equals(service)).count(), service);
            }
        }
    }

    /**
     * The webhook deliverer: DNS, the Pod Identity agent, PostgreSQL in the VPC, and 443 to public addresses only: an
     * ipBlock of everything minus the private, loopback, carrier-grade NAT and link-local ranges (the VPC and the
     * instance metadata among them), so a webhook URL that resolves inside cannot be reached from this pod.
     */
    private static void assertDelivererEgress(NetworkPolicy policy, String vpcCidr) {
        Set<String> allowed = new TreeSet<>();
        for (NetworkPolicyEgressRule rule : policy.getSpec().getEgress()) {
            assertFalse(rule.getPorts().isEmpty() || rule.getTo() == null || rule.getTo().isEmpty(),
                    DELIVERER + ": every egress rule names its peers and ports");
            for (NetworkPolicyPeer peer : rule.getTo()) {
                String to = peer.getIpBlock() != null ? peer.getIpBlock().getCidr()
                        + (peer.getIpBlock().getExcept() == null || peer.getIpBlock().getExcept().isEmpty() ? ""
                                : " except " + new TreeSet<>(peer.getIpBlock().getExcept()))
                        : peer.getPodSelector().getMatchLabels().get("k8s-app");
                rule.getPorts().forEach(p -> allowed.add(to + " " + p.getProtocol() + "/" + p.getPort().getIntVal()));
            }
        }
        Set<String> notPublic = new TreeSet<>(Set.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10",
                "127.0.0.0/8", "169.254.0.0/16"));
        assertEquals(new TreeSet<>(Set.of("kube-dns UDP/53", "kube-dns TCP/53", "169.254.170.23/32 TCP/80",
                vpcCidr + " TCP/5432", "0.0.0.0/0 except " + notPublic + " TCP/443")), allowed);
        // the VPC is inside the excluded ranges (whatever CIDR the stack was given)
        assertTrue(vpcCidr.startsWith("10.") || vpcCidr.startsWith("172.") || vpcCidr.startsWith("192.168."), vpcCidr);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void podIngressAdmitsOnlyEachServicesCallers(String overlay) {
        Rendered r = RENDERED.get(overlay);
        // The private subnets, not the whole VPC: the load balancers (API Gateway's, the portal's), the Prometheus
        // collector and the nodes (kubelet probes) sit there. Every service admits them on 8080: the collector scrapes
        // each one, the notification service included (the pod security groups narrow who of those subnets).
        List<String> subnets = overlay.equals("prod")
                ? List.of(stackOutputs().get("PrivateSubnet1Cidr"), stackOutputs().get("PrivateSubnet2Cidr"))
                : List.of("10.40.32.0/19", "10.40.64.0/19");
        if (overlay.equals("prod")) {
            String vpcCidr = stackOutputs().get("VpcCidr");
            String vpcPrefix = vpcCidr.substring(0, vpcCidr.indexOf('.', vpcCidr.indexOf('.') + 1) + 1);
            subnets.forEach(s -> {
                assertNotEquals(vpcCidr, s, "narrower than the VPC");
                assertTrue(s.startsWith(vpcPrefix) && s.endsWith("/19"), s + " is no private subnet of " + vpcCidr);
            });
        }
        // prod: the API port (8080) for the load balancers, the management port (9000) for the nodes' probes, the
        // load balancers' health checks and the collector; the notification service and the deliverer have no load
        // balancer. Dev: everything on 8080 (its images have no management interface).
        Set<String> management = new TreeSet<>();
        Set<String> lbs = new TreeSet<>();
        subnets.forEach(s -> {
            management.add(s + (overlay.equals("prod") ? " TCP/9000" : " TCP/8080"));
            lbs.add(s + " TCP/8080");
        });
        lbs.addAll(management);
        Set<String> lbsAndBackOffice = new TreeSet<>(lbs);
        lbsAndBackOffice.add("pods:back-office TCP/8080");
        Set<String> backOfficeOnly = new TreeSet<>(management);
        backOfficeOnly.add("pods:back-office TCP/8080");
        Map<String, Set<String>> expected = Map.of(
                "license-validator", lbs,
                "license-issuer", lbsAndBackOffice,
                "notification-service", backOfficeOnly,
                "back-office", lbs,
                DELIVERER, management);
        for (String service : DEPLOYMENTS) {
            NetworkPolicy policy = r.in(NAMESPACE, NetworkPolicy.class).stream()
                    .filter(n -> n.getMetadata().getName().equals(service)).findFirst().orElseThrow();
            Set<String> allowed = new TreeSet<>();
            policy.getSpec().getIngress().forEach(rule -> {
                assertFalse(rule.getPorts().isEmpty(), service + ": an ingress rule without ports opens every port");
                assertFalse(rule.getFrom().isEmpty(), service + ": an ingress rule without peers admits everyone");
                for (var from : rule.getFrom()) {
                    assertTrue(from.getNamespaceSelector() == null, service + ": peers in this namespace only");
                    String peer = from.getIpBlock() != null ? from.getIpBlock().getCidr()
                            : "pods:" + from.getPodSelector().getMatchLabels().get("app.kubernetes.io/name");
                    rule.getPorts().forEach(p -> allowed.add(peer + " " + p.getProtocol() + "/" + p.getPort().getIntVal()));
                }
            });
            assertEquals(expected.get(service), allowed, overlay + " " + service);
        }
    }

    // ---- what each prod pod needs: secrets, tokens, databases ---------------------------------------------------

    /**
     * Every secret, JWT and JDBC setting a prod pod needs, and where it must come from: a key of a named Secret, a
     * stack output (through the pod's ConfigMap), or a file in a mounted Secret. A variable that is missing, inlined,
     * or read from another Secret or key fails here before a pod fails to start (or starts with a dev value).
     */
    @Test
    void prodPodsGetEverySecretJwtAndJdbcSettingFromTheRightSource() throws IOException {
        Rendered prod = RENDERED.get("prod");
        Map<String, String> outputs = stackOutputs();
        String jdbc = "jdbc:postgresql://${LICENSING_DB_HOST}:5432/licensing?sslmode=verify-full&sslrootcert="
                + "/etc/licensing/rds-ca/rds-ca-bundle.pem";
        Map<String, Map<String, String>> expected = Map.of(
                "license-issuer", Map.ofEntries(
                        Map.entry("QUARKUS_DATASOURCE_USERNAME", "secret license-issuer-db-app/username"),
                        Map.entry("QUARKUS_DATASOURCE_PASSWORD", "secret license-issuer-db-app/password"),
                        // the owner's credentials and the placeholders: the init container's (checked above)
                        Map.entry("LICENSING_IDEMPOTENCY_SECRET", "secret license-issuer-idempotency/secret"),
                        Map.entry("MP_JWT_VERIFY_ISSUER", "value " + outputs.get("JwtIssuer")),
                        Map.entry("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "file licensing-jwt-trust/publickey.pem"),
                        Map.entry("LICENSING_SIGNING_KEY_DIRECTORY", "directory license-signing-keys"),
                        Map.entry("LICENSING_DB_HOST", "value " + outputs.get("DatabaseEndpoint")),
                        Map.entry("QUARKUS_DATASOURCE_JDBC_URL", "value " + jdbc),
                        Map.entry("QUARKUS_FLYWAY_JDBC_URL", "value " + jdbc),
                        Map.entry("QUARKUS_DATASOURCE_REACTIVE_URL",
                                "value postgresql://${LICENSING_DB_HOST}:5432/licensing?sslmode=verify-full"),
                        Map.entry("LICENSING_TABLE", "value " + outputs.get("LicenseTableName")),
                        // Cognito access tokens: no aud (the check unset), the back office's client id instead,
                        // roles from cognito:groups (mapped by the mounted roles file, checked below)
                        Map.entry("MP_JWT_VERIFY_AUDIENCES", "value "),
                        Map.entry("LICENSING_JWT_COGNITO_CLIENT_IDS", "value " + outputs.get("BackOfficeClientId")),
                        Map.entry("SMALLRYE_JWT_PATH_GROUPS", "value cognito:groups")),
                "license-validator", Map.of(
                        "LICENSING_SIGNING_KEY_DIRECTORY", "directory license-receipt-keys",
                        "LICENSING_VALIDATOR_RECEIPT_ISSUER", "value " + outputs.get("ReceiptIssuer"),
                        "LICENSING_TABLE", "value " + outputs.get("LicenseTableName")),
                "notification-service", Map.of(
                        "MP_JWT_VERIFY_ISSUER", "value " + outputs.get("JwtIssuer"),
                        "MP_JWT_VERIFY_PUBLICKEY_LOCATION", "file licensing-jwt-trust/publickey.pem",
                        "LICENSING_REMINDERS_QUEUE_URL", "value " + outputs.get("ReminderQueueUrl"),
                        "LICENSING_REMINDERS_DEAD_LETTER_QUEUE_URL", "value " + outputs.get("ReminderDlqUrl"),
                        "LICENSING_TABLE", "value " + outputs.get("LicenseTableName"),
                        "MP_JWT_VERIFY_AUDIENCES", "value ",
                        "LICENSING_JWT_COGNITO_CLIENT_IDS", "value " + outputs.get("BackOfficeClientId"),
                        "SMALLRYE_JWT_PATH_GROUPS", "value cognito:groups"),
                "back-office", Map.of(
                        "QUARKUS_OIDC_AUTH_SERVER_URL", "value " + outputs.get("JwtIssuer"),
                        "QUARKUS_OIDC_CLIENT_ID", "secret back-office-oidc/client-id",
                        "QUARKUS_OIDC_CREDENTIALS_SECRET", "secret back-office-oidc/client-secret",
                        "BACKOFFICE_SESSION_SECRET", "secret back-office-session/session-secret",
                        "BACKOFFICE_STATE_SECRET", "secret back-office-session/state-secret",
                        // Cognito: the groups claim and the user name claim of its access tokens
                        "QUARKUS_OIDC_ROLES_ROLE_CLAIM_PATH", "value cognito:groups",
                        "QUARKUS_OIDC_TOKEN_PRINCIPAL_CLAIM", "value username",
                        // the APIs through their Services (port 80) in this namespace, the pod's own port
                        "BACKOFFICE_ISSUER_URL", "value http://license-issuer." + NAMESPACE + ".svc",
                        "BACKOFFICE_NOTIFICATION_URL", "value http://notification-service." + NAMESPACE + ".svc",
                        "QUARKUS_HTTP_PORT", "value 8080"));
        assertEquals(SERVICES, expected.keySet());
        for (var service : expected.entrySet()) {
            Deployment d = deployment(prod, service.getKey());
            for (var setting : service.getValue().entrySet()) {
                assertEquals(setting.getValue(), source(prod, d, setting.getKey()),
                        service.getKey() + ": " + setting.getKey());
            }
            // the active signing key names one of the mounted keys' kid (any non-blank kid; the Secret holds <kid>.pem)
            if (service.getValue().containsKey("LICENSING_SIGNING_KEY_DIRECTORY")) {
                assertTrue(source(prod, d, "LICENSING_SIGNING_ACTIVE_KID").matches("value [A-Za-z0-9._-]+"),
                        service.getKey());
            }
        }
        // the Secrets a prod pod reads: created by release.sh --apply, or named in the README as the operator's
        String release = Files.readString(Path.of(System.getProperty("k8s.dir", "."), "release.sh"));
        for (String secret : List.of("license-issuer-db", "license-issuer-db-app")) {
            assertTrue(release.contains("db_secret " + secret + " "), "release.sh creates " + secret);
        }
        for (String secret : List.of("back-office-oidc", "licensing-jwt-trust", "back-office-session")) {
            assertTrue(release.contains("create secret generic " + secret + " "), "release.sh creates " + secret);
        }
        assertTrue(release.contains("--from-file=publickey.pem="), "release.sh: licensing-jwt-trust holds publickey.pem");
        String readme = Files.readString(Path.of(System.getProperty("k8s.dir", "."), "README.md"));
        for (String secret : List.of("license-signing-keys", "license-receipt-keys", "license-issuer-idempotency")) {
            assertTrue(readme.contains("`" + secret + "` Secret"), "k8s/README.md names the operator's Secret " + secret);
        }
        // the issuer resolves ${LICENSING_DB_HOST} in its URLs from its own environment (the same ConfigMap)
        assertTrue(data(prod, "license-issuer-config").containsKey("LICENSING_DB_HOST"));
        // the back office's pages and the APIs check API roles: under Cognito each group gets those of the shared
        // contract, from one properties file mounted from one ConfigMap of the overlay, named by QUARKUS_CONFIG_LOCATIONS
        Set<String> roleMaps = new java.util.HashSet<>();
        for (String service : List.of("back-office", "license-issuer", "notification-service")) {
            Deployment d = deployment(prod, service);
            String location = java.util.Arrays.stream(source(prod, d, "QUARKUS_CONFIG_LOCATIONS")
                    .substring("value ".length()).split(",")).filter(l -> l.endsWith("/roles.properties")).findFirst()
                    .orElseThrow(() -> new AssertionError(service + ": no roles.properties in QUARKUS_CONFIG_LOCATIONS"));
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            VolumeMount mount = pod.getContainers().get(0).getVolumeMounts().stream()
                    .filter(m -> location.startsWith(m.getMountPath() + "/")).findFirst()
                    .orElseThrow(() -> new AssertionError(service + ": nothing mounted at " + location));
            assertEquals(Boolean.TRUE, mount.getReadOnly(), service);
            String configMap = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                    .orElseThrow().getConfigMap().getName();
            roleMaps.add(configMap);
            java.util.Properties roles = new java.util.Properties();
            roles.load(new java.io.StringReader(data(prod, configMap)
                    .get(location.substring(mount.getMountPath().length() + 1))));
            assertEquals(rolesFile(), new java.util.TreeMap<>(roles), service + " mounts the prod roles file as is");
        }
        assertEquals(1, roleMaps.size(), "one roles mapping for the back office and both APIs: " + roleMaps);
        // dev keeps the audience check and the groups claim of the local Keycloak realm / test tokens
        for (String service : List.of("license-issuer", "notification-service")) {
            Deployment d = deployment(RENDERED.get("dev"), service);
            for (String variable : List.of("MP_JWT_VERIFY_AUDIENCES", "LICENSING_JWT_COGNITO_CLIENT_IDS",
                    "SMALLRYE_JWT_PATH_GROUPS", "QUARKUS_CONFIG_LOCATIONS")) {
                assertNull(source(RENDERED.get("dev"), d, variable), "dev " + service + ": " + variable);
            }
        }
    }

    /**
     * Where a container's variable comes from: "secret name/key", "value ..." (literal or from a ConfigMap of the
     * overlay, by envFrom or configMapKeyRef), "file secret/key" for a path inside a mounted Secret, "directory secret"
     * for the mount path of a Secret; null when the pod does not have it.
     */
    private static String source(Rendered r, Deployment d, String variable) {
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        String value = null;
        for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
            if (e.getName().equals(variable)) {
                if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                    assertNotEquals(Boolean.TRUE, e.getValueFrom().getSecretKeyRef().getOptional(), variable);
                    return "secret " + e.getValueFrom().getSecretKeyRef().getName() + "/"
                            + e.getValueFrom().getSecretKeyRef().getKey();
                }
                if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null) {
                    value = data(r, e.getValueFrom().getConfigMapKeyRef().getName())
                            .get(e.getValueFrom().getConfigMapKeyRef().getKey());
                } else {
                    value = e.getValue();
                }
            }
        }
        if (value == null) {
            for (var from : c.getEnvFrom()) {
                if (from.getConfigMapRef() != null && data(r, from.getConfigMapRef().getName()).containsKey(variable)) {
                    value = data(r, from.getConfigMapRef().getName()).get(variable);
                }
            }
        }
        if (value == null) {
            return null;
        }
        for (VolumeMount m : c.getVolumeMounts()) {
            Volume v = pod.getVolumes().stream().filter(x -> x.getName().equals(m.getName())).findFirst().orElseThrow();
            if (v.getSecret() == null) {
                continue;
            }
            assertEquals(Boolean.TRUE, m.getReadOnly(), d.getMetadata().getName() + ": " + m.getMountPath());
            if (value.equals(m.getMountPath())) {
                return "directory " + v.getSecret().getSecretName();
            }
            if (value.startsWith(m.getMountPath() + "/")) {
                return "file " + v.getSecret().getSecretName() + "/" + value.substring(m.getMountPath().length() + 1);
            }
        }
        return "value " + value;
    }

    // ---- JVM sizing ------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("overlays")
    void jvmHeapFitsTheMemoryLimit(String overlay) {
        Pattern percentage = Pattern.compile("-XX:MaxRAMPercentage=(\\d+(?:\\.\\d+)?)");
        for (Deployment d : RENDERED.get(overlay).in(NAMESPACE, Deployment.class)) {
            String name = d.getMetadata().getName();
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            Map<String, String> env = new LinkedHashMap<>();
            c.getEnv().stream().filter(e -> e.getValue() != null).forEach(e -> env.put(e.getName(), e.getValue()));
            String opts = env.get("JAVA_OPTS_APPEND");
            assertNotNull(opts, name + ": JAVA_OPTS_APPEND");
            Matcher m = percentage.matcher(opts);
            assertTrue(m.find(), name + ": " + opts);
            double pct = Double.parseDouble(m.group(1));
            assertFalse(m.find(), name + ": one MaxRAMPercentage");
            // run-java.sh of the UBI OpenJDK images derives its own -XX:MaxRAMPercentage from this: the same value
            assertEquals(pct, Double.parseDouble(env.get("JAVA_MAX_MEM_RATIO")), name);
            assertFalse(env.values().stream().anyMatch(v -> v.contains("-Xmx")), name + ": -Xmx overrides the percentage");
            assertTrue(opts.contains("-XX:+ExitOnOutOfMemoryError"), name);
            long limit = Quantity.getAmountInBytes(c.getResources().getLimits().get("memory")).longValue();
            long request = Quantity.getAmountInBytes(c.getResources().getRequests().get("memory")).longValue();
            long heap = (long) (limit * pct / 100);
            assertTrue(pct <= 75, name + ": heap " + pct + "% of the limit leaves too little for the rest");
            assertTrue(limit - heap >= 192L * 1024 * 1024, name + ": less than 192Mi besides a " + heap + " byte heap");
            assertTrue(request >= heap, name + ": the request does not cover the heap the JVM may take");
        }
    }

    // ---- the Cluster Autoscaler ------------------------------------------------------------------------------

    @Test
    void prodRunsTheClusterAutoscalerForThisClustersNodeGroup() {
        Rendered prod = RENDERED.get("prod");
        Map<String, String> outputs = stackOutputs();
        List<Deployment> autoscalers = prod.in("kube-system", Deployment.class);
        assertEquals(1, autoscalers.size());
        Deployment ca = autoscalers.get(0);
        assertEquals("cluster-autoscaler", ca.getMetadata().getName());
        PodSpec pod = ca.getSpec().getTemplate().getSpec();
        assertEquals("cluster-autoscaler", pod.getServiceAccountName());
        assertEquals("system-cluster-critical", pod.getPriorityClassName());
        assertTrue(selects(ca.getSpec().getSelector(), ca.getSpec().getTemplate().getMetadata().getLabels()));
        Container c = pod.getContainers().get(0);
        assertTrue(c.getImage().matches("registry\\.k8s\\.io/autoscaling/cluster-autoscaler:v\\d+\\.\\d+\\.\\d+"), c.getImage());
        assertTrue(c.getArgs().contains("--cloud-provider=aws"), c.getArgs().toString());
        assertTrue(c.getArgs().contains("--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,"
                + "k8s.io/cluster-autoscaler/" + outputs.get("ClusterName")), c.getArgs().toString());
        assertEquals(List.of(new EnvVar("AWS_REGION", outputs.get("Region"), null)), c.getEnv());
        // hardened like the services
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        assertEquals(Boolean.FALSE, c.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(Boolean.TRUE, c.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop());
        for (String kind : List.of("cpu", "memory")) {
            assertNotNull(c.getResources().getRequests().get(kind), kind);
            assertNotNull(c.getResources().getLimits().get(kind), kind);
        }
        assertEquals("/health-check", c.getLivenessProbe().getHttpGet().getPath());
        // bound to its Pod Identity role (stack output) and to its RBAC, nothing more
        ServiceAccount sa = prod.in("kube-system", ServiceAccount.class).stream()
                .filter(a -> a.getMetadata().getName().equals("cluster-autoscaler")).findFirst().orElseThrow();
        assertEquals(outputs.get("ClusterAutoscalerRoleArn"), sa.getMetadata().getAnnotations().get("licensing.org/iam-role-arn"));
        Subject subject = new Subject(null, "ServiceAccount", "cluster-autoscaler", "kube-system");
        ClusterRoleBinding crb = prod.all(ClusterRoleBinding.class).stream()
                .filter(b -> b.getRoleRef().getName().equals("cluster-autoscaler")).findFirst().orElseThrow();
        assertEquals(List.of(subject), crb.getSubjects());
        assertEquals("ClusterRole/cluster-autoscaler", crb.getRoleRef().getKind() + "/" + crb.getRoleRef().getName());
        RoleBinding rb = prod.in("kube-system", RoleBinding.class).get(0);
        assertEquals(List.of(subject), rb.getSubjects());
        assertEquals("Role/cluster-autoscaler", rb.getRoleRef().getKind() + "/" + rb.getRoleRef().getName());
        ClusterRole role = prod.all(ClusterRole.class).stream()
                .filter(r -> r.getMetadata().getName().equals("cluster-autoscaler")).findFirst().orElseThrow();
        role.getRules().forEach(rule -> {
            assertFalse(rule.getVerbs().contains("*") || rule.getResources().contains("*"), rule.toString());
            assertFalse(rule.getResources().contains("secrets"), rule.toString());
        });
        assertTrue(role.getRules().stream().anyMatch(rule -> rule.getResources().contains("pods/eviction")));
        // a local cluster has no node group to scale
        assertTrue(RENDERED.get("dev").in("kube-system", Deployment.class).isEmpty());
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static Path prodDir() {
        return Path.of(System.getProperty("k8s.dir", "."), "overlays", "prod");
    }

    /** overlays/prod/stack-outputs.env as a map. */
    static Map<String, String> stackOutputs() {
        Map<String, String> outputs = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(prodDir().resolve("stack-outputs.env"))) {
                int eq = line.indexOf('=');
                if (!line.startsWith("#") && eq > 0) {
                    outputs.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return outputs;
    }

    private static Map<String, String> data(Rendered r, String configMap) {
        return r.in(NAMESPACE, ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals(configMap))
                .findFirst().orElseThrow(() -> new AssertionError("no ConfigMap " + configMap)).getData();
    }

    private static Deployment deployment(Rendered r, String name) {
        return r.in(NAMESPACE, Deployment.class).stream().filter(d -> d.getMetadata().getName().equals(name))
                .findFirst().orElseThrow();
    }

    /** "secret/key" an env var is read from. */
    /**
     * The rotation key that signs {@code /.well-known/jwks.jws}: in prod, the issuer's and the validator's kid and PEM
     * from one optional Secret of their own (keys {@code kid} and {@code key.pem}), so a missing Secret leaves both
     * unset and a present one sets both; never the signing keys' Secret, never a ConfigMap value; none in dev.
     */
    @Test
    void prodTakesTheOptionalRotationKeyFromItsOwnSecret() throws IOException {
        Rendered prod = RENDERED.get("prod");
        Map<String, String> secretOf = Map.of("license-issuer", "license-signing-rotation-key",
                "license-validator", "license-receipt-rotation-key");
        for (var service : secretOf.entrySet()) {
            Deployment d = deployment(prod, service.getKey());
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            Map<String, String> refs = new TreeMap<>();
            for (String variable : List.of("LICENSING_SIGNING_KEY_SET_ROTATION_KID", "LICENSING_SIGNING_KEY_SET_ROTATION_KEY")) {
                EnvVar e = c.getEnv().stream().filter(v -> v.getName().equals(variable)).findFirst()
                        .orElseThrow(() -> new AssertionError(service.getKey() + ": no " + variable));
                var ref = e.getValueFrom().getSecretKeyRef();
                assertEquals(Boolean.TRUE, ref.getOptional(), service.getKey() + ": " + variable + " must be optional");
                refs.put(variable, ref.getName() + "/" + ref.getKey());
                for (var from : c.getEnvFrom()) {
                    if (from.getConfigMapRef() != null) {
                        assertFalse(data(prod, from.getConfigMapRef().getName()).containsKey(variable), variable);
                    }
                }
            }
            assertEquals(Map.of("LICENSING_SIGNING_KEY_SET_ROTATION_KID", service.getValue() + "/kid",
                    "LICENSING_SIGNING_KEY_SET_ROTATION_KEY", service.getValue() + "/key.pem"), refs, service.getKey());
            // not the signing keys' Secret: the rotation key must never be one of the signing kids
            assertFalse(source(prod, d, "LICENSING_SIGNING_KEY_DIRECTORY").endsWith(" " + service.getValue()));
            assertNull(source(RENDERED.get("dev"), deployment(RENDERED.get("dev"), service.getKey()),
                    "LICENSING_SIGNING_KEY_SET_ROTATION_KID"), "dev " + service.getKey());
        }
        String readme = Files.readString(Path.of(System.getProperty("k8s.dir", "."), "README.md"));
        secretOf.values().forEach(secret -> assertTrue(readme.contains("`" + secret + "` Secret"),
                "k8s/README.md names the operator's Secret " + secret));
    }

    /** A variable's literal value in the container's own env (not a reference), or null. */
    private static String literal(Container c, String env) {
        return c.getEnv().stream().filter(e -> e.getName().equals(env) && e.getValueFrom() == null)
                .map(EnvVar::getValue).findFirst().orElse(null);
    }

    /** Every Secret a container reads: env references, envFrom, mounted Secret volumes. */
    private static Set<String> secretsOf(Container c, PodSpec pod) {
        Set<String> secrets = new TreeSet<>();
        for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
            if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                secrets.add(e.getValueFrom().getSecretKeyRef().getName());
            }
        }
        for (var from : c.getEnvFrom() == null ? List.<io.fabric8.kubernetes.api.model.EnvFromSource>of() : c.getEnvFrom()) {
            if (from.getSecretRef() != null) {
                secrets.add(from.getSecretRef().getName());
            }
        }
        for (VolumeMount m : c.getVolumeMounts() == null ? List.<VolumeMount>of() : c.getVolumeMounts()) {
            pod.getVolumes().stream().filter(v -> v.getName().equals(m.getName()) && v.getSecret() != null)
                    .forEach(v -> secrets.add(v.getSecret().getSecretName()));
        }
        return secrets;
    }

    private static String secretRef(Container c, String env) {
        EnvVar var = c.getEnv().stream().filter(e -> e.getName().equals(env)).findFirst()
                .orElseThrow(() -> new AssertionError("no env " + env));
        assertNotNull(var.getValueFrom(), env);
        return var.getValueFrom().getSecretKeyRef().getName() + "/" + var.getValueFrom().getSecretKeyRef().getKey();
    }

    private static boolean isClusterAutoscaler(JsonNode doc) {
        return "cluster-autoscaler".equals(doc.path("metadata").path("labels").path("app.kubernetes.io/name").asText());
    }

    /** Every string value of a tree (field names excluded). */
    private static void textValues(JsonNode node, List<String> out) {
        if (node.isTextual()) {
            out.add(node.asText());
        }
        node.elements().forEachRemaining(child -> textValues(child, out));
    }

    private static void assertProbe(Probe probe, String path, String port, String name) {
        assertNotNull(probe, name + " probe " + path);
        assertEquals(path, probe.getHttpGet().getPath(), name);
        assertEquals(port, probe.getHttpGet().getPort().getStrVal(), name);
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

    /** Settings whose names contain a marker word but hold no secret: which claim names the user. */
    private static final Set<String> NOT_SECRET = Set.of("QUARKUS_OIDC_TOKEN_PRINCIPAL_CLAIM",
            // a switch (throwaway keys in the webhook deliverer), not a secret
            "LICENSING_EPHEMERAL_SECRETS");

    private static boolean looksSecret(String key) {
        String k = key.toUpperCase();
        if (NOT_SECRET.contains(k)) {
            return false;
        }
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
    /**
     * Releases and scale-in lose no request: a new pod counts as ready only once its ALB target is healthy (readiness
     * gate injected by the load balancer controller), a stopping pod keeps serving while it is deregistered (preStop)
     * and then drains (Quarkus' shutdown timeout), all inside the grace period; one pod more, never one less.
     */
    @Test
    void rolloutsAndScaleInLoseNoRequests() {
        Rendered prod = RENDERED.get("prod");
        io.fabric8.kubernetes.api.model.Namespace namespace = prod.all(io.fabric8.kubernetes.api.model.Namespace.class)
                .stream().filter(n -> n.getMetadata().getName().equals(NAMESPACE)).findFirst().orElseThrow();
        assertEquals("enabled", namespace.getMetadata().getLabels().get("elbv2.k8s.aws/pod-readiness-gate-inject"));
        for (String service : SERVICES) {
            Deployment d = deployment(prod, service);
            assertEquals(0, d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal(), service);
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            Container c = pod.getContainers().get(0);
            List<String> preStop = c.getLifecycle().getPreStop().getExec().getCommand();
            assertEquals("sleep", preStop.get(0), service);
            int drainSeconds = Integer.parseInt(preStop.get(1));
            // deregistration starts when the pod terminates; the sleep covers its way to kube-proxy and the ALB
            assertTrue(drainSeconds >= 5, service + ": preStop " + drainSeconds + " s");
            String shutdown = c.getEnv().stream().filter(e -> e.getName().equals("QUARKUS_SHUTDOWN_TIMEOUT"))
                    .findFirst().orElseThrow(() -> new AssertionError(service + ": no QUARKUS_SHUTDOWN_TIMEOUT"))
                    .getValue();
            int shutdownSeconds = (int) java.time.Duration.parse("PT" + shutdown.toUpperCase()).getSeconds();
            assertTrue(shutdownSeconds >= 10, service + ": shutdown timeout " + shutdown);
            assertTrue(pod.getTerminationGracePeriodSeconds() > drainSeconds + shutdownSeconds,
                    service + ": grace " + pod.getTerminationGracePeriodSeconds() + " s <= preStop " + drainSeconds
                            + " s + shutdown " + shutdownSeconds + " s");
            // ready means ready for traffic: the readiness probe is the ALB's health check path
            assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath(), service);
        }
    }

    /**
     * Webhook deliveries leave from the webhook-deliverer pods only: the issuer's image with delivery on and the issuer's
     * other schedules off, the serving issuer with delivery off. The pod that talks to the internet gets the database's
     * application role and the public JWT keys, no license-signing key, no idempotency secret, no owner credentials,
     * no API token; in prod the same verified TLS to Aurora as the issuer.
     */
    @ParameterizedTest
    @MethodSource("overlays")
    void theWebhookDelivererSendsWhatTheServingIssuerNoLongerSends(String overlay) {
        Rendered r = RENDERED.get(overlay);
        Deployment issuer = deployment(r, "license-issuer");
        Deployment deliverer = deployment(r, DELIVERER);
        Container serving = issuer.getSpec().getTemplate().getSpec().getContainers().get(0);
        PodSpec pod = deliverer.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertEquals("off", literal(serving, "LICENSING_WEBHOOKS_POLL_EVERY"), overlay + ": the issuer sends none");
        assertTrue(literal(c, "LICENSING_WEBHOOKS_POLL_EVERY").matches("\\d+s"), overlay + ": the deliverer polls");
        assertEquals("off", literal(c, "LICENSING_READ_MODEL_RECONCILE_EVERY"), overlay);
        assertEquals("off", literal(c, "LICENSING_EVENTS_PRUNE_EVERY"), overlay);
        assertEquals("off", literal(c, "LICENSING_EVENT_IMPORT_EVERY"), overlay);
        assertEquals(serving.getImage(), c.getImage(), overlay + ": the issuer's image");
        assertEquals(serving.getEnvFrom(), c.getEnvFrom(), overlay + ": the issuer's ConfigMap");
        assertEquals("false", literal(c, "QUARKUS_FLYWAY_MIGRATE_AT_START"), overlay);
        assertTrue(pod.getInitContainers() == null || pod.getInitContainers().isEmpty(), overlay + ": migrates nothing");
        assertEquals("license-issuer-db-app/username", secretRef(c, "QUARKUS_DATASOURCE_USERNAME"), overlay);
        assertEquals("license-issuer-db-app/password", secretRef(c, "QUARKUS_DATASOURCE_PASSWORD"), overlay);
        Set<String> secrets = new TreeSet<>(Set.of("license-issuer-db-app", "licensing-jwt-trust"));
        if (overlay.equals("dev")) {
            secrets.add("aws-emulator-credentials"); // dynalite for the readiness check
        }
        assertEquals(secrets, secretsOf(c, pod), overlay);
        // no signing key: the directory unset, throwaway keys (the issuer itself never runs so)
        assertEquals("", literal(c, "LICENSING_SIGNING_KEY_DIRECTORY"), overlay);
        assertEquals("true", literal(c, "LICENSING_EPHEMERAL_SECRETS"), overlay);
        assertNull(literal(serving, "LICENSING_EPHEMERAL_SECRETS"), overlay);
        assertFalse(data(r, "license-issuer-config").containsKey("LICENSING_EPHEMERAL_SECRETS"), overlay);
        assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), overlay);
        // an attempt in flight (3 x the 10 s timeout at most) may finish before the pod is killed
        int shutdown = (int) java.time.Duration.parse("PT" + literal(c, "QUARKUS_SHUTDOWN_TIMEOUT").toUpperCase())
                .getSeconds();
        assertTrue(shutdown >= 30 && pod.getTerminationGracePeriodSeconds() > shutdown, overlay);
        if (overlay.equals("prod")) {
            assertTrue(deliverer.getSpec().getReplicas() >= 2, "prod: a deliverer per zone");
            // every file of the shared ConfigMap's QUARKUS_CONFIG_LOCATIONS and the RDS CA bundle are mounted here too
            List<String> files = new java.util.ArrayList<>(List.of(data(r, "license-issuer-config")
                    .get("QUARKUS_CONFIG_LOCATIONS").split(",")));
            files.add(data(r, "license-issuer-config").get("QUARKUS_DATASOURCE_REACTIVE_TRUST_CERTIFICATE_PEM_CERTS"));
            for (String file : files) {
                assertTrue(c.getVolumeMounts().stream().anyMatch(m -> file.startsWith(m.getMountPath() + "/")),
                        file + " is not mounted in the deliverer");
            }
            Map<String, String> outputs = stackOutputs();
            assertEquals(outputs.get("WebhookDelivererRoleArn"), r.in(NAMESPACE, ServiceAccount.class).stream()
                    .filter(a -> a.getMetadata().getName().equals(DELIVERER)).findFirst().orElseThrow().getMetadata()
                    .getAnnotations().get("licensing.org/iam-role-arn"));
            assertEquals(outputs.get("WebhookDelivererSecurityGroupId"), r.custom(Rendered.SECURITY_GROUP_POLICY).stream()
                    .filter(n -> n.path("metadata").path("name").asText().equals(DELIVERER)).findFirst().orElseThrow()
                    .path("spec").path("securityGroups").path("groupIds").get(0).asText());
        }
    }

    /**
     * Sign-out ends the Cognito session: Cognito has no end_session_endpoint, so prod names its logout endpoint (the
     * hosted-UI domain the stack outputs + /logout), sends the post-logout URL as {@code logout_uri} and adds
     * {@code client_id} (from the client id the pod reads from its Secret) through a mounted properties file, because
     * an environment variable cannot name a map key with an underscore. Dev signs out at Keycloak (standard discovery).
     */
    @Test
    void theBackOfficeSignsOutAtCognitosLogoutEndpoint() throws IOException {
        Rendered prod = RENDERED.get("prod");
        Deployment d = deployment(prod, "back-office");
        assertEquals("value " + stackOutputs().get("BackOfficeSignInUrl") + "/logout",
                source(prod, d, "QUARKUS_OIDC_END_SESSION_PATH"));
        assertTrue(stackOutputs().get("BackOfficeSignInUrl").matches("https://[a-z0-9-]+\\.auth\\.[a-z0-9-]+\\.amazoncognito\\.com"));
        assertEquals("value logout_uri", source(prod, d, "QUARKUS_OIDC_LOGOUT_POST_LOGOUT_URI_PARAM"));
        assertEquals("secret back-office-oidc/client-id", source(prod, d, "QUARKUS_OIDC_CLIENT_ID"));
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        java.util.Properties extra = new java.util.Properties();
        for (String location : source(prod, d, "QUARKUS_CONFIG_LOCATIONS").substring("value ".length()).split(",")) {
            VolumeMount mount = pod.getContainers().get(0).getVolumeMounts().stream()
                    .filter(m -> location.startsWith(m.getMountPath() + "/")).findFirst()
                    .orElseThrow(() -> new AssertionError("nothing mounted at " + location));
            String configMap = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                    .orElseThrow().getConfigMap().getName();
            extra.load(new java.io.StringReader(data(prod, configMap)
                    .get(location.substring(mount.getMountPath().length() + 1))));
        }
        assertEquals("${quarkus.oidc.client-id}", extra.getProperty("quarkus.oidc.logout.extra-params.client_id"));
        // the back office signs out by POST /logout (its SignOutResource, which reads the logout properties above and
        // post-logout-path; SignOutRedirectTest builds the Cognito URL from them) and comes back to /signed-out, the
        // URL infra registers at Cognito; quarkus-oidc's own logout.path stays unset, as it signs out on any GET
        java.util.Properties app = new java.util.Properties();
        try (var in = Files.newBufferedReader(Path.of(System.getProperty("k8s.dir", "."))
                .resolve("../back-office/src/main/resources/application.properties"))) {
            app.load(in);
        }
        assertNull(app.getProperty("quarkus.oidc.logout.path"));
        assertEquals("/signed-out", app.getProperty("quarkus.oidc.logout.post-logout-path"));
        Deployment dev = deployment(RENDERED.get("dev"), "back-office");
        for (String variable : List.of("QUARKUS_OIDC_END_SESSION_PATH", "QUARKUS_OIDC_LOGOUT_POST_LOGOUT_URI_PARAM")) {
            assertNull(source(RENDERED.get("dev"), dev, variable), "dev: " + variable);
        }
    }

    /**
     * The stack's Prometheus managed collector reads the API as aps-collector-user: bound to a read-only role, no
     * secrets; and it finds exactly the pods that carry the scrape annotations (port and path of their metrics).
     */
    @Test
    void theMetricsCollectorReadsOnlyWhatItNeedsAndFindsEveryService() {
        Rendered prod = RENDERED.get("prod");
        ClusterRoleBinding binding = prod.all(ClusterRoleBinding.class).stream()
                .filter(b -> b.getRoleRef().getName().equals("aps-collector-role")).findFirst().orElseThrow();
        assertEquals(List.of(new Subject("rbac.authorization.k8s.io", "User", "aps-collector-user", null)),
                binding.getSubjects());
        ClusterRole role = prod.all(ClusterRole.class).stream()
                .filter(r -> r.getMetadata().getName().equals("aps-collector-role")).findFirst().orElseThrow();
        role.getRules().forEach(rule -> {
            assertTrue(Set.of("describe", "get", "list", "watch").containsAll(rule.getVerbs()), rule.toString());
            assertFalse(rule.getResources().contains("secrets") || rule.getResources().contains("*"), rule.toString());
        });
        assertTrue(RENDERED.get("dev").all(ClusterRole.class).stream()
                .noneMatch(r -> r.getMetadata().getName().equals("aps-collector-role")), "dev has no collector");
        for (String service : DEPLOYMENTS) {
            Map<String, String> annotations = deployment(prod, service).getSpec().getTemplate().getMetadata()
                    .getAnnotations();
            assertEquals("true", annotations.get("prometheus.io/scrape"), service);
            // the management port (metrics are not served on the API port of a prod image)
            assertEquals("9000", annotations.get("prometheus.io/port"), service);
            assertEquals("/q/metrics", annotations.get("prometheus.io/path"), service);
        }
    }

    /**
     * The group-to-roles contract, read from both of its sources instead of copied: the local Keycloak realm (each
     * back-office role is a composite of the API roles it stands for) and the prod roles file the overlay mounts
     * (Cognito groups mapped onto the same API roles). They must agree group by group.
     */
    @Test
    void theProdRolesFileMapsEachGroupOntoTheRolesOfTheKeycloakRealm() throws IOException {
        Map<String, Set<String>> realm = realmGroups();
        Map<String, Set<String>> prod = new java.util.TreeMap<>();
        rolesFile().forEach((key, value) -> prod.put(key.substring(ROLES_MAPPING.length()),
                new java.util.TreeSet<>(List.of(value.split(",")))));
        assertEquals(Set.of("admin", "finance", "operator", "viewer"), realm.keySet(), "the realm's back-office roles");
        assertEquals(realm, prod, "k8s/overlays/prod/back-office-roles.properties and the Keycloak realm");
    }

    private static final String ROLES_MAPPING = "quarkus.http.auth.roles-mapping.";

    /** The prod roles file of the overlay: {@code quarkus.http.auth.roles-mapping.<group>=<role>,...}. */
    private static Map<String, String> rolesFile() throws IOException {
        java.util.Properties roles = new java.util.Properties();
        try (var reader = Files.newBufferedReader(prodDir().resolve("back-office-roles.properties"))) {
            roles.load(reader);
        }
        Map<String, String> map = new java.util.TreeMap<>();
        roles.forEach((k, v) -> map.put(k.toString(), v.toString()));
        assertTrue(!map.isEmpty() && map.keySet().stream().allMatch(k -> k.startsWith(ROLES_MAPPING)), map::toString);
        return map;
    }

    /** The composite roles of the local Keycloak realm (the back-office groups) and the API roles each contains. */
    private static Map<String, Set<String>> realmGroups() throws IOException {
        Path file = Path.of(System.getProperty("k8s.dir", "."))
                .resolve("../test-support/src/main/resources/idp/licensing-realm.json");
        com.fasterxml.jackson.databind.JsonNode realm = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(file.toFile());
        Map<String, Set<String>> groups = new java.util.TreeMap<>();
        for (com.fasterxml.jackson.databind.JsonNode role : realm.path("roles").path("realm")) {
            if (role.path("composite").asBoolean()) {
                Set<String> contained = new java.util.TreeSet<>();
                role.path("composites").path("realm").forEach(r -> contained.add(r.asText()));
                groups.put(role.path("name").asText(), contained);
            }
        }
        return groups;
    }
}
