package org.licensing.backoffice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Map;
import java.util.NoSuchElementException;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The session and state secrets have no value outside local/dev/test: application.properties, read the way Quarkus
 * reads it at start-up, cannot resolve them without BACKOFFICE_SESSION_SECRET and BACKOFFICE_STATE_SECRET, so the
 * app refuses to start; and its cookies are Secure there (ProdCookiesTest starts it so).
 */
class RequiredSecretsTest {

    static final String SESSION = "quarkus.oidc.token-state-manager.encryption-secret";
    static final String STATE = "quarkus.oidc.authentication.state-secret";

    @Test
    void withoutTheEnvironmentTheProdProfileHasNoSecret() {
        SmallRyeConfig prod = config("prod", Map.of());
        NoSuchElementException session = assertThrows(NoSuchElementException.class,
                () -> prod.getValue(SESSION, String.class));
        assertTrue(session.getMessage().contains("BACKOFFICE_SESSION_SECRET"), session.getMessage());
        NoSuchElementException state = assertThrows(NoSuchElementException.class,
                () -> prod.getValue(STATE, String.class));
        assertTrue(state.getMessage().contains("BACKOFFICE_STATE_SECRET"), state.getMessage());

        SmallRyeConfig given = config("prod", Map.of("BACKOFFICE_SESSION_SECRET", "s".repeat(32),
                "BACKOFFICE_STATE_SECRET", "t".repeat(32)));
        assertEquals("s".repeat(32), given.getValue(SESSION, String.class));
        assertEquals("t".repeat(32), given.getValue(STATE, String.class));
    }

    @Test
    void onlyLocalDevAndTestHaveBuiltInSecretsAndCookiesWithoutSecure() {
        for (String profile : new String[] {"local", "dev", "test"}) {
            SmallRyeConfig config = config(profile, Map.of());
            assertTrue(config.getValue(SESSION, String.class).length() >= 32, profile);
            assertTrue(config.getValue(STATE, String.class).length() >= 32, profile);
            assertEquals(false, config.getValue("quarkus.oidc.authentication.cookie-force-secure", Boolean.class));
            assertEquals(false, config.getValue("quarkus.rest-csrf.cookie-force-secure", Boolean.class));
        }
        for (String profile : new String[] {"prod", "staging"}) {
            SmallRyeConfig config = config(profile, Map.of());
            assertEquals(true, config.getValue("quarkus.oidc.authentication.cookie-force-secure", Boolean.class),
                    profile);
            assertEquals(true, config.getValue("quarkus.rest-csrf.cookie-force-secure", Boolean.class), profile);
        }
    }

    private static SmallRyeConfig config(String profile, Map<String, String> environment) {
        URL properties = RequiredSecretsTest.class.getClassLoader().getResource("application.properties");
        try {
            return new SmallRyeConfigBuilder().withProfile(profile)
                    .withSources(new PropertiesConfigSource(properties, 250))
                    .withSources(new PropertiesConfigSource(environment, "environment", 300))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
