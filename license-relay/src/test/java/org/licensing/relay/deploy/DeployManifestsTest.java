package org.licensing.relay.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
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
