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

    /** The prod profile as deployed, served over plain http here. */
    public static class ProdLike extends ProdProfile {
        @Override
        protected Map<String, String> extra() {
            // prod redirects over https because the ALB terminates TLS; this test serves plain http
            return Map.of("quarkus.oidc.authentication.force-redirect-https-scheme", "false");
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
