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

    @Test
    void licenseFileDownloadsAsSignedJws() {
        BackOfficeHarness harness = BackOfficeHarness.shared();
        try (Browser viewer = Browser.signIn(base(), DemoUser.VIEWER, "/licenses/" + harness.licenseId)) {
            WebResponse file = viewer.get("/licenses/" + harness.licenseId + "/file");
            assertEquals(200, file.getStatusCode(), file.getContentAsString());
            assertTrue(file.getContentType().startsWith("application/jwt"), file.getContentType());
            assertTrue(file.getResponseHeaderValue("Content-Disposition").contains("attachment"));
            assertEquals(3, file.getContentAsString().trim().split("\\.").length, "a compact JWS");
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
