package org.licensing.issuer.license;

import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.licensing.issuer.readmodel.ReadModelFixtures.*;
import static org.licensing.issuer.support.Api.*;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.licensing.testsupport.ServiceTest;

import io.restassured.path.json.JsonPath;

/** GET /v1/licenses over the read model: every filter, every sort both ways, keyset pages, portal scope, errors. */
@ServiceTest
class LicenseSearchTest {

    /** One product with two policies, three customers, licenses with distinct expiries and limits. */
    record World(String product, String policyA, String policyB, String alpha, String beta, String zeta,
            List<String> ids, List<JsonPath> licenses) {
    }

    private static World world() {
        String product = createProduct();
        String policyA = createPolicy(product, Map.of("cuda.device", 4, "cuda.shares", 2.5));
        String policyB = createPolicy(product, Map.of("nodes", 2));
        String tag = unique("t").substring(2);
        String alpha = createCustomer("Alpha Compute " + tag, "crm-A" + tag);
        String beta = createCustomer("beta systems " + tag, "crm-B" + tag);
        String zeta = createCustomer("Zeta Labs " + tag, null);
        List<JsonPath> issued = new ArrayList<>();
        issued.add(issue(alpha, policyA, Map.of("expiresAt", "2031-03-01T00:00:00Z")));
        issued.add(issue(beta, policyA, Map.of("expiresAt", "2031-01-01T00:00:00Z",
                "entitlements", Map.of("limits", Map.of("cuda.device", 8)))));
        issued.add(issue(zeta, policyA, Map.of("expiresAt", "2031-05-01T00:00:00Z",
                "entitlements", Map.of("limits", Map.of("cuda.device", 16, "cuda.shares", 2.75)))));
        issued.add(issue(alpha, policyB, Map.of("expiresAt", "2031-02-01T00:00:00Z")));
        issued.add(issue(beta, policyB, Map.of("expiresAt", "2031-04-01T00:00:00Z")));
        List<String> ids = issued.stream().map(j -> j.getString("licenseId")).toList();
        return new World(product, policyA, policyB, alpha, beta, zeta, ids, issued);
    }

    private static List<String> search(Map<String, ?> params) {
        return as(admin()).queryParams(params).get("/v1/licenses").then().statusCode(200)
                .extract().jsonPath().getList("items.licenseId");
    }

    @Test
    void everyFilterAloneAndCombined() {
        World w = world();
        List<String> id = w.ids();
        String p = w.product();
        // productCode alone, default sort expiresAt asc
        assertEquals(List.of(id.get(1), id.get(3), id.get(0), id.get(4), id.get(2)), search(Map.of("productCode", p)));
        assertEquals(sorted(List.of(id.get(0), id.get(1), id.get(2))),
                sorted(search(Map.of("policyId", w.policyA()))));
        assertEquals(sorted(List.of(id.get(0), id.get(3))), sorted(search(Map.of("customerId", w.alpha()))));
        assertEquals(List.of(id.get(3), id.get(0)), search(Map.of("productCode", p,
                "expiresAfter", "2031-02-01T00:00:00Z", "expiresBefore", "2031-04-01T00:00:00Z")));
        // issuedAfter is inclusive, issuedBefore exclusive
        String third = w.licenses().get(2).getString("issuedAt");
        assertEquals(List.of(id.get(3), id.get(2), id.get(4)).stream().sorted().toList(),
                sorted(search(Map.of("productCode", p, "issuedAfter", third))));
        assertEquals(sorted(List.of(id.get(0), id.get(1))),
                sorted(search(Map.of("productCode", p, "issuedBefore", third))));
        // status, repeatable
        as(admin()).post("/v1/licenses/" + id.get(4) + "/suspend").then().statusCode(200);
        as(admin()).post("/v1/licenses/" + id.get(3) + "/revoke").then().statusCode(200);
        assertEquals(List.of(id.get(4)), search(Map.of("productCode", p, "status", "SUSPENDED")));
        assertEquals(List.of(id.get(3), id.get(4)), as(admin()).queryParam("productCode", p)
                .queryParam("status", "SUSPENDED").queryParam("status", "revoked").get("/v1/licenses").then()
                .statusCode(200).extract().jsonPath().getList("items.licenseId"));
        assertEquals(List.of(id.get(1), id.get(0), id.get(2)),
                search(Map.of("productCode", p, "status", "ACTIVE")));
        // minLimit: exact decimals; a license without the limit does not match
        assertEquals(List.of(id.get(1), id.get(2)), search(Map.of("productCode", p, "minLimit", "cuda.device:8")));
        assertEquals(List.of(id.get(2)), search(Map.of("productCode", p, "minLimit", "cuda.device:8.000001")));
        assertEquals(List.of(id.get(1), id.get(0), id.get(2)),
                search(Map.of("productCode", p, "minLimit", "cuda.shares:2.5")));
        assertEquals(List.of(id.get(2)), search(Map.of("productCode", p, "minLimit", "cuda.shares:2.50001")));
        assertEquals(List.of(id.get(2)), as(admin()).queryParam("productCode", p)
                .queryParam("minLimit", "cuda.device:10").queryParam("minLimit", "cuda.shares:2.75")
                .get("/v1/licenses").then().extract().jsonPath().getList("items.licenseId"));
        assertEquals(List.of(), search(Map.of("productCode", p, "minLimit", "nodes:3")));
        assertEquals(List.of(id.get(3), id.get(4)), search(Map.of("productCode", p, "minLimit", "nodes:2")));
        // q: license id prefix (any case), customer name substring (any case), external id prefix (any case)
        assertEquals(List.of(id.get(2)), search(Map.of("productCode", p,
                "q", id.get(2).substring(0, 13).toUpperCase())));
        String tag = w.licenses().get(0).getString("customerName").substring("Alpha Compute ".length());
        assertEquals(List.of(id.get(3), id.get(0)), search(Map.of("q", "PHA COMPUTE " + tag.toUpperCase())));
        assertEquals(List.of(id.get(1), id.get(4)), search(Map.of("q", "CRM-b" + tag)));
        assertEquals(List.of(), search(Map.of("q", "rm-b" + tag))); // external ids match by prefix only
        assertEquals(List.of(), search(Map.of("q", "%" + tag)));     // LIKE wildcards are literal
        // everything at once
        assertEquals(List.of(id.get(1)), search(Map.of("productCode", p, "policyId", w.policyA(),
                "customerId", w.beta(), "status", "ACTIVE", "expiresBefore", "2031-02-01T00:00:00Z",
                "expiresAfter", "2030-01-01T00:00:00Z", "minLimit", "cuda.device:8", "q", "beta systems",
                "issuedBefore", Instant.now().plus(1, ChronoUnit.DAYS).toString())));
    }

    @Test
    void theSummaryCarriesTheContractFields() {
        World w = world();
        JsonPath page = as(admin()).queryParam("q", w.ids().get(1)).get("/v1/licenses").then().statusCode(200)
                .body("items", hasSize(1)).body("nextCursor", nullValue()).extract().jsonPath();
        Map<String, Object> s = page.getMap("items[0]");
        assertEquals(Set.of("licenseId", "customerId", "customerName", "customerExternalId", "productCode",
                "productName", "policyId", "status", "issuedAt", "notBefore", "expiresAt", "graceDays",
                "entitlements", "version", "updatedAt"), s.keySet());
        assertEquals(w.beta(), s.get("customerId"));
        assertTrue(((String) s.get("customerExternalId")).startsWith("crm-B"));
        assertEquals("2031-01-01T00:00:00Z", s.get("expiresAt"));
        assertEquals(8, page.getInt("items[0].entitlements.limits['cuda.device']"));
        assertEquals(2.5f, page.getFloat("items[0].entitlements.limits['cuda.shares']"));
        assertEquals(true, page.getBoolean("items[0].entitlements.features.sso"));
        // a change is in the read model as soon as it is answered
        as(admin()).body(Map.of("extendDays", 10)).post("/v1/licenses/" + w.ids().get(1) + "/renew").then()
                .statusCode(200);
        as(admin()).queryParam("q", w.ids().get(1)).get("/v1/licenses").then()
                .body("items[0].expiresAt", is("2031-01-11T00:00:00Z")).body("items[0].version", is(2));
    }

    @Test
    void eachSortBothWays() {
        World w = world();
        List<String> id = w.ids();
        Map<String, String> p = Map.of("productCode", w.product());
        List<String> byExpiry = List.of(id.get(1), id.get(3), id.get(0), id.get(4), id.get(2));
        assertEquals(byExpiry, search(with(p, "sort", "expiresAt", "order", "asc")));
        assertEquals(reversed(byExpiry), search(with(p, "sort", "expiresAt", "order", "desc")));
        assertEquals(id, search(with(p, "sort", "issuedAt")));
        assertEquals(reversed(id), search(with(p, "sort", "issuedAt", "order", "desc")));
        // customer name, case-insensitive (Alpha < beta < Zeta), ties by license id
        List<String> byName = new ArrayList<>(sorted(List.of(id.get(0), id.get(3))));
        byName.addAll(sorted(List.of(id.get(1), id.get(4))));
        byName.add(id.get(2));
        assertEquals(byName, search(with(p, "sort", "customerName")));
        assertEquals(reversed(byName), search(with(p, "sort", "customerName", "order", "desc")));
        // the same orders page by page (limit 2: every page boundary crosses a key)
        for (String sort : List.of("expiresAt", "issuedAt", "customerName")) {
            for (String order : List.of("asc", "desc")) {
                assertEquals(search(with(p, "sort", sort, "order", order)),
                        allIds(admin(), with(p, "sort", sort, "order", order), 2), sort + " " + order);
            }
        }
    }

    @Test
    void pagesNeitherLoseNorRepeatALicenseWhileOthersAreIssued() throws Exception {
        String product = createProduct();
        String policy = createPolicy(product, Map.of("cuda.device", 1));
        String customer = createCustomer(unique("Paging"), null);
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            before.add(issue(customer, policy, Map.of("expiresAt", "2032-01-%02dT00:00:00Z".formatted(i + 1)))
                    .getString("licenseId"));
        }
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<String>>> writers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int thread = t;
                writers.add(pool.submit(() -> {
                    List<String> added = new ArrayList<>();
                    for (int i = 0; !stop.get() && i < 40; i++) {
                        // expiries between and around the existing ones, so new rows land on every page
                        added.add(issue(customer, policy, Map.of("expiresAt",
                                "2032-01-%02dT12:%02d:00Z".formatted(i % 26 + 1, thread))).getString("licenseId"));
                    }
                    return added;
                }));
            }
            for (String order : List.of("asc", "desc")) {
                for (String sort : List.of("expiresAt", "issuedAt", "customerName")) {
                    List<String> seen = allIds(admin(), Map.of("productCode", product, "sort", sort,
                            "order", order), 5);
                    assertEquals(seen.size(), new HashSet<>(seen).size(), "a license repeated: " + sort + " "
                            + order);
                    assertTrue(seen.containsAll(before), "a license was lost: " + sort + " " + order);
                }
            }
            stop.set(true);
            List<String> all = new ArrayList<>(before);
            for (Future<List<String>> f : writers) {
                all.addAll(f.get());
            }
            // quiet now: the pages hold exactly every license
            assertEquals(sorted(all), sorted(allIds(admin(), Map.of("productCode", product), 7)));
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    @Test
    void aPortalTokenSearchesItsOwnCustomerOnly() {
        World w = world();
        String alphaToken = portal(w.alpha());
        assertEquals(sorted(List.of(w.ids().get(0), w.ids().get(3))),
                sorted(allIds(alphaToken, Map.of(), 100)));
        assertEquals(List.of(), allIds(alphaToken, Map.of("customerId", w.beta()), 100));
        assertEquals(List.of(), allIds(alphaToken, Map.of("q", "beta systems"), 100));
        assertEquals(List.of(w.ids().get(0)), allIds(alphaToken, Map.of("policyId", w.policyA()), 100));
        // a back-office cursor does not page a portal token's search (and the other way round)
        String cursor = as(admin()).queryParam("productCode", w.product()).queryParam("limit", 1)
                .get("/v1/licenses").then().extract().path("nextCursor");
        as(alphaToken).queryParam("productCode", w.product()).queryParam("cursor", cursor).get("/v1/licenses")
                .then().statusCode(400).body("type", is("https://licensing.dev/problems/invalid-cursor"));
    }

    @Test
    void badParametersAreA400NamingTheParameter() {
        String invalid = "https://licensing.dev/problems/invalid-request";
        Map<String, String> bad = Map.ofEntries(
                Map.entry("status", "NOPE"), Map.entry("limit", "1000"), Map.entry("sort", "price"),
                Map.entry("order", "sideways"), Map.entry("expiresBefore", "tomorrow"),
                Map.entry("issuedAfter", "2031-01-01"), Map.entry("customerId", "x"),
                Map.entry("policyId", "not-a-uuid"), Map.entry("minLimit", "cuda.device"),
                Map.entry("expiresAfter", "31/12/2030"), Map.entry("productCode", "UPPER CASE"));
        bad.forEach((name, value) -> as(admin()).queryParam(name, value).get("/v1/licenses").then()
                .statusCode(400).contentType("application/problem+json").body("type", is(invalid))
                .body("detail", startsWith(name + ":")));
        as(admin()).queryParam("limit", 0).get("/v1/licenses").then().statusCode(400)
                .body("detail", startsWith("limit:"));
        as(admin()).queryParam("minLimit", "cuda.device:eight").get("/v1/licenses").then().statusCode(400)
                .body("detail", startsWith("minLimit:"));
        // a parameter the search does not know (a misspelled filter would otherwise widen the search)
        as(admin()).queryParam("expiringBefore", "2031-01-01T00:00:00Z").get("/v1/licenses").then().statusCode(400)
                .body("type", is(invalid)).body("detail", containsString("expiringBefore"));
        as(admin()).queryParam("productCode", "a1").queryParam("productCode", "b2").get("/v1/licenses").then()
                .statusCode(400).body("detail", startsWith("productCode"));
        as(admin()).queryParam("cursor", "garbage!").get("/v1/licenses").then().statusCode(400)
                .body("type", is("https://licensing.dev/problems/invalid-cursor"));
    }

    @Test
    void aCursorReusedWithOtherFiltersOrAnotherSortIsRefused() {
        World w = world();
        String cursor = as(admin()).queryParam("productCode", w.product()).queryParam("limit", 2)
                .get("/v1/licenses").then().statusCode(200).extract().path("nextCursor");
        assertNotNull(cursor);
        // the same search with another page size goes on
        as(admin()).queryParam("productCode", w.product()).queryParam("limit", 3).queryParam("cursor", cursor)
                .get("/v1/licenses").then().statusCode(200).body("items", hasSize(3));
        for (Map<String, String> other : List.of(Map.of("productCode", w.product(), "status", "ACTIVE"),
                Map.of("productCode", w.product(), "sort", "issuedAt"),
                Map.of("productCode", w.product(), "order", "desc"), Map.of("policyId", w.policyA()))) {
            as(admin()).queryParams(other).queryParam("cursor", cursor).get("/v1/licenses").then().statusCode(400)
                    .body("type", is("https://licensing.dev/problems/invalid-cursor"));
        }
    }

    private static Map<String, String> with(Map<String, String> base, String... pairs) {
        Map<String, String> m = new java.util.LinkedHashMap<>(base);
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private static List<String> sorted(List<String> ids) {
        List<String> copy = new ArrayList<>(ids);
        Collections.sort(copy);
        return copy;
    }

    private static List<String> reversed(List<String> ids) {
        List<String> copy = new ArrayList<>(ids);
        Collections.reverse(copy);
        return copy;
    }
}
