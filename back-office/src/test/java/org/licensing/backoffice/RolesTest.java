package org.licensing.backoffice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.htmlunit.WebResponse;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import org.licensing.testsupport.idp.KeycloakServer.DemoUser;

/** Actions are hidden from roles that lack them AND refused when posted anyway; forms without CSRF are refused. */
@QuarkusTest
@WithTestResource(BackOfficeResource.class)
class RolesTest {

    @TestHTTPResource("/")
    URL root;

    URI base() {
        return URI.create("http://127.0.0.1:" + root.getPort());
    }

    @Test
    void viewerSeesNoActionButOperatorDoes() {
        String id = BackOfficeHarness.shared().licenseId;
        try (Browser viewer = Browser.signIn(base(), DemoUser.VIEWER, "/licenses/" + id)) {
            HtmlPage page = viewer.page("/licenses/" + id);
            assertEquals("ACTIVE", page.getHtmlElementById("license-status").asNormalizedText());
            assertNull(page.getElementById("license-actions"), "a viewer must see no action");
            assertTrue(page.getByXPath("//a[@href='/licenses/new']").isEmpty(), "no issue link for a viewer");
            // the one POST form a viewer has is its own sign-out (POST + CSRF so a link cannot sign anyone out)
            assertEquals(List.of("/logout"), page.<org.htmlunit.html.HtmlForm>getByXPath("//form[@method='post']")
                    .stream().map(f -> f.getActionAttribute()).toList(), "no form that changes anything");
        }
        try (Browser operator = Browser.signIn(base(), DemoUser.OPERATOR, "/licenses/" + id)) {
            HtmlPage page = operator.page("/licenses/" + id);
            assertNotNull(page.getElementById("license-actions"));
            assertFalse(page.getByXPath("//a[@data-action='suspend']").isEmpty());
            assertFalse(page.getByXPath("//a[@href='/licenses/new']").isEmpty());
        }
    }

    @Test
    void viewersForgedPostIsRefusedWith403AndChangesNothing() {
        String id = BackOfficeHarness.shared().newLicense();
        try (Browser viewer = Browser.signIn(base(), DemoUser.VIEWER, "/licenses/" + id)) {
            long version = BackOfficeHarness.shared().license(id).path("version").asLong();
            WebResponse refused = viewer.post("/licenses/" + id + "/actions/suspend", Map.of(
                    "csrf-token", viewer.csrfToken(), "version", Long.toString(version),
                    "idempotencyKey", "forged-0001", "reason", "forged"));
            assertEquals(403, refused.getStatusCode(), refused.getContentAsString());
            assertTrue(refused.getContentAsString().contains("Not allowed"), refused.getContentAsString());
            assertEquals(403, viewer.get("/licenses/" + id + "/actions/suspend").getStatusCode(),
                    "the confirmation page is refused too");
        }
        assertEquals("ACTIVE", BackOfficeHarness.shared().license(id).path("status").asText());
    }

    @Test
    void viewersGetNoCheckoutAndNoFile() {
        String id = BackOfficeHarness.shared().newLicense();
        try (Browser viewer = Browser.signIn(base(), DemoUser.VIEWER, "/licenses/" + id)) {
            HtmlPage page = viewer.page("/licenses/" + id);
            assertNotNull(page.getElementById("checkouts"), "viewers see the checkouts");
            assertNull(page.getElementById("new-checkout"), "but no way to make one");
            assertNull(page.getElementById("license-file"));
            assertEquals(403, viewer.get("/licenses/" + id + "/checkouts/new").getStatusCode());
            assertEquals(403, viewer.get("/licenses/" + id + "/file").getStatusCode());
            WebResponse forged = viewer.post("/licenses/" + id + "/checkouts", Map.of(
                    "csrf-token", viewer.csrfToken(), "durationDays", "30", "idempotencyKey", "forged-0002",
                    "request", LicensePagesTest.checkoutRequest(id, "host-forged")));
            assertEquals(403, forged.getStatusCode(), forged.getContentAsString());
            WebResponse forgedReturn = viewer.post("/licenses/" + id + "/checkouts/return", Map.of(
                    "csrf-token", viewer.csrfToken(), "fingerprint", "host-forged"));
            assertEquals(403, forgedReturn.getStatusCode(), forgedReturn.getContentAsString());
        }
        try (Browser operator = Browser.signIn(base(), DemoUser.OPERATOR, "/licenses/" + id)) {
            WebResponse noCsrf = operator.post("/licenses/" + id + "/checkouts", Map.of("durationDays", "30",
                    "idempotencyKey", "no-csrf-0003", "request", LicensePagesTest.checkoutRequest(id, "host-x")));
            assertEquals(400, noCsrf.getStatusCode(), noCsrf.getContentAsString());
        }
        assertEquals(0, BackOfficeHarness.shared().license(id).path("activations").asInt());
    }

    @Test
    void aFormWithoutTheCsrfTokenIsRefused() {
        String id = BackOfficeHarness.shared().newLicense();
        try (Browser operator = Browser.signIn(base(), DemoUser.OPERATOR, "/licenses/" + id)) {
            long version = BackOfficeHarness.shared().license(id).path("version").asLong();
            WebResponse refused = operator.post("/licenses/" + id + "/actions/suspend", Map.of(
                    "version", Long.toString(version), "idempotencyKey", "no-csrf-0001", "reason", "no token"));
            assertEquals(400, refused.getStatusCode(), refused.getContentAsString());
            WebResponse wrong = operator.post("/licenses/" + id + "/actions/suspend", Map.of(
                    "csrf-token", "not-the-cookie", "version", Long.toString(version),
                    "idempotencyKey", "no-csrf-0002", "reason", "wrong token"));
            assertEquals(400, wrong.getStatusCode(), wrong.getContentAsString());
        }
        assertEquals("ACTIVE", BackOfficeHarness.shared().license(id).path("status").asText());
    }
    @Test
    void aViewersIssuePostIsRefusedAndIssuesNothing() {
        BackOfficeHarness harness = BackOfficeHarness.shared();
        String customer = harness.newCustomer("Forged Issue Ltd");
        try (Browser viewer = Browser.signIn(base(), DemoUser.VIEWER, "/licenses")) {
            assertEquals(403, viewer.get("/licenses/new").getStatusCode(), "no issue form for a viewer");
            WebResponse refused = viewer.post("/licenses", Map.of("csrf-token", viewer.csrfToken(),
                    "customerId", customer, "policyId", harness.policyId, "idempotencyKey", "forged-issue-0001"));
            assertEquals(403, refused.getStatusCode(), refused.getContentAsString());
            assertTrue(refused.getContentAsString().contains("licenses:write"), refused.getContentAsString());
        }
        assertEquals(0, harness.licensesOf(customer).size(), "nothing issued");
    }

    @Test
    void anOperatorsCatalogAndCustomerPostsAreRefusedAndChangeNothing() {
        BackOfficeHarness harness = BackOfficeHarness.shared();
        String token = harness.keycloak.seedToken();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        int contacts = harness.get(token, "/v1/customers/" + harness.customerId + "/contacts").size();
        try (Browser operator = Browser.signIn(base(), DemoUser.OPERATOR, "/catalog")) {
            HtmlPage catalog = operator.page("/catalog");
            assertNull(catalog.getElementById("product-form"), "no catalog form for an operator");
            assertNull(catalog.getElementById("policy-form"));
            assertNull(operator.page("/customers/" + harness.customerId).getElementById("contact-form"));
            String csrf = operator.csrfToken();
            Map<String, Map<String, String>> forged = Map.of(
                    "/customers", Map.of("name", "Forged " + suffix),
                    "/customers/" + harness.customerId + "/contacts", Map.of("name", "Forged", "email",
                            "forged-" + suffix + "@example.com", "role", "FINANCE"),
                    "/catalog/products", Map.of("code", "forged-" + suffix, "name", "Forged"),
                    "/catalog/policies", Map.of("productCode", "gpu-cluster", "name", "Forged " + suffix,
                            "durationDays", "30"));
            forged.forEach((path, fields) -> {
                Map<String, String> form = new java.util.HashMap<>(fields);
                form.put("csrf-token", csrf);
                form.put("idempotencyKey", "forged-" + suffix + "-" + Math.abs(path.hashCode()));
                WebResponse refused = operator.post(path, form);
                assertEquals(403, refused.getStatusCode(), path + ": " + refused.getContentAsString());
                assertTrue(refused.getContentAsString().contains("catalog:admin"), refused.getContentAsString());
            });
        }
        assertEquals(404, harness.raw("/v1/products/forged-" + suffix, Map.of()).statusCode(), "no product");
        assertFalse(harness.get(token, "/v1/policies").toString().contains("Forged " + suffix), "no policy");
        assertEquals(contacts, harness.get(token, "/v1/customers/" + harness.customerId + "/contacts").size());
        for (int p = 0; ; p++) {
            JsonNode page = harness.get(token, "/v1/customers?size=200&page=" + p);
            assertFalse(page.toString().contains("Forged " + suffix), "no customer");
            if (page.size() < 200) {
                break;
            }
        }
    }

    @Test
    void theDigestIsRefusedToEveryRoleWithoutRemindersRun() {
        for (DemoUser user : List.of(DemoUser.VIEWER, DemoUser.OPERATOR)) {
            try (Browser browser = Browser.signIn(base(), user, "/finance")) {
                HtmlPage finance = browser.page("/finance");
                assertEquals(200, finance.getWebResponse().getStatusCode(), "the expiry view is everyone's");
                assertNull(finance.getElementById("digest-form"), user.username() + " sees no digest form");
                WebResponse refused = browser.post("/finance/digest", Map.of("csrf-token", browser.csrfToken(),
                        "idempotencyKey", "forged-digest-" + user.username()));
                assertEquals(403, refused.getStatusCode(), refused.getContentAsString());
                assertTrue(refused.getContentAsString().contains("reminders:run"), refused.getContentAsString());
                assertTrue(refused.getContentAsString().contains("Nothing was changed"));
            }
        }
    }
}
