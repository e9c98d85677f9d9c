package org.licensing.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parser the overlay tests rely on really fails on typos, wrong types and unexpected kinds. */
class StrictParsingTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: x
            spec:
              replicas: %s
              selector:
                matchLabels: {app: x}
              template:
                metadata:
                  labels: {app: x}
                spec:
                  containers:
                    - name: x
                      image: x:1.0.0
                      %s:
                        httpGet: {path: /q/health/ready, port: 8080}
            """;

    @Test
    void acceptsAValidDeployment() throws Exception {
        assertEquals(1, Rendered.parse("t", DEPLOYMENT.formatted("2", "readinessProbe")).objects.size());
    }

    @Test
    void failsOnAMisspelledField() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> Rendered.parse("t", DEPLOYMENT.formatted("2", "readinesProbe")));
        assertTrue(e.getMessage().contains("readinesProbe"), e.getMessage());
    }

    @Test
    void failsOnAWrongType() {
        assertThrows(AssertionError.class, () -> Rendered.parse("t", DEPLOYMENT.formatted("\"two\"", "readinessProbe")));
        assertThrows(AssertionError.class, () -> Rendered.parse("t", DEPLOYMENT.formatted("\"2\"", "readinessProbe")));
    }

    @Test
    void failsOnAnUnexpectedKind() {
        assertThrows(AssertionError.class, () -> Rendered.parse("t", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"));
    }

    // The lookup takes the environment, property and PATH as arguments: these run whatever KUBECTL the build has,
    // and change nothing the other test classes of this JVM read.

    @Test
    void aMissingKubectlFromTheEnvironmentNamesTheKubectlVariable() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> Rendered.kubectl("/nonexistent/kubectl", "kubectl", System.getenv("PATH")));
        assertTrue(e.getMessage().contains("KUBECTL") && e.getMessage().contains("/nonexistent/kubectl"),
                e.getMessage());
    }

    @Test
    void aMissingKubectlFromThePropertyOrPathNamesTheKubectlVariable(@TempDir Path emptyDir) {
        AssertionError fromProperty = assertThrows(AssertionError.class,
                () -> Rendered.kubectl(null, "/nonexistent/kubectl", emptyDir.toString()));
        assertTrue(fromProperty.getMessage().contains("KUBECTL"), fromProperty.getMessage());
        AssertionError onPath = assertThrows(AssertionError.class,
                () -> Rendered.kubectl("", "kubectl", emptyDir.toString()));
        assertTrue(onPath.getMessage().contains("KUBECTL") && onPath.getMessage().contains("'kubectl'"),
                onPath.getMessage());
    }

    @Test
    void kubectlIsFoundOnPathAndKubectlVariableWins(@TempDir Path dir) throws IOException {
        Path onPath = Files.createDirectories(dir.resolve("bin")).resolve("kubectl");
        Files.writeString(onPath, "#!/bin/sh\n");
        assertTrue(onPath.toFile().setExecutable(true));
        assertEquals(onPath.toString(), Rendered.kubectl(null, "kubectl", "/nonexistent:" + onPath.getParent()));
        Path configured = dir.resolve("my-kubectl");
        Files.writeString(configured, "#!/bin/sh\n");
        assertTrue(configured.toFile().setExecutable(true));
        assertEquals(configured.toString(), Rendered.kubectl(configured.toString(), "/nonexistent/kubectl", ""));
    }
}
