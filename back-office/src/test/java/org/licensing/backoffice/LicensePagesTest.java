package org.licensing.backoffice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;

import org.htmlunit.WebResponse;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlSelect;
import org.htmlunit.html.HtmlTextArea;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import org.licensing.testsupport.idp.KeycloakServer.DemoUser;

/** The license pages against the real issuer: issue (key once), confirm and suspend with a reason, history, files. */
@QuarkusTest
@WithTestResource(BackOfficeResource.class)
class LicensePagesTest {

    @TestHTTPResource("/")
    URL root;

    URI base() {
        return URI.create("http://127.0.0.1:" + root.getPort());
    }

    @Test
    void operatorIssuesALicenseSeesTheKeyOnceThenSuspendsItWithAReason() throws Exception {
        BackOfficeHarness harness = BackOfficeHarness.shared();
        try (Browser operator = Browser.signIn(base(), DemoUser.OPERATOR, "/licenses/new")) {
            HtmlPage issue = operator.page("/licenses/new?customerId=" + harness.customerId);
            HtmlForm form = issue.getHtmlElementById("issue-form");
            ((HtmlSelect) form.getSelectByName("policyId")).setSelectedAttribute(harness.policyId, true);
            form.getInputByName("durationDays").setValue("30");
            ((HtmlTextArea) form.getTextAreaByName("limits")).setText("cuda.device=16");
            HtmlPage keyPage = form.<org.htmlunit.html.HtmlElement>getFirstByXPath(".//*[@type='submit']").click();
            assertEquals(201, keyPage.getWebResponse().getStatusCode(), keyPage.asXml());
            String key = keyPage.getHtmlElementById("license-key").asNormalizedText();
            assertTrue(key.startsWith("LK1-"), key);
            assertTrue(keyPage.getWebResponse().getResponseHeaderValue("Cache-Control").contains("no-store"));
            String id = keyPage.getHtmlElementById("issued-license").asNormalizedText();

            HtmlPage detail = operator.page("/licenses/" + id);
            assertFalse(detail.getWebResponse().getContentAsString().contains(key), "the key is shown once only");
            assertEquals("ACTIVE", detail.getHtmlElementById("license-status").asNormalizedText());
            assertTrue(detail.getHtmlElementById("limits").asNormalizedText().contains("cuda.device"));

            HtmlPage confirm = operator.page("/licenses/" + id + "/actions/suspend");
            HtmlForm suspend = confirm.getHtmlElementById("confirm-form");
            ((HtmlTextArea) suspend.getTextAreaByName("reason")).setText("payment overdue");
            HtmlPage after = suspend.<org.htmlunit.html.HtmlElement>getFirstByXPath(".//*[@type='submit']").click();
            assertEquals("/licenses/" + id, after.getUrl().getPath(), after.asXml());
            assertEquals("SUSPENDED", after.getHtmlElementById("license-status").asNormalizedText());
            String history = after.getHtmlElementById("hist-h").getParentNode().asNormalizedText();
            assertTrue(history.contains("LICENSE_SUSPENDED") && history.contains("payment overdue"), history);
            assertEquals("SUSPENDED", harness.license(id).path("status").asText(), "the issuer holds the change");
        }
    }

    @Test
    void aStaleConfirmationPageBecomesAReadableConflict() throws Exception {
        BackOfficeHarness harness = BackOfficeHarness.shared();
        String id = harness.newLicense();
        try (Browser operator = Browser.signIn(base(), DemoUser.OPERATOR, "/licenses/" + id)) {
            HtmlPage confirm = operator.page("/licenses/" + id + "/actions/revoke");
            // Someone else changes the license meanwhile.
            harness.post(harness.keycloak.seedToken(), "/v1/licenses/" + id + "/suspend", java.util.Map.of());
            HtmlForm revoke = confirm.getHtmlElementById("confirm-form");
            ((HtmlTextArea) revoke.getTextAreaByName("reason")).setText("contract ended");
            HtmlPage answer = revoke.<org.htmlunit.html.HtmlElement>getFirstByXPath(".//*[@type='submit']").click();
            assertEquals(409, answer.getWebResponse().getStatusCode(), answer.asXml());
            String text = answer.asNormalizedText();
            assertTrue(text.contains("Someone changed this license meanwhile"), text);
            assertFalse(text.contains("Exception"), text);
        }
        assertEquals("SUSPENDED", harness.license(id).path("status").asText());
    }

    static String checkoutRequest(String licenseId, String fingerprint) {
        return "{\"typ\":\"licensing.checkout-request.v1\",\"license_id\":\"" + licenseId
                + "\",\"product\":\"gpu-cluster\",\"fingerprint\":\"" + fingerprint
                + "\",\"created_at\":\"2026-12-07T10:00:00Z\",\"label\":\"rack 1\"}";
    }

    @Test
    void operatorChecksOutFromAPastedOrUploadedRequestAndReturnsIt() throws Exception {
        BackOfficeHarness harness = BackOfficeHarness.shared();
        String id = harness.newLicense();
        String fpA = "host-" + java.util.UUID.randomUUID().toString().replace("-", "");
        String fpB = "k8s-" + java.util.UUID.randomUUID().toString().replace("-", "");
        try (Browser operator = Browser.signIn(base(), DemoUser.OPERATOR, "/licenses/" + id)) {
            HtmlPage detail = operator.page("/licenses/" + id);
            assertTrue(detail.getHtmlElementById("checkouts").asNormalizedText().contains("No checkouts"));
            HtmlPage form = operator.page(detail.getHtmlElementById("new-checkout").getAttribute("href"));
            HtmlForm checkout = form.getHtmlElementById("checkout-form");
            ((HtmlTextArea) checkout.getTextAreaByName("request")).setText(checkoutRequest(id, fpA));
            checkout.getInputByName("durationDays").setValue("20");
            ((HtmlTextArea) checkout.getTextAreaByName("reason")).setText("site A");
            HtmlPage issued = checkout.<org.htmlunit.html.HtmlElement>getFirstByXPath(".//*[@type='submit']").click();
            assertEquals(201, issued.getWebResponse().getStatusCode(), issued.asXml());
            assertTrue(issued.getWebResponse().getResponseHeaderValue("Cache-Control").contains("no-store"));
            assertEquals(fpA, issued.getHtmlElementById("checkout-fingerprint").asNormalizedText());
            String jwe = ((HtmlTextArea) issued.getHtmlElementById("checkout-file")).getText().strip();
            String[] parts = jwe.split("\\.", -1);
            assertEquals(5, parts.length, "a compact JWE");
            String header = new String(java.util.Base64.getUrlDecoder().decode(parts[0]),
                    java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(header.contains("\"fp\":\"" + fpA + "\"") && header.contains(id), header);
            String download = issued.getHtmlElementById("checkout-download").getAttribute("href");
            assertTrue(download.startsWith("data:application/jose;base64,"), download);

            // Upload instead of paste.
            java.nio.file.Path requestFile = java.nio.file.Files.createTempFile("checkout-request", ".json");
            java.nio.file.Files.writeString(requestFile, checkoutRequest(id, fpB));
            HtmlForm upload = operator.page("/licenses/" + id + "/checkouts/new").getHtmlElementById("checkout-form");
            ((org.htmlunit.html.HtmlFileInput) upload.getInputByName("requestFile")).setFiles(requestFile.toFile());
            HtmlPage second = upload.<org.htmlunit.html.HtmlElement>getFirstByXPath(".//*[@type='submit']").click();
            assertEquals(201, second.getWebResponse().getStatusCode(), second.asXml());
            assertEquals("2", second.getHtmlElementById("checkout-sequence").asNormalizedText());

            // A request for another license is the issuer's readable refusal; nothing is taken.
            HtmlForm wrong = operator.page("/licenses/" + id + "/checkouts/new").getHtmlElementById("checkout-form");
            ((HtmlTextArea) wrong.getTextAreaByName("request")).setText(checkoutRequest(harness.licenseId, fpA));
            HtmlPage refused = wrong.<org.htmlunit.html.HtmlElement>getFirstByXPath(".//*[@type='submit']").click();
            assertEquals(422, refused.getWebResponse().getStatusCode(), refused.asXml());
            assertFalse(refused.asNormalizedText().contains("Exception"));

            String table = operator.page("/licenses/" + id).getHtmlElementById("checkouts").asNormalizedText();
            assertTrue(table.contains(fpA) && table.contains(fpB) && table.contains("ACTIVE"), table);
            assertEquals(2, harness.license(id).path("activations").asInt(), "each checkout holds a seat");

            HtmlPage confirm = operator.page("/licenses/" + id + "/checkouts/return?fingerprint=" + fpA);
            HtmlForm ret = confirm.getHtmlElementById("return-form");
            ((HtmlTextArea) ret.getTextAreaByName("reason")).setText("host retired");
            HtmlPage after = ret.<org.htmlunit.html.HtmlElement>getFirstByXPath(".//*[@type='submit']").click();
            assertEquals("/licenses/" + id, after.getUrl().getPath(), after.asXml());
            String rows = after.getHtmlElementById("checkouts").asNormalizedText();
            assertTrue(rows.contains("RETURNED"), rows);
            String history = after.getHtmlElementById("hist-h").getParentNode().asNormalizedText();
            assertTrue(history.contains("LICENSE_CHECKED_OUT") && history.contains("LICENSE_CHECKOUT_RETURNED")
                    && history.contains("host retired"), history);
        }
        assertEquals(1, harness.license(id).path("activations").asInt());
    }

    @Test
    void theUnboundFileIsTheIssuersDecision() {
        BackOfficeHarness harness = BackOfficeHarness.shared();
        try (Browser operator = Browser.signIn(base(), DemoUser.OPERATOR, "/licenses/" + harness.licenseId)) {
            // The harness policy does not allow files bound to no machine: a readable refusal, not a file.
            WebResponse file = operator.get("/licenses/" + harness.licenseId + "/file");
            assertEquals(409, file.getStatusCode(), file.getContentAsString());
            assertFalse(file.getContentAsString().contains("Exception"));
        }
    }

    @Test
    void searchFindsTheCustomersLicensesAndExportsCsv() {
        BackOfficeHarness harness = BackOfficeHarness.shared();
        try (Browser finance = Browser.signIn(base(), DemoUser.FINANCE, "/licenses")) {
            HtmlPage results = finance.page("/licenses?customerId=" + harness.customerId + "&status=ACTIVE");
            String table = results.getHtmlElementById("license-results").asNormalizedText();
            assertTrue(table.contains(harness.licenseId), table);
            assertTrue(table.contains("Acme GPU Cloud"), table);

            WebResponse csv = finance.get("/licenses.csv?customerId=" + harness.customerId);
            assertEquals(200, csv.getStatusCode(), csv.getContentAsString());
            assertTrue(csv.getContentType().startsWith("text/csv"), csv.getContentType());
            String body = csv.getContentAsString();
            assertTrue(body.startsWith("licenseId,customerId,customerName"), body);
            assertTrue(body.contains(harness.licenseId), body);
        }
    }

    @Test
    void aBadFilterIsShownOnTheSearchPage() {
        try (Browser viewer = Browser.signIn(base(), DemoUser.VIEWER, "/licenses")) {
            HtmlPage page = viewer.page("/licenses?expiresAfter=tomorrow");
            assertEquals(200, page.getWebResponse().getStatusCode());
            assertTrue(page.getHtmlElementById("search-errors").asNormalizedText().contains("expiresAfter"));
        }
    }

    @Test
    void dashboardShowsCountsAndTheDeadLetterDepth() {
        try (Browser finance = Browser.signIn(base(), DemoUser.FINANCE, "/")) {
            HtmlPage dashboard = finance.page("/");
            assertEquals(200, dashboard.getWebResponse().getStatusCode(), dashboard.asXml());
            assertTrue(Integer.parseInt(dashboard.<org.htmlunit.html.HtmlElement>getFirstByXPath(
                    "//td[@data-status='ACTIVE']").asNormalizedText()) >= 1);
            assertTrue(dashboard.getFirstByXPath("//td[@data-days='30']") != null);
            assertEquals("0", dashboard.getHtmlElementById("dlq-depth").asNormalizedText());
        }
    }

    @Test
    void theLicensePageAsksTheNotificationServiceForItsRemindersAndFinanceQueuesTheDigest() throws Exception {
        BackOfficeHarness harness = BackOfficeHarness.shared();
        try (Browser finance = Browser.signIn(base(), DemoUser.FINANCE, "/licenses/" + harness.licenseId)) {
            HtmlPage detail = finance.page("/licenses/" + harness.licenseId);
            assertTrue(detail.getElementById("reminders-note") == null,
                    "the notification service answered: " + detail.asNormalizedText());
            assertTrue(detail.getHtmlElementById("reminders").asNormalizedText()
                    .contains("No reminder sent for this expiry yet"));

            HtmlForm digest = finance.page("/finance").getHtmlElementById("digest-form");
            HtmlPage queued = digest.<org.htmlunit.html.HtmlElement>getFirstByXPath(".//*[@type='submit']").click();
            assertEquals(200, queued.getWebResponse().getStatusCode(), queued.asXml());
            assertTrue(queued.getHtmlElementById("digest-queued").asNormalizedText().contains("is queued"));
        }
    }
}
