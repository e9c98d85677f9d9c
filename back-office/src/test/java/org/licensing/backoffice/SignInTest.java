package org.licensing.backoffice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import org.licensing.testsupport.idp.KeycloakServer.DemoUser;

/** Sign-in through the real Keycloak: code flow with PKCE, roles from the token, cookies, sign-out at the IdP. */
@QuarkusTest
@WithTestResource(BackOfficeResource.class)
class SignInTest {

    @TestHTTPResource("/")
    URL root;

    URI base() {
        return URI.create("http://127.0.0.1:" + root.getPort());
    }

    @Test
    void everyDemoUserSignsInThroughKeycloakWithItsRole() {
        for (DemoUser user : DemoUser.all()) {
            try (Browser browser = Browser.signIn(base(), user, "/customers")) {
                HtmlPage page = browser.page("/customers");
                assertEquals(user.username(), page.getHtmlElementById("user-name").asNormalizedText());
                assertEquals(user.role(), page.getHtmlElementById("user-role").asNormalizedText(),
                        "the role comes from the access token's groups, not from the name");
            }
        }
    }

    @Test
    void aUserNamedAfterNoRoleIsShownItsRoleAndActsWithIt() {
        DemoUser dana = DemoUser.DANA;
        assertNotEquals(dana.username(), dana.role());
        String id = BackOfficeHarness.shared().licenseId;
        try (Browser browser = Browser.signIn(base(), dana, "/licenses/" + id)) {
            HtmlPage page = browser.page("/licenses/" + id);
            assertEquals("dana", page.getHtmlElementById("user-name").asNormalizedText());
            assertEquals("operator", page.getHtmlElementById("user-role").asNormalizedText());
            assertNotNull(page.getElementById("license-actions"), "an operator's actions");
            assertEquals(403, browser.post("/finance/digest", java.util.Map.of("csrf-token", browser.csrfToken()))
                    .getStatusCode(), "but not finance's digest");
        }
    }

    @Test
    void aPageWithoutSessionRedirectsToKeycloakWithPkce() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(base().resolve("/licenses")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(302, response.statusCode());
        String location = response.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(BackOfficeHarness.shared().keycloak.authorizationEndpoint().toString()),
                location);
        assertTrue(location.contains("code_challenge_method=S256"), location);
        assertTrue(location.contains("code_challenge="), location);
        assertTrue(location.contains("response_type=code"), location);
    }

    @Test
    void sessionCookieIsHttpOnlyAndSameSiteLax() {
        try (Browser browser = Browser.signIn(base(), DemoUser.VIEWER, "/customers")) {
            List<String> session = browser.exchanges().stream()
                    .filter(e -> e.url().getPort() == base().getPort())
                    .flatMap(e -> e.header("Set-Cookie").stream())
                    .filter(c -> c.startsWith("q_session")).toList();
            assertTrue(!session.isEmpty(), "no session cookie set: " + browser.exchanges());
            for (String cookie : session) {
                String lower = cookie.toLowerCase();
                assertTrue(lower.contains("httponly"), cookie);
                assertTrue(lower.contains("samesite=lax"), cookie);
            }
            List<String> csrf = browser.exchanges().stream().flatMap(e -> e.header("Set-Cookie").stream())
                    .filter(c -> c.startsWith("csrf-token")).toList();
            assertTrue(!csrf.isEmpty() && csrf.stream().allMatch(c -> c.toLowerCase().contains("httponly")),
                    csrf.toString());
        }
    }

    @Test
    void signOutEndsTheKeycloakSessionToo() {
        try (Browser browser = Browser.signIn(base(), DemoUser.OPERATOR, "/customers")) {
            HtmlPage signedOut = click(browser.page("/customers").getHtmlElementById("sign-out"));
            assertEquals("/signed-out", signedOut.getUrl().getPath(), signedOut.asXml());
            assertTrue(browser.exchanges().stream().anyMatch(e -> e.url().getPath().endsWith("/logout")
                    && e.url().getPath().contains("/realms/licensing/")), "the IdP's end-session endpoint was "
                    + "not called: " + browser.exchanges());
            // Same browser, same Keycloak cookies: without an IdP session it must ask for the password again.
            HtmlPage again = browser.page("/customers");
            assertTrue(again.getUrl().getPath().contains("/realms/licensing/"), again.getUrl().toString());
            assertTrue(again.getElementById("kc-form-login") != null, "Keycloak's login form expected");
        }
    }

    @Test
    void aLinkToLogoutSignsNobodyOutAndAPostNeedsTheCsrfToken() {
        try (Browser browser = Browser.signIn(base(), DemoUser.VIEWER, "/customers")) {
            // A cross-site link or image is a plain GET: it gets the question, and the session stays.
            HtmlPage asked = browser.page("/logout");
            assertEquals(200, asked.getWebResponse().getStatusCode(), asked.asXml());
            assertNotNull(asked.getElementById("sign-out-confirm"), "the sign-out button, not a sign-out");
            assertTrue(browser.exchanges().stream()
                    .noneMatch(e -> e.url().getPath().contains("/protocol/openid-connect/logout")),
                    "the IdP's end-session endpoint must not be called: " + browser.exchanges());
            assertEquals("viewer", browser.page("/customers").getHtmlElementById("user-name").asNormalizedText(),
                    "still signed in after GET /logout");

            // A forged POST without the CSRF token (or with a wrong one) is refused before any code runs.
            assertEquals(400, browser.post("/logout", java.util.Map.of()).getStatusCode());
            assertEquals(400, browser.post("/logout", java.util.Map.of("csrf-token", "forged")).getStatusCode());
            assertEquals("viewer", browser.page("/customers").getHtmlElementById("user-name").asNormalizedText(),
                    "still signed in after forged POSTs");

            // The question's own button signs out.
            HtmlPage signedOut = click(browser.page("/logout").getHtmlElementById("sign-out-confirm")
                    .getFirstByXPath(".//*[@type='submit']"));
            assertEquals("/signed-out", signedOut.getUrl().getPath(), signedOut.asXml());
        }
    }

    private static HtmlPage click(org.htmlunit.html.DomElement button) {
        try {
            return ((org.htmlunit.html.HtmlElement) button).click();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
