package org.licensing.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

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

    @Test
    void missingKubectlNamesTheKubectlVariable() {
        if (System.getenv("KUBECTL") != null) {
            return; // the environment decides; nothing to prove here
        }
        String before = System.getProperty("kubectl");
        System.setProperty("kubectl", "/nonexistent/kubectl");
        try {
            AssertionError e = assertThrows(AssertionError.class, Rendered::kubectl);
            assertTrue(e.getMessage().contains("KUBECTL"), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty("kubectl");
            } else {
                System.setProperty("kubectl", before);
            }
        }
    }
}
