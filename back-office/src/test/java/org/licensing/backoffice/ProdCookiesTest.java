package org.licensing.backoffice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.Map;

import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import org.licensing.testsupport.idp.KeycloakServer.DemoUser;

/**
 * The back office started in the prod profile (as deployed, with the secrets from the environment): every cookie it
 * sets on the way through sign-in is Secure, besides HttpOnly.
 */
@QuarkusTest
@TestProfile(ProdCookiesTest.ProdLike.class)
@WithTestResource(BackOfficeResource.class)
class ProdCookiesTest {

    /** The prod profile, bound to loopback on a free port, with the two secrets a deployment provides. */
    public static class ProdLike implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "prod";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.test-port", "0", "quarkus.http.host", "127.0.0.1",
                    "backoffice.api-timeout", "5s",
                    // prod redirects over https because the ALB terminates TLS; this test serves plain http
                    "quarkus.oidc.authentication.force-redirect-https-scheme", "false",
                    "BACKOFFICE_SESSION_SECRET", "prod-like-session-secret-0123456789abcdef",
                    "BACKOFFICE_STATE_SECRET", "prod-like-state-secret-0123456789abcdefgh");
        }
    }

    @TestHTTPResource("/")
    URL root;

    @Test
    void everyCookieIsSecureOutsideLocalDevAndTest() {
        URI base = URI.create("http://127.0.0.1:" + root.getPort());
        try (Browser browser = Browser.signIn(base, DemoUser.ADMIN, "/catalog")) {
            HtmlPage catalog = browser.page("/catalog");
            assertEquals(200, catalog.getWebResponse().getStatusCode(), catalog.asXml());
            assertTrue(catalog.getElementById("product-form") != null, "a page with a form (and its CSRF cookie)");
            List<String> cookies = browser.exchanges().stream().filter(e -> e.url().getPort() == base.getPort())
                    .flatMap(e -> e.header("Set-Cookie").stream()).toList();
            for (String name : List.of("q_auth", "q_session", "csrf-token")) {
                assertTrue(cookies.stream().anyMatch(c -> c.startsWith(name)), name + " not set: " + cookies);
            }
            for (String cookie : cookies) {
                String lower = cookie.toLowerCase();
                if (lower.matches("[^=]+=;.*max-age=0.*")) {
                    // A deletion (quarkus-oidc drops the state cookie so, without attributes): it carries nothing.
                    continue;
                }
                assertTrue(lower.matches(".*;\\s*secure\\s*(;.*)?"), "not Secure: " + cookie);
                assertTrue(lower.contains("httponly"), "not HttpOnly: " + cookie);
            }
        }
    }
}
