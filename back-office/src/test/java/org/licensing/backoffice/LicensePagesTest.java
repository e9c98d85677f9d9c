package org.licensing.backoffice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URL;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.htmlunit.WebRequest;
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

            // The overrides reached the issuer: 16 devices (the policy says 8) and 30 days (the policy says 365).
            JsonNode issued = harness.license(id);
            assertEquals(0, new BigDecimal(16).compareTo(
                    issued.path("entitlements").path("limits").path("cuda.device").decimalValue()), issued.toString());
            assertTrue(issued.path("entitlements").path("features").path("sso").asBoolean(),
                    "the policy's other entries stay: " + issued);
            Instant notBefore = Instant.parse(issued.path("notBefore").asText());
            Instant expiresAt = Instant.parse(issued.path("expiresAt").asText());
            assertEquals(notBefore.plus(30, ChronoUnit.DAYS), expiresAt, issued.toString());
            assertEquals(issued.path("expiresAt").asText(), factTime(keyPage, "Expires"), "the exact instant");
            assertEquals(readable(issued.path("expiresAt").asText()), fact(keyPage, "Expires"));

            HtmlPage detail = operator.page("/licenses/" + id);
            assertFalse(detail.getWebResponse().getContentAsString().contains(key), "the key is shown once only");
            assertEquals("ACTIVE", detail.getHtmlElementById("license-status").asNormalizedText());
            assertEquals(Map.of("cuda.device", "16"), rows(detail, "limits"), "the page shows the override");
            assertEquals(Map.of("sso", "true"), rows(detail, "features"));
            assertEquals(issued.path("notBefore").asText(), factTime(detail, "Valid from"));
            assertEquals(readable(issued.path("notBefore").asText()), fact(detail, "Valid from"));
            assertEquals(issued.path("expiresAt").asText(), factTime(detail, "Expires"));
            assertEquals(readable(issued.path("expiresAt").asText()) + " (grace 14 days)",
                    fact(detail, "Expires"));
            // a license no machine has activated says so, rather than leaving the section out
            assertEquals("None", detail.getHtmlElementById("activations").<org.htmlunit.html.HtmlElement>getFirstByXPath(
                    ".//tbody").asNormalizedText());

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
            harness.post(harness.keycloak.seedToken(), "/v1/licenses/" + id + "/suspend", Map.of());
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
        }
    }

    @Test
    void theStatusFilterShowsNothingExcludedAndTheCsvHasExactlyTheMatchingRows() throws Exception {
        BackOfficeHarness harness = BackOfficeHarness.shared();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // A name the CSV must quote (comma and quotes) and one the spreadsheet must not run (leading =).
        String customer = harness.newCustomer("=Filter, \"Quoted\" & Co");
        String active = harness.issue(customer, Map.of("expiresAt", now.plus(40, ChronoUnit.DAYS).toString(),
                "entitlements", Map.of("limits", Map.of("cuda.device", 16)))).path("licenseId").asText();
        String suspended = harness.issue(customer, Map.of("expiresAt", now.plus(20, ChronoUnit.DAYS).toString()))
                .path("licenseId").asText();
        String revoked = harness.issue(customer, Map.of("expiresAt", now.plus(30, ChronoUnit.DAYS).toString()))
                .path("licenseId").asText();
        String token = harness.keycloak.seedToken();
        harness.post(token, "/v1/licenses/" + suspended + "/suspend", Map.of());
        harness.post(token, "/v1/licenses/" + revoked + "/revoke", Map.of());
        try (Browser finance = Browser.signIn(base(), DemoUser.FINANCE, "/licenses")) {
            String filter = "customerId=" + customer + "&status=ACTIVE&status=SUSPENDED";
            // Soonest expiry first: the suspended one (20 days), then the active one (40); never the revoked one.
            assertEquals(List.of(List.of(suspended, "SUSPENDED"), List.of(active, "ACTIVE")),
                    resultRows(finance.page("/licenses?" + filter)));
            assertEquals(List.of(List.of(revoked, "REVOKED")),
                    resultRows(finance.page("/licenses?customerId=" + customer + "&status=REVOKED")));
            // Across every license of the harness: a filter on ACTIVE shows no other status (first page).
            List<List<String>> onlyActive = resultRows(finance.page("/licenses?status=ACTIVE"));
            assertFalse(onlyActive.isEmpty());
            assertTrue(onlyActive.stream().allMatch(r -> r.get(1).equals("ACTIVE")), onlyActive.toString());

            WebResponse csv = finance.get("/licenses.csv?" + filter);
            assertEquals(200, csv.getStatusCode(), csv.getContentAsString());
            assertTrue(csv.getContentType().startsWith("text/csv"), csv.getContentType());
            List<List<String>> rows = Csv.parse(csv.getContentAsString());
            assertEquals(List.of("licenseId", "customerId", "customerName", "customerExternalId", "productCode",
                    "policyId", "status", "issuedAt", "notBefore", "expiresAt", "graceDays", "limits", "features"),
                    rows.get(0));
            Map<String, JsonNode> searched = new TreeMap<>();
            harness.licensesOf(customer).forEach(l -> searched.put(l.path("licenseId").asText(), l));
            List<List<String>> expected = new ArrayList<>();
            for (String id : List.of(suspended, active)) {
                JsonNode l = searched.get(id);
                expected.add(List.of(id, customer, "'=Filter, \"Quoted\" & Co",
                        l.path("customerExternalId").asText(), "gpu-cluster", harness.policyId,
                        l.path("status").asText(), l.path("issuedAt").asText(), l.path("notBefore").asText(),
                        l.path("expiresAt").asText(), "14",
                        id.equals(active) ? "cuda.device=16" : "cuda.device=8", "sso=true"));
            }
            assertEquals(expected, rows.subList(1, rows.size()), csv.getContentAsString());
            // Streamed through as the issuer wrote it.
            assertEquals(harness.raw("/v1/licenses.csv?" + filter, Map.of()).body(), csv.getContentAsString());
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
    void everyFigureOfTheDashboardAndTheFinancePageIsTheIssuersStats() {
        BackOfficeHarness harness = BackOfficeHarness.shared();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // Non-zero figures in every status and in more than one window, whatever ran before.
        String customer = harness.newCustomer("Dashboard Figures Ltd");
        String token = harness.keycloak.seedToken();
        harness.issue(customer, Map.of("expiresAt", now.plus(5, ChronoUnit.DAYS).toString()));
        harness.post(token, "/v1/licenses/" + harness.issue(customer, Map.of("expiresAt",
                now.plus(45, ChronoUnit.DAYS).toString())).path("licenseId").asText() + "/suspend", Map.of());
        harness.post(token, "/v1/licenses/" + harness.issue(customer, Map.of("expiresAt",
                now.plus(20, ChronoUnit.DAYS).toString())).path("licenseId").asText() + "/revoke", Map.of());
        try (Browser finance = Browser.signIn(base(), DemoUser.FINANCE, "/")) {
            HtmlPage dashboard = finance.page("/");
            assertEquals(200, dashboard.getWebResponse().getStatusCode(), dashboard.asXml());
            JsonNode stats = harness.get(token, "/v1/licenses/stats");
            assertEquals(figures(stats.path("byStatus")), cells(dashboard, "//td[@data-status]", "data-status"));
            assertEquals(figures(stats.path("expiringWithin")), cells(dashboard, "//td[@data-days]", "data-days"));
            Map<String, String> byProduct = new TreeMap<>();
            for (HtmlElement row : dashboard.<HtmlElement>getByXPath(
                    "//section[@aria-labelledby='by-product']//tbody/tr")) {
                List<HtmlElement> td = row.getElementsByTagName("td");
                byProduct.put(td.get(0).asNormalizedText(), td.get(1).asNormalizedText());
            }
            assertEquals(figures(stats.path("byProduct")), byProduct);
            assertEquals(Set.of("ACTIVE", "SUSPENDED", "REVOKED"), figures(stats.path("byStatus")).keySet());
            // licenses by status over 12 months: the table's row for now holds the issuer's history (cached by the
            // issuer for 30 s, so not compared with the stats just changed); the chart is an SVG image
            JsonNode history = harness.get(token, "/v1/licenses/status-history?months=12").path("months");
            assertEquals(13, dashboard.getByXPath("//table[@id='status-history']/tbody/tr").size());
            JsonNode nowPoint = history.get(history.size() - 1);
            List<String> header = dashboard.<HtmlElement>getByXPath("//table[@id='status-history']/thead//th")
                    .stream().map(HtmlElement::asNormalizedText).toList();
            List<String> lastRow = dashboard.<HtmlElement>getByXPath(
                    "//table[@id='status-history']/tbody/tr[last()]/td").stream()
                    .map(HtmlElement::asNormalizedText).toList();
            for (int i = 1; i < header.size() - 1; i++) {
                assertEquals(nowPoint.path("counts").path(header.get(i)).asText(), lastRow.get(i - 1), header.get(i));
            }
            assertTrue(dashboard.getHtmlElementById("status-history-chart").asXml()
                    .contains("data:image/svg+xml;base64,"));
            assertTrue(stats.path("byStatus").path("REVOKED").asLong() >= 1 && stats.path("expiringWithin")
                    .path("60").asLong() > stats.path("expiringWithin").path("7").asLong(), stats.toString());
            assertEquals(harness.notificationGet("/v1/reminders/dead-letters").path("depth").asText(),
                    dashboard.getHtmlElementById("dlq-depth").asNormalizedText());

            Map<String, String> financeFigures = new TreeMap<>();
            for (HtmlElement link : finance.page("/finance").<HtmlElement>getByXPath(
                    "//ul[@id='expiry-links']/li/a[1]")) {
                Matcher m = Pattern.compile("Within (\\d+) days: (\\d+)").matcher(link.asNormalizedText());
                assertTrue(m.matches(), link.asNormalizedText());
                financeFigures.put(m.group(1), m.group(2));
            }
            assertEquals(figures(harness.get(token, "/v1/licenses/stats").path("expiringWithin")), financeFigures);
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
    @Test
    void aDoubleClickOnIssueIssuesOneLicense() {
        BackOfficeHarness harness = BackOfficeHarness.shared();
        String customer = harness.newCustomer("Double Click GmbH");
        try (Browser operator = Browser.signIn(base(), DemoUser.OPERATOR, "/licenses/new")) {
            HtmlForm form = operator.page("/licenses/new?customerId=" + customer).getHtmlElementById("issue-form");
            ((HtmlSelect) form.getSelectByName("policyId")).setSelectedAttribute(harness.policyId, true);
            assertEquals(customer, ((HtmlSelect) form.getSelectByName("customerId")).getSelectedOptions().get(0)
                    .getValueAttribute());
            WebRequest click = Browser.submission(form);
            HtmlPage first = operator.send(click);
            HtmlPage second = operator.send(click);
            assertEquals(201, first.getWebResponse().getStatusCode(), first.asXml());
            assertEquals(201, second.getWebResponse().getStatusCode(), second.asXml());
            String id = first.getHtmlElementById("issued-license").asNormalizedText();
            assertEquals(id, second.getHtmlElementById("issued-license").asNormalizedText(), "the first answer again");
            assertEquals(first.getHtmlElementById("license-key").asNormalizedText(),
                    second.getHtmlElementById("license-key").asNormalizedText());
            JsonNode licenses = harness.licensesOf(customer);
            assertEquals(1, licenses.size(), "one license, not two: " + licenses);
            assertEquals(id, licenses.get(0).path("licenseId").asText());
        }
    }

    @Test
    void aDoubleClickOnSuspendChangesTheLicenseOnce() {
        BackOfficeHarness harness = BackOfficeHarness.shared();
        String id = harness.newLicense();
        long before = harness.license(id).path("version").asLong();
        try (Browser operator = Browser.signIn(base(), DemoUser.OPERATOR, "/licenses/" + id)) {
            HtmlForm form = operator.page("/licenses/" + id + "/actions/suspend").getHtmlElementById("confirm-form");
            ((HtmlTextArea) form.getTextAreaByName("reason")).setText("double click");
            WebRequest click = Browser.submission(form);
            HtmlPage first = operator.send(click);
            HtmlPage second = operator.send(click);
            for (HtmlPage answer : List.of(first, second)) {
                assertEquals("/licenses/" + id, answer.getUrl().getPath(), answer.asXml());
                assertEquals("SUSPENDED", answer.getHtmlElementById("license-status").asNormalizedText());
                assertTrue(answer.getElementById("done") != null, "done, both times: " + answer.asNormalizedText());
            }
        }
        JsonNode license = harness.license(id);
        assertEquals("SUSPENDED", license.path("status").asText());
        assertEquals(before + 1, license.path("version").asLong(), "the version moved once: " + license);
        long suspensions = 0;
        for (JsonNode event : harness.auditOf(id)) {
            suspensions += event.path("action").asText().equals("LICENSE_SUSPENDED") ? 1 : 0;
        }
        assertEquals(1, suspensions, harness.auditOf(id).toString());
    }

    // --- helpers ---

    /** A {@code <dd>} of a page's facts list by its {@code <dt>}. */
    static String fact(HtmlPage page, String name) {
        HtmlElement dd = page.getFirstByXPath("//dl[@class='facts']/dt[normalize-space(.)='" + name
                + "']/following-sibling::dd[1]");
        assertTrue(dd != null, "no fact " + name + " on " + page.getUrl());
        return dd.asNormalizedText();
    }

    /**
     * The exact instant of a fact shown as a readable date: its {@code <time datetime title>}, both the same
     * (hover shows it).
     */
    static String factTime(HtmlPage page, String name) {
        HtmlElement time = page.getFirstByXPath("//dl[@class='facts']/dt[normalize-space(.)='" + name
                + "']/following-sibling::dd[1]//time");
        assertTrue(time != null, "no time in fact " + name + " on " + page.getUrl());
        assertEquals(time.getAttribute("datetime"), time.getAttribute("title"));
        return time.getAttribute("datetime");
    }

    /** "14 Dec 2027, in 372 days": what the pages show for an instant today. */
    static String readable(String instant) {
        return org.licensing.backoffice.format.Readable.date(instant, Instant.now());
    }

    /** A two-column table's body as name -> value. */
    static Map<String, String> rows(HtmlPage page, String tableId) {
        Map<String, String> out = new TreeMap<>();
        for (HtmlElement row : page.<HtmlElement>getByXPath("//table[@id='" + tableId + "']/tbody/tr")) {
            List<HtmlElement> td = row.getElementsByTagName("td");
            out.put(td.get(0).asNormalizedText(), td.get(1).asNormalizedText());
        }
        return out;
    }

    /** The search results as (license id, status) rows, in the page's order. */
    static List<List<String>> resultRows(HtmlPage page) {
        List<List<String>> out = new ArrayList<>();
        for (HtmlElement row : page.<HtmlElement>getByXPath("//table[@id='license-results']/tbody/tr")) {
            List<HtmlElement> td = row.getElementsByTagName("td");
            if (td.size() > 1) {
                out.add(List.of(td.get(0).asNormalizedText(), td.get(3).asNormalizedText()));
            }
        }
        return out;
    }

    private static Map<String, String> cells(HtmlPage page, String xpath, String keyAttribute) {
        Map<String, String> out = new TreeMap<>();
        for (HtmlElement td : page.<HtmlElement>getByXPath(xpath)) {
            out.put(td.getAttribute(keyAttribute), td.asNormalizedText());
        }
        return out;
    }

    private static Map<String, String> figures(JsonNode object) {
        Map<String, String> out = new TreeMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
