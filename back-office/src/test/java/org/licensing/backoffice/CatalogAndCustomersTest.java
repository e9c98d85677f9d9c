package org.licensing.backoffice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.htmlunit.WebResponse;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlSelect;
import org.htmlunit.html.HtmlTextArea;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import org.licensing.testsupport.idp.KeycloakServer.DemoUser;

/** An admin's catalog and customer forms, the audit log's filters, and an API's violations on the problem page. */
@QuarkusTest
@WithTestResource(BackOfficeResource.class)
class CatalogAndCustomersTest {

    @TestHTTPResource("/")
    URL root;

    URI base() {
        return URI.create("http://127.0.0.1:" + root.getPort());
    }

    @Test
    void adminCreatesAProductAndAPolicyAndTheAuditLogFiltersThem() {
        BackOfficeHarness harness = BackOfficeHarness.shared();
        String token = harness.keycloak.seedToken();
        String code = "render-" + UUID.randomUUID().toString().substring(0, 8);
        String policyName = "Render nodes " + code;
        try (Browser admin = Browser.signIn(base(), DemoUser.ADMIN, "/catalog")) {
            HtmlForm product = admin.page("/catalog").getHtmlElementById("product-form");
            product.getInputByName("code").setValue(code);
            product.getInputByName("name").setValue("Render Farm");
            HtmlPage catalog = submit(product);
            assertEquals("/catalog", catalog.getUrl().getPath(), catalog.asXml());
            assertEquals("Render Farm", harness.get(token, "/v1/products/" + code).path("name").asText());
            assertTrue(catalog.getHtmlElementById("products").asNormalizedText().contains(code));

            HtmlForm policy = catalog.getHtmlElementById("policy-form");
            ((HtmlSelect) policy.getSelectByName("productCode")).setSelectedAttribute(code, true);
            policy.getInputByName("name").setValue(policyName);
            policy.getInputByName("durationDays").setValue("90");
            policy.getInputByName("graceDays").setValue("7");
            policy.getInputByName("maxActivations").setValue("4");
            ((HtmlTextArea) policy.getTextAreaByName("limits")).setText("nodes=12\ncuda.shares=2.5");
            ((HtmlTextArea) policy.getTextAreaByName("features")).setText("sso=true\nmig=false");
            catalog = submit(policy);
            assertEquals("/catalog", catalog.getUrl().getPath(), catalog.asXml());
            JsonNode created = null;
            for (JsonNode p : harness.get(token, "/v1/policies")) {
                if (p.path("name").asText().equals(policyName)) {
                    created = p;
                }
            }
            assertTrue(created != null, "the issuer holds the policy");
            assertEquals(code, created.path("productCode").asText());
            assertEquals(90, created.path("durationDays").asInt());
            assertEquals(7, created.path("graceDays").asInt());
            assertEquals(4, created.path("maxActivations").asInt());
            assertEquals("12", created.path("entitlements").path("limits").path("nodes").decimalValue()
                    .toPlainString());
            assertEquals("2.5", created.path("entitlements").path("limits").path("cuda.shares").decimalValue()
                    .toPlainString());
            assertEquals(true, created.path("entitlements").path("features").path("sso").asBoolean());
            assertEquals(false, created.path("entitlements").path("features").path("mig").asBoolean(true));
            assertTrue(catalog.getHtmlElementById("policies").asNormalizedText().contains(policyName));

            // The audit log: by actor and action, by target type, by target id; the filters show nothing else.
            List<List<String>> rows = auditRows(admin.page("/audit?actor=admin&action=PRODUCT_CREATED"));
            assertTrue(rows.stream().anyMatch(r -> r.get(3).contains(code)), rows.toString());
            assertTrue(rows.stream().allMatch(r -> r.get(1).contains("admin") && r.get(2).equals("PRODUCT_CREATED")),
                    rows.toString());
            rows = auditRows(admin.page("/audit?target=POLICY"));
            assertFalse(rows.isEmpty());
            assertTrue(rows.stream().allMatch(r -> r.get(2).equals("POLICY_CREATED")
                    && r.get(3).startsWith("POLICY")), rows.toString());
            rows = auditRows(admin.page("/audit?target=" + code));
            assertEquals(List.of("PRODUCT_CREATED"), rows.stream().map(r -> r.get(2)).toList(), rows.toString());
            assertTrue(auditRows(admin.page("/audit?actor=viewer&target=" + code)).isEmpty(),
                    "the viewer did not create it");
            HtmlPage filtered = admin.page("/audit?actor=admin&action=PRODUCT_CREATED&target=" + code);
            HtmlForm form = filtered.getHtmlElementById("audit-form");
            assertEquals("admin", form.getInputByName("actor").getValue(), "the filters stay in the form");
            assertEquals(code, form.getInputByName("target").getValue());
        }
    }

    @Test
    void adminCreatesACustomerAndAddsAContact() {
        BackOfficeHarness harness = BackOfficeHarness.shared();
        String token = harness.keycloak.seedToken();
        String external = "crm-" + UUID.randomUUID().toString().substring(0, 8);
        try (Browser admin = Browser.signIn(base(), DemoUser.ADMIN, "/customers")) {
            HtmlForm create = admin.page("/customers").getHtmlElementById("customer-form");
            create.getInputByName("name").setValue("Vector Compute AG");
            create.getInputByName("externalId").setValue(external);
            HtmlPage detail = submit(create);
            assertTrue(detail.getUrl().getPath().startsWith("/customers/"), detail.getUrl().toString());
            String id = detail.getUrl().getPath().substring("/customers/".length());
            JsonNode customer = harness.get(token, "/v1/customers/" + id);
            assertEquals("Vector Compute AG", customer.path("name").asText());
            assertEquals(external, customer.path("externalId").asText());
            assertEquals("Vector Compute AG", detail.getHtmlElementById("customer-heading").asNormalizedText());

            HtmlForm contact = detail.getHtmlElementById("contact-form");
            contact.getInputByName("name").setValue("Accounts Payable");
            contact.getInputByName("email").setValue("ap@vector.example");
            ((HtmlSelect) contact.getSelectByName("role")).setSelectedAttribute("FINANCE", true);
            HtmlPage after = submit(contact);
            assertEquals("/customers/" + id, after.getUrl().getPath(), after.asXml());
            JsonNode contacts = harness.get(token, "/v1/customers/" + id + "/contacts");
            assertEquals(1, contacts.size(), contacts.toString());
            assertEquals("ap@vector.example", contacts.get(0).path("email").asText());
            assertEquals("FINANCE", contacts.get(0).path("role").asText());
            HtmlElement shown = after.getFirstByXPath("//table[@id='contacts']/tbody/tr[1]");
            assertEquals("Accounts Payable ap@vector.example FINANCE",
                    shown.asNormalizedText().replaceAll("\\s+", " "));

            List<List<String>> rows = auditRows(admin.page("/audit?target=" + id));
            assertEquals(List.of("CONTACT_ADDED", "CUSTOMER_CREATED"),
                    rows.stream().map(r -> r.get(2)).sorted().toList(), rows.toString());
        }
    }

    @Test
    void anApisViolationsAreShownOnTheProblemPageAndNothingIsCreated() {
        BackOfficeHarness harness = BackOfficeHarness.shared();
        String name = "Zero days " + UUID.randomUUID().toString().substring(0, 8);
        try (Browser admin = Browser.signIn(base(), DemoUser.ADMIN, "/catalog")) {
            WebResponse refused = admin.post("/catalog/policies", Map.of("csrf-token", admin.csrfToken(),
                    "productCode", "gpu-cluster", "name", name, "durationDays", "0", "graceDays", "400",
                    "idempotencyKey", UUID.randomUUID().toString()));
            assertEquals(400, refused.getStatusCode(), refused.getContentAsString());
            HtmlPage page = admin.page("/catalog");
            String html = refused.getContentAsString();
            assertTrue(html.contains("id=\"problem-violations\""), html);
            String violations = html.substring(html.indexOf("id=\"problem-violations\""));
            violations = violations.substring(0, violations.indexOf("</p>"));
            assertTrue(violations.contains("durationDays") && violations.contains("graceDays"), violations);
            assertTrue(html.contains("id=\"problem-advice\""), html);
            assertFalse(html.contains("Exception") || html.contains("org.licensing"), html);
            assertFalse(page.getHtmlElementById("policies").asNormalizedText().contains(name), "nothing created");
        }
        assertFalse(harness.get(harness.keycloak.seedToken(), "/v1/policies").toString().contains(name));
    }

    /** The audit table as (when, actor, action, target, reason, outcome) rows; none when it says "No events". */
    static List<List<String>> auditRows(HtmlPage page) {
        assertEquals(200, page.getWebResponse().getStatusCode(), page.asXml());
        return page.<HtmlElement>getByXPath("//table[contains(@class,'audit-events')]/tbody/tr").stream()
                .map(row -> row.getElementsByTagName("td").stream().map(HtmlElement::asNormalizedText).toList())
                .filter(cells -> cells.size() == 6).toList();
    }

    private static HtmlPage submit(HtmlForm form) {
        try {
            return form.<HtmlElement>getFirstByXPath(".//*[@type='submit']").click();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
