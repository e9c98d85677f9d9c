package org.licensing.notification.support;

import java.util.HashMap;
import java.util.Map;

import org.licensing.testsupport.TestTokens;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Trusts test-support's token key and issuer, with this service's audience (TestTokensResource sets the
 * issuer's audience, license-issuer).
 */
public class NotificationTokensResource implements QuarkusTestResourceLifecycleManager {

    public static final String AUDIENCE = "notification-service";

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(TestTokens.shared().quarkusConfig());
        config.put("mp.jwt.verify.audiences", AUDIENCE);
        return config;
    }

    @Override
    public void stop() {
    }

    /** A token for this service with the given roles. */
    public static String token(String... roles) {
        return TestTokens.shared().builder().audience(AUDIENCE).roles(roles).sign();
    }
}
