package org.licensing.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Behind {@link ServiceTest}: starts the module's back ends (system property {@code harness.backends}, set from
 * the module's Maven property by surefire) once per test JVM, and makes the service trust {@link TestTokens}' key and
 * issuer. The audience stays the service's own ({@code mp.jwt.verify.audiences} in its application.properties).
 */
public class ServiceTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String BACKENDS_PROPERTY = "harness.backends";

    @Override
    public Map<String, String> start() {
        String backends = System.getProperty(BACKENDS_PROPERTY);
        if (backends == null || backends.isBlank()) {
            throw new IllegalStateException("@ServiceTest needs the system property " + BACKENDS_PROPERTY
                    + " (the module's Maven property harness.backends, e.g. dynamodb,postgres)");
        }
        Map<String, String> config = new LinkedHashMap<>(LocalBackends.shared().start(Backend.parse(backends)));
        config.putAll(TestTokens.shared().trustConfig());
        return config;
    }

    @Override
    public void stop() {
        // The back ends stay up for the next test class of this JVM; a shutdown hook stops them.
    }
}
