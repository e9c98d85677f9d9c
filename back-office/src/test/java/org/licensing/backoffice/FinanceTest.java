package org.licensing.backoffice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.htmlunit.html.HtmlAnchor;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlImage;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import org.licensing.backoffice.finance.Quarter;
import org.licensing.testsupport.idp.KeycloakServer.DemoUser;

/** Finance's quarters (calendar, UTC) with their CSV, two clicks from the dashboard; the renewals chart. */
@QuarkusTest
@WithTestResource(BackOfficeResource.class)
class FinanceTest {

    @TestHTTPResource("/")
    URL root;

    URI base() {
        return URI.create("http://127.0.0.1:" + root.getPort());
    }

    @Test
    void nextQuarterHoldsExactlyTheLicensesExpiringInItAndItsCsvToo() {
        BackOfficeHarness harness = BackOfficeHarness.shared();
        Quarter next = Quarter.of(Instant.now()).next();
        String customer = harness.newCustomer("Quarterly " + java.util.UUID.randomUUID().toString().substring(0, 8));
        // one just before each end, one at each start: [start, end) in UTC
        String lastOfThis = issue(harness, customer, next.start().minusSeconds(1));
        String firstOfNext = issue(harness, customer, next.start());
        String lastOfNext = issue(harness, customer, next.end().minusSeconds(1));
        String firstAfter = issue(harness, customer, next.end());
        try (Browser finance = Browser.signIn(base(), DemoUser.FINANCE, "/")) {
            // dashboard -> next quarter: one click
            HtmlPage dashboard = finance.page("/");
            HtmlPage quarter = click(dashboard.getHtmlElementById("dashboard-next-quarter"));
            assertEquals("/finance/quarters/next", quarter.getUrl().getPath());
            assertEquals("Renewals " + next.label(), quarter.getHtmlElementById("quarter-heading")
                    .asNormalizedText());
            assertTrue(quarter.getHtmlElementById("quarter-span").asNormalizedText().contains("(UTC)"));
            assertEquals(Set.of(firstOfNext, lastOfNext), licensesOf(quarter, customer));
            HtmlElement count = quarter.getFirstByXPath("//td[@data-customer='" + customer + "']");
            assertEquals("2", count.asNormalizedText());
            // the CSV: exactly this quarter's, so of this customer exactly the two inside
            String csv = finance.get(((HtmlAnchor) quarter.getHtmlElementById("quarter-csv")).getHrefAttribute())
                    .getContentAsString();
            List<List<String>> rows = Csv.parse(csv);
            List<String> header = rows.get(0);
            int id = header.indexOf("licenseId");
            int cust = header.indexOf("customerId");
            int expires = header.indexOf("expiresAt");
            Set<String> ofCustomer = new TreeSet<>();
            for (List<String> row : rows.subList(1, rows.size())) {
                Instant at = Instant.parse(row.get(expires));
                assertTrue(!at.isBefore(next.start()) && at.isBefore(next.end()), row.toString());
                if (row.get(cust).equals(customer)) {
                    ofCustomer.add(row.get(id));
                }
            }
            assertEquals(Set.of(firstOfNext, lastOfNext), ofCustomer);
            // the page's total is the CSV's rows and the issuer's stats for that quarter
            assertEquals(String.valueOf(rows.size() - 1), quarter.getHtmlElementById("quarter-total")
                    .asNormalizedText());

            HtmlPage thisQuarter = click(quarter.getHtmlElementById("quarter-this"));
            assertEquals(Set.of(lastOfThis), licensesOf(thisQuarter, customer));
            assertTrue(!licensesOf(thisQuarter, customer).contains(firstAfter));
        }
    }

    @Test
    void theRenewalsChartAndItsTableHoldTheIssuersFigures() {
        BackOfficeHarness harness = BackOfficeHarness.shared();
        try (Browser finance = Browser.signIn(base(), DemoUser.FINANCE, "/finance")) {
            HtmlPage page = finance.page("/finance");
            HtmlImage chart = page.getFirstByXPath("//figure[@id='renewals-chart']//img");
            assertNotNull(chart, page.asXml());
            assertTrue(chart.getSrcAttribute().startsWith("data:image/svg+xml;base64,"));
            String svg = new String(java.util.Base64.getDecoder().decode(chart.getSrcAttribute()
                    .substring(chart.getSrcAttribute().indexOf(',') + 1)), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(svg.startsWith("<svg") && !svg.contains("<script"), svg);
            // each month's figures are the issuer's stats for that month (not revoked), product by product
            YearMonth month = YearMonth.now(ZoneOffset.UTC).plusMonths(2);
            Instant from = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant to = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            JsonNode stats = harness.get(harness.keycloak.seedToken(), "/v1/licenses/stats?status=ACTIVE"
                    + "&status=SUSPENDED&expiresAfter=" + from + "&expiresBefore=" + to);
            String label = month.format(java.time.format.DateTimeFormatter.ofPattern("MMM uuuu",
                    java.util.Locale.ENGLISH));
            Map<String, String> shown = new TreeMap<>();
            for (HtmlElement td : page.<HtmlElement>getByXPath("//table[@id='renewals-table']//td[@data-month='"
                    + label + "']")) {
                if (!td.asNormalizedText().equals("0")) {
                    shown.put(td.getAttribute("data-product"), td.asNormalizedText());
                }
            }
            Map<String, String> expected = new TreeMap<>();
            stats.path("byProduct").fields().forEachRemaining(e -> expected.put(e.getKey(), e.getValue().asText()));
            assertEquals(expected, shown);
            assertEquals(12, page.getByXPath("//table[@id='renewals-table']/tbody/tr").size());
            // the finance page links both quarters
            assertNotNull(page.getElementById("finance-next-quarter"));
        }
    }

    private static String issue(BackOfficeHarness harness, String customer, Instant expiresAt) {
        return harness.issue(customer, Map.of("expiresAt", expiresAt.toString())).path("licenseId").asText();
    }

    private static Set<String> licensesOf(HtmlPage quarter, String customer) {
        assertEquals(200, quarter.getWebResponse().getStatusCode(), quarter.asXml());
        Set<String> out = new TreeSet<>();
        for (HtmlElement a : quarter.<HtmlElement>getByXPath(
                "//table[@id='quarter-licenses']/tbody/tr[@data-customer-id='" + customer + "']//a[code]")) {
            out.add(a.asNormalizedText());
        }
        return out;
    }

    private static HtmlPage click(HtmlElement link) {
        try {
            return link.click();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
