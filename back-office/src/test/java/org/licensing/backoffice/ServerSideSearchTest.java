package org.licensing.backoffice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.htmlunit.html.HtmlAnchor;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import org.licensing.testsupport.idp.KeycloakServer.DemoUser;

/** The customers and audit pages search at the issuer and page through everything (no 10 x 200, no 500 cap). */
@QuarkusTest
@WithTestResource(BackOfficeResource.class)
class ServerSideSearchTest {

    @TestHTTPResource("/")
    URL root;

    URI base() {
        return URI.create("http://127.0.0.1:" + root.getPort());
    }

    @Test
    void theAuditLogPagesBackPastFiveHundredEventsToTheOldest() {
        BackOfficeHarness harness = BackOfficeHarness.shared();
        String token = harness.keycloak.seedToken();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String oldest = harness.post(token, "/v1/customers", Map.of("name", "Oldest " + run)).path("id").asText();
        for (int i = 0; i < 520; i++) {
            harness.post(token, "/v1/customers", Map.of("name", "Filler " + run + " " + i));
        }
        try (Browser viewer = Browser.signIn(base(), DemoUser.VIEWER, "/audit")) {
            HtmlPage page = viewer.page("/audit?action=CUSTOMER_CREATED");
            List<String> first = targetIds(page);
            assertEquals(100, first.size(), page.asXml());
            int pages = 1;
            HtmlElement row = null;
            while (row == null) {
                row = page.getFirstByXPath("//table[contains(@class,'audit-events')]//a[@data-target-id='" + oldest
                        + "']");
                if (row == null) {
                    HtmlAnchor older = (HtmlAnchor) page.getElementById("audit-older");
                    assertNotNull(older, "no older page after " + pages + " pages, the oldest not found");
                    page = viewer.page(older.getHrefAttribute());
                    pages++;
                    if (pages == 2) {
                        // "Newer" from the second page is the first page again
                        HtmlPage newer = viewer.page(((HtmlAnchor) page.getElementById("audit-newer"))
                                .getHrefAttribute());
                        assertEquals(first, targetIds(newer));
                        assertNull(newer.getElementById("audit-newer"), "the first page has no newer page");
                    }
                }
                assertTrue(pages < 100, "runaway paging");
            }
            assertTrue(pages >= 6, "the oldest is beyond the newest 500 events: page " + pages);
            // the target is named, its id a click away
            assertEquals("Oldest " + run, row.asNormalizedText());
            assertEquals("/customers/" + oldest, row.getAttribute("href"));
            for (String id : targetIds(page)) {
                assertTrue(!id.isEmpty(), "every row of the filtered pages is a customer event");
            }
            // a time filter that ends before the run finds none of it; the target filter finds exactly it
            assertEquals(List.of(oldest), targetIds(viewer.page("/audit?target=" + oldest)));
            assertEquals(List.of(), targetIds(viewer.page("/audit?target=" + oldest + "&to=2020-01-01")));
            HtmlPage bad = viewer.page("/audit?from=yesterday");
            assertNotNull(bad.getElementById("audit-error"), bad.asXml());
        }
    }

    @Test
    void theCustomerSearchAsksTheIssuerAndPages() {
        BackOfficeHarness harness = BackOfficeHarness.shared();
        String token = harness.keycloak.seedToken();
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 30; i++) {
            harness.post(token, "/v1/customers", Map.of("name", String.format("Paging %s %02d", run, i),
                    "externalId", "ext-" + run + "-" + i));
        }
        try (Browser viewer = Browser.signIn(base(), DemoUser.VIEWER, "/customers")) {
            HtmlPage first = viewer.page("/customers?q=paging+" + run.toUpperCase());
            List<String> names = names(first);
            assertEquals(25, names.size(), "a page of backoffice.page-size: " + names);
            assertTrue(names.stream().allMatch(n -> n.startsWith("Paging " + run)), names.toString());
            assertNull(first.getElementById("customers-previous"));
            HtmlPage second = viewer.page(((HtmlAnchor) first.getElementById("customers-next")).getHrefAttribute());
            List<String> rest = names(second);
            assertEquals(5, rest.size(), rest.toString());
            assertTrue(rest.stream().noneMatch(names::contains), "no repeats");
            assertNull(second.getElementById("customers-next"));
            assertNotNull(second.getElementById("customers-previous"));
            // external id prefix, case ignored
            assertEquals(List.of(String.format("Paging %s 07", run)),
                    names(viewer.page("/customers?q=EXT-" + run + "-7")));
        }
    }

    private static List<String> targetIds(HtmlPage page) {
        assertEquals(200, page.getWebResponse().getStatusCode(), page.asXml());
        return page.<HtmlElement>getByXPath("//table[contains(@class,'audit-events')]/tbody/tr//a[@data-target-id]")
                .stream().map(a -> a.getAttribute("data-target-id")).toList();
    }

    private static List<String> names(HtmlPage page) {
        assertEquals(200, page.getWebResponse().getStatusCode(), page.asXml());
        return page.<HtmlElement>getByXPath("//table[@id='customers']//a[@class='customer-name']").stream()
                .map(HtmlElement::asNormalizedText).toList();
    }
}
