package org.licensing.backoffice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import org.licensing.testsupport.idp.KeycloakServer.DemoUser;

/** User values render as text, never markup; every answer carries the strict CSP and the other headers. */
@QuarkusTest
@WithTestResource(BackOfficeResource.class)
class EscapingAndHeadersTest {

    static final String SCRIPT_NAME = "<script>alert(1)</script>";

    @TestHTTPResource("/")
    URL root;

    URI base() {
        return URI.create("http://127.0.0.1:" + root.getPort());
    }

    @Test
    void aCustomerNamedLikeAScriptRendersAsText() throws Exception {
        try (Browser admin = Browser.signIn(base(), DemoUser.ADMIN, "/customers")) {
            HtmlForm form = admin.page("/customers").getHtmlElementById("customer-form");
            form.getInputByName("name").setValue(SCRIPT_NAME);
            HtmlPage customer = form.<org.htmlunit.html.HtmlElement>getFirstByXPath(".//*[@type='submit']").click();
            assertEquals(200, customer.getWebResponse().getStatusCode(), customer.asXml());
            assertEquals(SCRIPT_NAME, customer.getHtmlElementById("customer-heading").asNormalizedText());
            String html = customer.getWebResponse().getContentAsString();
            assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), html);
            assertFalse(html.contains(SCRIPT_NAME), "the name must never reach the page as markup");

            String list = admin.get("/customers?q=alert").getContentAsString();
            assertTrue(list.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), list);
            assertFalse(list.contains(SCRIPT_NAME), list);
            // Scripts on the page: only the two files of the back office itself.
            assertEquals(2, admin.page("/customers").getByXPath("//script").size());
        }
    }

    @Test
    void everyAnswerCarriesTheStrictContentSecurityPolicy() throws Exception {
        String idp = URI.create(BackOfficeHarness.shared().keycloak.issuer()).resolve("/").toString();
        String expected = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + "frame-ancestors 'none'; form-action 'self' " + idp.substring(0, idp.length() - 1)
                + "; base-uri 'none'; object-src 'none'";
        HttpClient http = HttpClient.newHttpClient();
        for (String path : new String[] { "/signed-out", "/static/app.js", "/licenses" }) {
            HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(base().resolve(path)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(expected, answer.headers().firstValue("Content-Security-Policy").orElse(""), path);
            assertEquals("nosniff", answer.headers().firstValue("X-Content-Type-Options").orElse(""), path);
            assertEquals("DENY", answer.headers().firstValue("X-Frame-Options").orElse(""), path);
        }
        try (Browser viewer = Browser.signIn(base(), DemoUser.VIEWER, "/customers")) {
            HtmlPage page = viewer.page("/customers");
            assertEquals(expected, page.getWebResponse().getResponseHeaderValue("Content-Security-Policy"));
            assertEquals("no-store", page.getWebResponse().getResponseHeaderValue("Cache-Control"));
            assertEquals(200, viewer.get("/webjars/htmx.org/2.0.4/dist/htmx.min.js").getStatusCode(),
                    "htmx is served by the back office itself");
        }
    }
}
