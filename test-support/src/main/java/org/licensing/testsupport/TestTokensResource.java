package org.licensing.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Makes a service under test trust {@link TestTokens}' key, issuer and audience. */
public class TestTokensResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return TestTokens.shared().quarkusConfig();
    }

    @Override
    public void stop() {
    }
}
