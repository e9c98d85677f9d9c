package org.licensing.backoffice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import org.licensing.testsupport.idp.KeycloakServer.DemoUser;

/** A customer's page is its whole picture, and nothing of another customer's. */
@QuarkusTest
@WithTestResource(BackOfficeResource.class)
class CustomerPictureTest {

    @TestHTTPResource("/")
    URL root;

    URI base() {
        return URI.create("http://127.0.0.1:" + root.getPort());
    }

    @Test
    void aCustomersPageShowsEverythingOfItsOwnAndNothingOfAnothers() {
        BackOfficeHarness harness = BackOfficeHarness.shared();
        String token = harness.keycloak.seedToken();
        String run = UUID.randomUUID().toString().substring(0, 8);
        Side a = Side.make(harness, token, "Alpha " + run);
        Side b = Side.make(harness, token, "Beta " + run);
        try (Browser support = Browser.signIn(base(), DemoUser.VIEWER, "/customers/" + a.customer)) {
            HtmlPage page = support.page("/customers/" + a.customer);
            assertEquals(200, page.getWebResponse().getStatusCode(), page.asXml());
            assertEquals(new TreeSet<>(a.licenses), column(page, "customer-licenses", 0));
            assertEquals(Set.of("ACTIVE"), column(page, "customer-licenses", 2));
            for (HtmlElement expiry : page.<HtmlElement>getByXPath("//table[@id='customer-licenses']//time")) {
                assertEquals(expiry.getAttribute("datetime"), expiry.getAttribute("title"));
            }
            assertEquals(Set.of(a.fingerprint), column(page, "customer-checkouts", 1));
            assertEquals(Set.of("ACTIVE"), column(page, "customer-checkouts", 3));
            assertEquals(Set.of(a.email), column(page, "contacts", 1));
            // the history: this customer's events only (its creation, contact, licenses, checkout)
            Set<String> targets = new TreeSet<>();
            page.<HtmlElement>getByXPath("//table[contains(@class,'audit-events')]//a[@data-target-id]")
                    .forEach(link -> targets.add(link.getAttribute("data-target-id")));
            Set<String> own = new TreeSet<>(a.licenses);
            own.add(a.customer);
            assertEquals(own, targets);
            String html = page.getWebResponse().getContentAsString();
            for (String other : List.of(b.customer, b.licenses.get(0), b.licenses.get(1), b.fingerprint, b.email,
                    b.name)) {
                assertFalse(html.contains(other), "another customer's " + other + " on " + a.name + "'s page");
            }
        }
    }

    private static Set<String> column(HtmlPage page, String table, int index) {
        Set<String> out = new TreeSet<>();
        for (HtmlElement row : page.<HtmlElement>getByXPath("//table[@id='" + table + "']/tbody/tr")) {
            List<HtmlElement> td = row.getElementsByTagName("td");
            if (td.size() > index) {
                out.add(td.get(index).asNormalizedText());
            }
        }
        return out;
    }

    /** A customer with a contact, two licenses and a checkout on the first. */
    record Side(String name, String customer, List<String> licenses, String fingerprint, String email) {
        static Side make(BackOfficeHarness harness, String token, String name) {
            String customer = harness.newCustomer(name);
            String email = "ap-" + UUID.randomUUID().toString().substring(0, 6) + "@example.test";
            harness.post(token, "/v1/customers/" + customer + "/contacts",
                    Map.of("email", email, "name", "Accounts " + name, "role", "FINANCE"));
            String first = harness.issue(customer, Map.of()).path("licenseId").asText();
            String second = harness.issue(customer, Map.of()).path("licenseId").asText();
            String fingerprint = "host-" + UUID.randomUUID().toString().substring(0, 12);
            harness.checkoutFile(first, fingerprint);
            return new Side(name, customer, List.of(first, second), fingerprint, email);
        }
    }
}
