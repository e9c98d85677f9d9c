package org.licensing.testsupport.idp;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a quarkus-oidc web app (the back office) at the JVM's shared {@link KeycloakServer}:
 * {@code @WithTestResource(KeycloakResource.class)}. Keycloak starts once per test JVM and outlives Quarkus
 * restarts between test profiles; a shutdown hook stops it.
 */
public class KeycloakResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        KeycloakServer keycloak = KeycloakServer.shared();
        return Map.of(
                "quarkus.oidc.auth-server-url", keycloak.issuer(),
                "quarkus.oidc.client-id", KeycloakServer.BACK_OFFICE_CLIENT_ID,
                "quarkus.oidc.credentials.secret", KeycloakServer.BACK_OFFICE_CLIENT_SECRET);
    }

    @Override
    public void stop() {
        // Kept running for the next test class of this JVM; the shutdown hook stops it.
    }
}
