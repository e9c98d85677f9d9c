package org.licensing.testsupport;

import java.util.Map;
import java.util.Set;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The one test resource every service's {@code @QuarkusTest} uses:
 * {@code @WithTestResource(value = LocalBackendsResource.class, initArgs = @ResourceArg(name = "backends",
 * value = "dynamodb,sqs"))}. The back ends start once per test JVM and outlive Quarkus restarts between test
 * profiles; a shutdown hook stops them. Without the {@code backends} argument it starts all four.
 */
public class LocalBackendsResource implements QuarkusTestResourceLifecycleManager {

    private Set<Backend> backends = Backend.parse(null);

    @Override
    public void init(Map<String, String> initArgs) {
        backends = Backend.parse(initArgs.get("backends"));
    }

    @Override
    public Map<String, String> start() {
        return LocalBackends.shared().start(backends);
    }

    @Override
    public void stop() {
        // Kept running for the next test class of this JVM; the shutdown hook stops them.
    }
}
