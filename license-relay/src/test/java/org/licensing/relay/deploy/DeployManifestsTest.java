package org.licensing.relay.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The site's deployment files say what the README says: the rendered kustomization (kubectl, a prerequisite of the
 * build) runs one relay on a persistent volume with exactly the RBAC its cluster fingerprint needs, and every
 * relay variable the Kubernetes and systemd files set is a documented property.
 */
class DeployManifestsTest {

    static final Path DEPLOY = Path.of("deploy");

    static String render() throws IOException, InterruptedException {
        String kubectl = System.getenv().getOrDefault("KUBECTL", "kubectl");
        Process p;
        try {
            p = new ProcessBuilder(kubectl, "kustomize", DEPLOY.resolve("kubernetes").toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("kubectl is needed to render deploy/kubernetes (install it or set"
                    + " KUBECTL)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void oneReplicaOnAVolumeWithOnlyTheFingerprintRbac() throws Exception {
        String y = render();
        assertTrue(y.contains("replicas: 1"), y);
        assertTrue(y.contains("type: Recreate"));
        assertTrue(y.contains("claimName: license-relay-data"));
        assertTrue(y.contains("kind: PersistentVolumeClaim"));
        assertTrue(y.contains("mountPath: /var/lib/license-relay"));
        assertTrue(y.contains("kind: NetworkPolicy"));
        assertTrue(y.contains("serviceAccountName: license-relay"));
        assertTrue(y.contains("value: kubernetes"), "the cluster fingerprint");
        // The ClusterRole: get on the kube-system namespace, nothing more.
        String role = y.substring(y.indexOf("kind: ClusterRole\n"));
        role = role.substring(0, role.indexOf("---"));
        assertTrue(role.contains("- kube-system") && role.contains("- namespaces") && role.contains("- get"), role);
        assertEquals(1, role.split("verbs:", -1).length - 1, role);
        assertTrue(!role.contains("list") && !role.contains("watch") && !role.contains("secrets"), role);
    }

    /**
     * The image the vendor builds (Jib settings in application.properties) is the one the site's manifests run, as
     * the user the pod runs as, on the port the probes ask, with the data volume where the relay writes.
     */
    @Test
    void theManifestsRunTheImageTheBuildMakesAsItsNonRootUserWithTheDataVolumeWritable() throws Exception {
        Properties app = new Properties();
        try (var in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            app.load(in);
        }
        String y = render();
        String user = app.getProperty("quarkus.jib.user");
        assertTrue(user.matches("[1-9][0-9]*"), "runAsNonRoot needs a numeric non-root user: " + user);
        assertTrue(y.contains("runAsUser: " + user + "\n"), "the pod runs as the image's user " + user);
        assertTrue(y.contains("fsGroup: " + user + "\n"), "the data volume is made writable for that user");
        assertTrue(y.contains("runAsNonRoot: true"));
        assertTrue(y.contains("readOnlyRootFilesystem: true"));
        assertTrue(y.contains("containerPort: " + app.getProperty("quarkus.jib.ports") + "\n"));
        // kustomize replaced the Deployment's image name with the registry path of the built image.
        String image = "/" + app.getProperty("quarkus.container-image.group") + "/"
                + app.getProperty("quarkus.container-image.name") + ":";
        Matcher m = Pattern.compile("image: (\\S+)").matcher(y);
        assertTrue(m.find(), y);
        assertTrue(m.group(1).contains(image), m.group(1) + " is not the built image (<registry>" + image + "<tag>)");
        assertTrue(!m.find(), "one image");
        // The data directory the relay writes (its default) is the persistent volume's mount, nowhere read-only.
        String dataDir = app.getProperty("licensing.relay.data-dir");
        assertTrue(y.contains("mountPath: " + dataDir + "\n"), dataDir);
        assertTrue(y.contains("value: " + dataDir + "\n") || !y.contains("LICENSING_RELAY_DATA_DIR"));
        // The mount's own lines: up to the next list item.
        String[] after = y.substring(y.indexOf("mountPath: " + dataDir)).split("\n");
        for (int i = 1; i < after.length && !after[i].strip().startsWith("- "); i++) {
            assertTrue(!after[i].contains("readOnly"), "the data volume is mounted read-only: " + after[i]);
        }
        assertTrue(y.contains("value: \"" + app.getProperty("quarkus.jib.environment-variables.\"JAVA_MAX_MEM_RATIO\"")
                + "\""), "image and Deployment size the JVM alike");
        assertTrue(app.getProperty("quarkus.jib.base-jvm-image").matches(".+:[0-9][^:]*"),
                "the base image is pinned to a version");
        assertEquals("false", app.getProperty("quarkus.container-image.build"), "built only when asked");
    }

    @Test
    void everyVariableTheDeploymentFilesSetIsDocumented() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String files = Files.readString(DEPLOY.resolve("kubernetes/deployment.yaml"))
                + Files.readString(DEPLOY.resolve("systemd/license-relay.service"))
                + Files.readString(DEPLOY.resolve("systemd/relay.env.example"));
        Matcher m = Pattern.compile("LICENSING_RELAY_[A-Z_]+").matcher(files);
        int n = 0;
        while (m.find()) {
            String property = "licensing.relay." + m.group().substring("LICENSING_RELAY_".length())
                    .toLowerCase(Locale.ROOT).replace('_', '-').replace("fingerprint-", "fingerprint.");
            assertTrue(readme.contains("`" + property + "`"), property + " is set but not documented");
            n++;
        }
        assertTrue(n >= 6, "found " + n);
        assertTrue(files.contains("quarkus-run.jar"));
    }
}
