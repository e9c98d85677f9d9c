package org.licensing.backoffice;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import org.licensing.testsupport.idp.KeycloakServer;

/** Points the back office at the harness: Keycloak for sign-in, the packaged issuer and notification service. */
public class BackOfficeResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        BackOfficeHarness harness = BackOfficeHarness.shared();
        return Map.of(
                "quarkus.oidc.auth-server-url", harness.keycloak.issuer(),
                "quarkus.oidc.client-id", KeycloakServer.BACK_OFFICE_CLIENT_ID,
                "quarkus.oidc.credentials.secret", KeycloakServer.BACK_OFFICE_CLIENT_SECRET,
                "backoffice.issuer-url", harness.issuerUrl.toString(),
                "backoffice.notification-url", harness.notificationUrl.toString());
    }

    @Override
    public void stop() {
        // Kept for the next test class of this JVM; shutdown hooks stop Keycloak and the issuer.
    }
}
