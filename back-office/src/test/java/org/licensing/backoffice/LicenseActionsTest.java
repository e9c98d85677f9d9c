package org.licensing.backoffice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlTextArea;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import org.licensing.testsupport.idp.KeycloakServer.DemoUser;

/** Renew (by days and to a date), reinstate and regenerate-key through their confirmation pages, on the real issuer. */
@QuarkusTest
@WithTestResource(BackOfficeResource.class)
class LicenseActionsTest {

    @TestHTTPResource("/")
    URL root;

    URI base() {
        return URI.create("http://127.0.0.1:" + root.getPort());
    }

    @Test
    void renewAddsDaysOrMovesToADateWithItsReason() {
        BackOfficeHarness harness = BackOfficeHarness.shared();
        String id = harness.newLicense();
        JsonNode before = harness.license(id);
        Instant expiry = Instant.parse(before.path("expiresAt").asText());
        try (Browser operator = Browser.signIn(base(), DemoUser.OPERATOR, "/licenses/" + id)) {
            HtmlForm form = operator.page("/licenses/" + id + "/actions/renew").getHtmlElementById("confirm-form");
            form.getInputByName("extendDays").setValue("30");
            ((HtmlTextArea) form.getTextAreaByName("reason")).setText("PO 4711 paid");
            HtmlPage renewed = submit(form);
            assertEquals("/licenses/" + id, renewed.getUrl().getPath(), renewed.asXml());
            JsonNode byDays = harness.license(id);
            Instant plus30 = expiry.plus(30, ChronoUnit.DAYS);
            assertEquals(plus30, Instant.parse(byDays.path("expiresAt").asText()), byDays.toString());
            assertEquals(before.path("version").asLong() + 1, byDays.path("version").asLong());
            assertEquals(byDays.path("expiresAt").asText(), LicensePagesTest.factTime(renewed, "Expires"));
            assertEquals(LicensePagesTest.readable(byDays.path("expiresAt").asText()) + " (grace 14 days)",
                    LicensePagesTest.fact(renewed, "Expires"));
            assertTrue(events(renewed).contains(List.of("operator", "LICENSE_RENEWED", "PO 4711 paid")),
                    events(renewed).toString());

            LocalDate date = plus30.atZone(ZoneOffset.UTC).toLocalDate().plusDays(100);
            form = operator.page("/licenses/" + id + "/actions/renew").getHtmlElementById("confirm-form");
            form.getInputByName("extendDays").setValue("");
            form.getInputByName("expiresAt").setValue(date.toString());
            ((HtmlTextArea) form.getTextAreaByName("reason")).setText("moved to the contract's end");
            renewed = submit(form);
            assertEquals("/licenses/" + id, renewed.getUrl().getPath(), renewed.asXml());
            assertEquals(date.atStartOfDay().toInstant(ZoneOffset.UTC),
                    Instant.parse(harness.license(id).path("expiresAt").asText()), "midnight UTC of the date");

            // Both, or neither: the page says to give exactly one, and nothing changes.
            long version = harness.license(id).path("version").asLong();
            form = operator.page("/licenses/" + id + "/actions/renew").getHtmlElementById("confirm-form");
            form.getInputByName("expiresAt").setValue(date.plusDays(1).toString());
            ((HtmlTextArea) form.getTextAreaByName("reason")).setText("both");
            HtmlPage refused = submit(form);
            assertEquals(400, refused.getWebResponse().getStatusCode(), refused.asXml());
            assertTrue(refused.getHtmlElementById("problem-detail").asNormalizedText().contains("exactly one"));
            assertEquals(version, harness.license(id).path("version").asLong());
        }
    }

    @Test
    void reinstateMakesASuspendedLicenseActiveAgain() {
        BackOfficeHarness harness = BackOfficeHarness.shared();
        String id = harness.newLicense();
        harness.post(harness.keycloak.seedToken(), "/v1/licenses/" + id + "/suspend", Map.of("reason", "test"));
        long version = harness.license(id).path("version").asLong();
        try (Browser operator = Browser.signIn(base(), DemoUser.OPERATOR, "/licenses/" + id)) {
            HtmlPage detail = operator.page("/licenses/" + id);
            assertEquals(List.of("renew", "reinstate", "revoke", "regenerate-key"), actions(detail));
            HtmlForm form = operator.page("/licenses/" + id + "/actions/reinstate").getHtmlElementById("confirm-form");
            ((HtmlTextArea) form.getTextAreaByName("reason")).setText("invoice paid");
            HtmlPage after = submit(form);
            assertEquals("ACTIVE", after.getHtmlElementById("license-status").asNormalizedText(), after.asXml());
            assertEquals("Done: Reinstate.", after.getHtmlElementById("done").asNormalizedText());
            assertTrue(events(after).contains(List.of("operator", "LICENSE_REINSTATED", "invoice paid")),
                    events(after).toString());
            assertEquals(List.of("renew", "suspend", "revoke", "regenerate-key"), actions(after));
        }
        JsonNode after = harness.license(id);
        assertEquals("ACTIVE", after.path("status").asText());
        assertEquals(version + 1, after.path("version").asLong());
    }

    @Test
    void regenerateKeyShowsTheNewKeyOnceAndTheOldKeyStopsWorking() {
        BackOfficeHarness harness = BackOfficeHarness.shared();
        JsonNode issued = harness.issue(harness.customerId, Map.of());
        String id = issued.path("licenseId").asText();
        String oldKey = issued.path("licenseKey").asText();
        String machine = "host-" + "7".repeat(64);
        assertTrue(opens(harness.checkoutFile(id, machine), oldKey, machine), "the old key opens a checkout first");
        try (Browser operator = Browser.signIn(base(), DemoUser.OPERATOR, "/licenses/" + id)) {
            HtmlForm form = operator.page("/licenses/" + id + "/actions/regenerate-key")
                    .getHtmlElementById("confirm-form");
            ((HtmlTextArea) form.getTextAreaByName("reason")).setText("key leaked in a support ticket");
            HtmlPage keyPage = submit(form);
            assertEquals(200, keyPage.getWebResponse().getStatusCode(), keyPage.asXml());
            assertTrue(keyPage.getWebResponse().getResponseHeaderValue("Cache-Control").contains("no-store"));
            String newKey = keyPage.getHtmlElementById("license-key").asNormalizedText();
            assertTrue(newKey.startsWith("LK1-"), newKey);
            assertNotEquals(oldKey, newKey);
            assertEquals(id, keyPage.getHtmlElementById("issued-license").asNormalizedText());

            HtmlPage detail = operator.page("/licenses/" + id);
            String html = detail.getWebResponse().getContentAsString();
            assertFalse(html.contains(newKey) || html.contains(oldKey), "no key on the license page");
            assertTrue(events(detail).contains(
                    List.of("operator", "LICENSE_KEY_REGENERATED", "key leaked in a support ticket")),
                    events(detail).toString());

            // The issuer's files follow the key: a checkout made now opens with the new key only.
            String after = harness.checkoutFile(id, machine);
            assertFalse(opens(after, oldKey, machine), "the old key is dead");
            assertTrue(opens(after, newKey, machine), "the new key works");
        }
    }

    /** Whether the license key {@code key} opens the checkout {@code jwe} on {@code machine}. */
    private static boolean opens(String jwe, String key, String machine) {
        try {
            org.licensing.core.checkout.CheckoutFiles.decrypt(jwe, org.licensing.core.key.LicenseKey.parse(key),
                    machine);
            return true;
        } catch (org.licensing.core.document.LicenseFileException e) {
            return false;
        }
    }

    private static HtmlPage submit(HtmlForm form) {
        try {
            return form.<HtmlElement>getFirstByXPath(".//*[@type='submit']").click();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The license page's history as (actor, action, reason) rows. */
    static List<List<String>> events(HtmlPage page) {
        return page.<HtmlElement>getByXPath("//table[contains(@class,'audit-events')]/tbody/tr").stream()
                .map(row -> List.of(text(row, "actor"), text(row, "action"), text(row, "reason"))).toList();
    }

    private static String text(HtmlElement row, String cssClass) {
        HtmlElement cell = row.getFirstByXPath("td[@class='" + cssClass + "']");
        return cell == null ? "" : cell.asNormalizedText();
    }

    private static List<String> actions(HtmlPage page) {
        return page.<HtmlElement>getByXPath("//ul[@id='license-actions']//a").stream()
                .map(a -> a.getAttribute("data-action")).toList();
    }
}
