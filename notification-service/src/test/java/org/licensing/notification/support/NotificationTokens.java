package org.licensing.notification.support;

import org.licensing.testsupport.TestTokens;

/**
 * Tokens for this service: test-support's key and issuer (which {@code @ServiceTest} makes the service trust) with
 * this service's audience.
 */
public final class NotificationTokens {

    public static final String AUDIENCE = "notification-service";

    private NotificationTokens() {
    }

    /** A token for this service with the given roles. */
    public static String token(String... roles) {
        return TestTokens.shared().builder().audience(AUDIENCE).roles(roles).sign();
    }
}
