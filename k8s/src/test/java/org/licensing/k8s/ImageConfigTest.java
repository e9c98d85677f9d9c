package org.licensing.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The services' container images against the manifests that run them. No container engine or registry answers here,
 * so no image is built: what is checked is the Jib configuration each service builds its image with (its
 * application.properties and pom.xml), so that image and Deployment cannot drift apart: the user, the port, the JVM
 * sizing env, the base image, the repository name, build only on request, reproducible settings, and that every
 * property name is one the container-image and Jib extensions of this Quarkus version know (a misspelt key would be
 * ignored with a warning, and the image built with a default).
 */
class ImageConfigTest {

    private static final Path K8S = Path.of(System.getProperty("k8s.dir", "."));
    private static final Path ROOT = K8S.resolve("..").normalize();
    /** The UBI9 OpenJDK runtime: Quarkus' Jib starts it with run-java.sh, which reads JAVA_OPTS_APPEND / JAVA_MAX_MEM_RATIO. */
    private static final Pattern BASE_IMAGE = Pattern.compile(
            "registry\\.access\\.redhat\\.com/ubi9/openjdk-(\\d+)-runtime(?::(\\d+\\.\\d+[0-9.-]*)|@sha256:[0-9a-f]{64})");
    private static final List<String> OTHER_BUILDERS = List.of("quarkus-container-image-docker",
            "quarkus-container-image-podman", "quarkus-container-image-buildpack", "quarkus-container-image-openshift");
    private static final Map<String, Rendered> RENDERED = new HashMap<>();
    /** Property names (and, ending in '.', map prefixes) of the container-image and Jib extensions. */
    private static final Set<String> KNOWN = new TreeSet<>();

    @BeforeAll
    static void renderAndReadTheExtensionsConfigModel() throws Exception {
        for (String overlay : List.of("dev", "prod")) {
            RENDERED.put(overlay, Rendered.overlay(overlay));
        }
        ObjectMapper json = new ObjectMapper();
        Set<String> extensions = new TreeSet<>();
        var models = ImageConfigTest.class.getClassLoader().getResources("META-INF/quarkus-config-doc/quarkus-config-model.json");
        while (models.hasMoreElements()) {
            URL url = models.nextElement();
            try (InputStream in = url.openStream()) {
                for (JsonNode root : json.readTree(in).path("configRoots")) {
                    extensions.add(root.path("extension").path("artifactId").asText());
                    collectProperties(root, KNOWN);
                }
            }
        }
        assertTrue(extensions.containsAll(Set.of("quarkus-container-image", "quarkus-container-image-jib")),
                "config models found: " + extensions);
    }

    /** The Deployments whose image config is checked here: every service's, the back office's included. */
    static final Set<String> IMAGE_MODULES = Set.of("license-issuer", "license-validator", "notification-service",
            "back-office");

    static Stream<String> services() {
        return IMAGE_MODULES.stream().sorted();
    }

    @ParameterizedTest
    @MethodSource("services")
    void eachServiceBuildsItsImageWithJibOnlyWhenAsked(String service) throws Exception {
        Document pom = xml(ROOT.resolve(service).resolve("pom.xml"));
        Map<String, String> dependencies = dependencies(pom);
        assertTrue(dependencies.containsKey("io.quarkus:quarkus-container-image-jib"), service + ": no Jib extension");
        assertEquals("", dependencies.get("io.quarkus:quarkus-container-image-jib"),
                service + ": the Jib extension's version comes from the Quarkus BOM");
        for (String other : OTHER_BUILDERS) {
            assertFalse(dependencies.containsKey("io.quarkus:" + other), service + ": a second image builder " + other);
        }
        Properties p = properties(service);
        // a plain `package` (no container engine, no registry) builds and pushes nothing; release.sh asks for both
        assertEquals("false", p.getProperty("quarkus.container-image.build"), service);
        assertEquals("false", p.getProperty("quarkus.container-image.push"), service);
        assertEquals("jib", p.getProperty("quarkus.container-image.builder"), service);
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("%") && (key.contains(".container-image.") || key.contains(".jib."))) {
                throw new AssertionError(service + ": profile-specific image setting " + key + " (every build the same)");
            }
            if (key.startsWith("quarkus.container-image.") || key.startsWith("quarkus.jib.")) {
                assertTrue(known(key), service + ": " + key + " is no property of the container-image or Jib extension "
                        + "of this Quarkus version");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("services")
    void theImageRunsAsTheDeploymentExpects(String service) throws Exception {
        Properties p = properties(service);
        List<String> jvmArguments = list(p.getProperty("quarkus.jib.jvm-arguments"));
        Map<String, String> imageEnv = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("quarkus.jib.environment-variables.")) {
                imageEnv.put(unquote(key.substring("quarkus.jib.environment-variables.".length())), p.getProperty(key));
            }
        }
        // what Quarkus' Jib puts into the image for a run-java.sh base image: the arguments as JAVA_OPTS_APPEND
        imageEnv.put("JAVA_OPTS_APPEND", String.join(" ", jvmArguments));
        assertTrue(jvmArguments.stream().anyMatch(a -> a.startsWith("-XX:MaxRAMPercentage=")), service + ": JVM sizing");
        assertNotNull(imageEnv.get("JAVA_MAX_MEM_RATIO"), service + ": JAVA_MAX_MEM_RATIO (run-java.sh's heap ratio)");
        for (String overlay : List.of("dev", "prod")) {
            String where = overlay + " " + service;
            Deployment d = deployment(RENDERED.get(overlay), service);
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            Container c = pod.getContainers().get(0);
            // the user: the image's is the pod's (the Quarkus UBI images' 185); runAsNonRoot needs it numeric
            assertEquals(String.valueOf(pod.getSecurityContext().getRunAsUser()), p.getProperty("quarkus.jib.user"), where);
            if (c.getSecurityContext().getRunAsUser() != null) {
                assertEquals(String.valueOf(c.getSecurityContext().getRunAsUser()), p.getProperty("quarkus.jib.user"), where);
            }
            // the ports the image exposes are the container's, and the service listens there
            List<Integer> ports = c.getPorts().stream().map(ContainerPort::getContainerPort).toList();
            List<Integer> exposed = new ArrayList<>(list(p.getProperty("quarkus.jib.ports")).stream()
                    .map(Integer::valueOf).toList());
            if (overlay.equals("prod")) {
                // and the management interface that release.sh's build turns on (health and metrics, port 9000)
                exposed.add(9000);
                assertEquals(9000, c.getPorts().stream().filter(port -> "management".equals(port.getName()))
                        .findFirst().orElseThrow().getContainerPort(), where + ": the probes' port 'management'");
            }
            assertEquals(exposed, ports, where);
            assertEquals(8080, c.getPorts().stream().filter(port -> "http".equals(port.getName())).findFirst()
                    .orElseThrow().getContainerPort(), where + ": the probes' port 'http'");
            String httpPort = config(RENDERED.get(overlay), c).getOrDefault("QUARKUS_HTTP_PORT",
                    p.getProperty("quarkus.http.port", "8080"));
            assertEquals("8080", httpPort, where + ": the port Quarkus listens on");
            // the JVM env: the Deployment sets it again (and overrides the image's): both must say the same
            Map<String, String> env = new LinkedHashMap<>();
            for (EnvVar e : c.getEnv()) {
                if (e.getValue() != null) {
                    env.put(e.getName(), e.getValue());
                }
            }
            for (String name : List.of("JAVA_OPTS_APPEND", "JAVA_MAX_MEM_RATIO")) {
                assertEquals(env.get(name), imageEnv.get(name), where + ": " + name + " of the image and of the Deployment");
            }
            for (var e : imageEnv.entrySet()) {
                if (env.containsKey(e.getKey())) {
                    assertEquals(env.get(e.getKey()), e.getValue(), where + ": " + e.getKey());
                }
            }
        }
        // no custom entrypoint: it would bypass run-java.sh, and with it JAVA_OPTS_APPEND and JAVA_MAX_MEM_RATIO
        assertFalse(p.containsKey("quarkus.jib.jvm-entrypoint"), service);
        assertFalse(p.containsKey("quarkus.jib.jvm-additional-arguments"), service + ": arguments in one place");
        assertEquals("linux/amd64", p.getProperty("quarkus.jib.platforms"), service + ": the node group's architecture");
    }

    @ParameterizedTest
    @MethodSource("services")
    void theImageLandsInTheRepositoryTheOverlaysRun(String service) throws Exception {
        Properties p = properties(service);
        String repository = p.getProperty("quarkus.container-image.group") + "/" + p.getProperty("quarkus.container-image.name");
        assertEquals("licensing/" + service, repository, service);
        // dev: Quarkus' default tag is the project version
        String version = text(xml(ROOT.resolve("pom.xml")).getDocumentElement(), "version");
        Container dev = deployment(RENDERED.get("dev"), service).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(repository + ":" + version, dev.getImage(), "dev " + service);
        // prod: the stack's ECR repository of the service (release.sh pushes <that>:<tag> and pins the digest)
        Container prod = deployment(RENDERED.get("prod"), service).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertTrue(prod.getImage().matches("\\d{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com/" + Pattern.quote(repository)
                + "@sha256:[0-9a-f]{64}"), "prod " + service + ": " + prod.getImage());
    }

    @Test
    void everyServiceHasTheSamePinnedUbiOpenJdkRuntimeOfItsJavaRelease() throws Exception {
        String javaRelease = property(xml(ROOT.resolve("pom.xml")), "maven.compiler.release");
        Set<String> baseImages = new TreeSet<>();
        for (String service : IMAGE_MODULES) {
            String image = properties(service).getProperty("quarkus.jib.base-jvm-image");
            assertNotNull(image, service + ": base image not set (Quarkus' default moves with Quarkus)");
            Matcher m = BASE_IMAGE.matcher(image);
            assertTrue(m.matches(), service + ": base image " + image + " is not the UBI9 OpenJDK runtime pinned by tag "
                    + "or digest");
            assertEquals(javaRelease, m.group(1), service + ": the runtime's Java is the one the code is compiled for");
            baseImages.add(image);
        }
        assertEquals(1, baseImages.size(), "one base image for all services: " + baseImages);
    }

    @Test
    void theImagesAreBuiltReproducibly() throws Exception {
        for (String service : IMAGE_MODULES) {
            Properties p = properties(service);
            // Jib's defaults in Quarkus use the build time for the image and its files: a new digest every build
            assertEquals("false", p.getProperty("quarkus.jib.use-current-timestamp"), service);
            assertEquals("false", p.getProperty("quarkus.jib.use-current-timestamp-file-modification"), service);
        }
        // the jars in the image (the modules' and Quarkus' own) with fixed entry times
        String timestamp = property(xml(ROOT.resolve("pom.xml")), "project.build.outputTimestamp");
        assertNotNull(timestamp, "parent pom: project.build.outputTimestamp");
        Instant.parse(timestamp);
    }

    @Test
    void everyDeploymentsImageConfigIsChecked() {
        // every Deployment runs an image its module builds with Jib (release.sh stops at a service without one)
        Set<String> unchecked = new TreeSet<>(OverlaysTest.SERVICES);
        unchecked.removeAll(IMAGE_MODULES);
        assertEquals(Set.of(), unchecked);
    }

    @Test
    void releaseBuildsAndPushesEachImageWithJib() throws IOException {
        String build = Files.readAllLines(K8S.resolve("release.sh")).stream().filter(l -> l.startsWith("BUILD_CMD="))
                .findFirst().orElseThrow();
        for (String part : List.of("-pl \"$SERVICE\"", "package", "-Dquarkus.container-image.build=true",
                "-Dquarkus.container-image.push=true", "-Dquarkus.container-image.image=\"$IMAGE\"")) {
            assertTrue(build.contains(part), "release.sh BUILD_CMD lacks " + part + ": " + build);
        }
        assertFalse(build.contains("docker build") || build.contains("podman build"), "Jib needs no engine: " + build);
        // the prod overlay probes and scrapes the management port (OverlaysTest): only an image built with Quarkus'
        // management interface serves health and metrics there (a build-time property, so the build sets it)
        assertTrue(build.contains("-Dquarkus.management.enabled=true"), "release.sh BUILD_CMD: " + build);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static Properties properties(String service) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(ROOT.resolve(service).resolve("src/main/resources/application.properties"))) {
            p.load(in);
        }
        return p;
    }

    private static boolean known(String key) {
        if (KNOWN.contains(key)) {
            return true;
        }
        return KNOWN.stream().anyMatch(k -> k.endsWith(".") && key.startsWith(k) && key.length() > k.length());
    }

    /** The items of a config root (nested sections included): names, and "prefix." for maps. */
    private static void collectProperties(JsonNode node, Set<String> out) {
        for (JsonNode item : node.path("items")) {
            String property = item.path("path").path("property").asText("");
            if (!property.isEmpty()) {
                out.add(item.path("map").asBoolean(false) ? property.substring(0, property.lastIndexOf(".\"") + 1)
                        : property);
            }
            collectProperties(item, out);
        }
    }

    private static List<String> list(String value) {
        assertNotNull(value);
        return new ArrayList<>(Arrays.stream(value.split(",")).map(String::trim).toList());
    }

    private static String unquote(String key) {
        return key.startsWith("\"") && key.endsWith("\"") ? key.substring(1, key.length() - 1) : key;
    }

    private static Deployment deployment(Rendered r, String name) {
        return r.in(OverlaysTest.NAMESPACE, Deployment.class).stream().filter(d -> d.getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError(r.overlay + ": no Deployment " + name));
    }

    /** The data of the ConfigMaps the container takes its env from. */
    private static Map<String, String> config(Rendered r, Container c) {
        Map<String, String> out = new HashMap<>();
        for (var from : c.getEnvFrom()) {
            if (from.getConfigMapRef() != null) {
                r.in(OverlaysTest.NAMESPACE, ConfigMap.class).stream()
                        .filter(cm -> cm.getMetadata().getName().equals(from.getConfigMapRef().getName()))
                        .forEach(cm -> out.putAll(cm.getData()));
            }
        }
        return out;
    }

    private static Document xml(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    /** groupId:artifactId -> version ("" when managed) of the project's own dependencies. */
    private static Map<String, String> dependencies(Document pom) {
        Map<String, String> out = new LinkedHashMap<>();
        Element dependencies = child(pom.getDocumentElement(), "dependencies");
        if (dependencies == null) {
            return out;
        }
        for (Node n = dependencies.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals("dependency")) {
                String version = text(e, "version");
                out.put(text(e, "groupId") + ":" + text(e, "artifactId"), version == null ? "" : version);
            }
        }
        return out;
    }

    private static String property(Document pom, String name) {
        Element properties = child(pom.getDocumentElement(), "properties");
        return properties == null ? null : text(properties, name);
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }
}
