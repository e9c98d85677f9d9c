package org.licensing.issuer.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.flyway.runtime.FlywayRuntimeConfig;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * How the placeholders are read, with Quarkus' Flyway config mapping (its runtime class, as Quarkus 3.33 has it) over
 * this service's application.properties:
 * prod's environment variables land on exactly the keys the migrations use, and without them the application role
 * is the service's datasource user.
 */
class FlywayPlaceholderConfigTest {

    @Test
    void theEnvironmentVariablesSetTheTwoPlaceholders() throws IOException {
        Map<String, String> placeholders = placeholders(Map.of(
                "QUARKUS_FLYWAY_PLACEHOLDERS_APP_USER", "licensing_app",
                "QUARKUS_FLYWAY_PLACEHOLDERS_APP_PASSWORD", "from-the-secret",
                "QUARKUS_DATASOURCE_USERNAME", "licensing_app",
                "QUARKUS_DATASOURCE_PASSWORD", "from-the-secret"));
        assertEquals("licensing_app", placeholders.get("app_user"));
        assertEquals("from-the-secret", placeholders.get("app_password"));
        // (an environment variable name is ambiguous for a map key: SmallRye also offers it as app.user, app.password,
        // which no script uses; without the keys declared in application.properties it offers only those, below)
    }

    @Test
    void withoutThemTheRoleIsTheDatasourceUser() throws IOException {
        Map<String, String> placeholders = placeholders(Map.of(
                "QUARKUS_DATASOURCE_USERNAME", "someone", "QUARKUS_DATASOURCE_PASSWORD", "pw"));
        assertEquals("someone", placeholders.get("app_user"));
        assertEquals("pw", placeholders.get("app_password"));
    }

    @Test
    void undeclaredKeysWouldNotBeFound() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(Map.of("QUARKUS_FLYWAY_PLACEHOLDERS_APP_USER", "licensing_app"), 300))
                .withMapping(FlywayRuntimeConfig.class)
                .withValidateUnknown(false)
                .build();
        Map<String, String> placeholders = config.getConfigMapping(FlywayRuntimeConfig.class).datasources()
                .get("<default>").placeholders();
        // only app.user: the migrations would find no app_user and Flyway would refuse to run them
        assertNull(placeholders.get("app_user"), placeholders.toString());
    }

    private static Map<String, String> placeholders(Map<String, String> env) throws IOException {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(
                        FlywayPlaceholderConfigTest.class.getResource("/application.properties"), 250))
                .withSources(new EnvConfigSource(env, 300))
                .withMapping(FlywayRuntimeConfig.class)
                .withValidateUnknown(false)
                .withProfile("prod")
                .build();
        return config.getConfigMapping(FlywayRuntimeConfig.class).datasources().get("<default>").placeholders();
    }
}
