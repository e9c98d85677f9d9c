package org.licensing.backoffice.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Where sign-out sends the browser, for an OIDC IdP (Keycloak) and for Cognito as the prod overlay configures it. */
class SignOutRedirectTest {

    private static final URI BACK = URI.create("https://bo.example.test/signed-out");

    @Test
    void anOidcIdpGetsTheStandardParameters() {
        assertEquals("http://127.0.0.1:8180/realms/licensing/protocol/openid-connect/logout"
                        + "?post_logout_redirect_uri=https%3A%2F%2Fbo.example.test%2Fsigned-out&client_id=back-office"
                        + "&id_token_hint=eyJ.x.y",
                SignOutResource.endSessionRedirect(
                        "http://127.0.0.1:8180/realms/licensing/protocol/openid-connect/logout",
                        "post_logout_redirect_uri", BACK, "back-office", Map.of(), "eyJ.x.y").toString());
    }

    @Test
    void cognitoGetsLogoutUriAndOneClientId() {
        // k8s prod overlay: end-session-path <BackOfficeSignInUrl>/logout, post-logout-uri-param logout_uri, and
        // extra-params.client_id = the app client's id (its logout URL registered in CDK is .../signed-out)
        assertEquals("https://licensing-123.auth.eu-west-1.amazoncognito.com/logout"
                        + "?logout_uri=https%3A%2F%2Fbo.example.test%2Fsigned-out&client_id=4abc",
                SignOutResource.endSessionRedirect("https://licensing-123.auth.eu-west-1.amazoncognito.com/logout",
                        "logout_uri", BACK, "4abc", Map.of("client_id", "4abc"), null).toString());
    }
}
