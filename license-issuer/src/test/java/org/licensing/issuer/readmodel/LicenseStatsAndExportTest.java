package org.licensing.issuer.readmodel;

import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.licensing.issuer.readmodel.ReadModelFixtures.*;
import static org.licensing.issuer.support.Api.*;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.licensing.testsupport.ServiceTest;

import io.restassured.RestAssured;

/** GET /v1/licenses/stats and the CSV export: counts, escaping, streaming across pages, portal scope. */
@ServiceTest
class LicenseStatsAndExportTest {

    @jakarta.inject.Inject
    LicenseSummaryStore store;

    private static String in(long days) {
        return Instant.now().plus(days, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    @Test
    void statsCountByStatusProductAndExpiryBucket() {
        String product = createProduct();
        String policy = createPolicy(product, Map.of("cuda.device", 2));
        String a = createCustomer(unique("Stats A"), null);
        String b = createCustomer(unique("Stats B"), null);
        issue(a, policy, Map.of("expiresAt", in(3)));
        String revokedSoon = issue(a, policy, Map.of("expiresAt", in(5))).getString("licenseId");
        String suspended = issue(a, policy, Map.of("expiresAt", in(20))).getString("licenseId");
        issue(b, policy, Map.of("expiresAt", in(45)));
        issue(b, policy, Map.of("expiresAt", in(80)));
        issue(b, policy, Map.of("expiresAt", in(200)));
        as(admin()).post("/v1/licenses/" + revokedSoon + "/revoke").then().statusCode(200);
        as(admin()).post("/v1/licenses/" + suspended + "/suspend").then().statusCode(200);

        as(admin()).queryParam("productCode", product).get("/v1/licenses/stats").then().statusCode(200)
                .body("byStatus.ACTIVE", is(4)).body("byStatus.SUSPENDED", is(1)).body("byStatus.REVOKED", is(1))
                .body("byProduct", is(Map.of(product, 6)))
                // non-revoked, now <= expiresAt < now + N days
                .body("expiringWithin.'7'", is(1)).body("expiringWithin.'30'", is(2))
                .body("expiringWithin.'60'", is(3)).body("expiringWithin.'90'", is(4));
        // the search's filters apply
        as(admin()).queryParam("productCode", product).queryParam("status", "ACTIVE").get("/v1/licenses/stats")
                .then().body("byStatus.ACTIVE", is(4)).body("byStatus.SUSPENDED", is(0))
                .body("byStatus.REVOKED", is(0)).body("expiringWithin.'30'", is(1));
        as(admin()).queryParam("productCode", product).queryParam("status", "BAD").get("/v1/licenses/stats")
                .then().statusCode(400).body("detail", startsWith("status:"));
        // a portal token counts its own customer only, whatever it asks
        as(portal(b)).get("/v1/licenses/stats").then().statusCode(200)
                .body("byStatus.ACTIVE", is(3)).body("byStatus.SUSPENDED", is(0)).body("byStatus.REVOKED", is(0))
                .body("byProduct", is(Map.of(product, 3))).body("expiringWithin.'90'", is(2));
        as(portal(b)).queryParam("customerId", a).get("/v1/licenses/stats").then().statusCode(200)
                .body("byStatus.ACTIVE", is(0)).body("byProduct", is(Map.of()));
    }

    /**
     * Every window at both of its ends, at a chosen instant {@code t} (the store's statement with that {@code now}, on
     * the service's database): a license expired the day before, one a second before {@code t}, one at {@code t}, and
     * one a second before and one at each bucket's end and each quarter's start. The counters' answer (product filter)
     * and the counting one (a filter matching every row) must both be exactly that.
     */
    @Test
    void everyWindowCountsItsStartAndNotItsEnd() {
        // t: ten days ahead (licenses cannot be issued already expired), at 13:37:21 UTC so partial days matter
        Instant t = Instant.now().plus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS).plusSeconds(13 * 3600
                + 37 * 60 + 21);
        java.time.LocalDate day = java.time.LocalDate.ofInstant(t, java.time.ZoneOffset.UTC);
        java.time.LocalDate quarter = day.withDayOfMonth(1).withMonth((day.getMonthValue() - 1) / 3 * 3 + 1);
        Instant nextQuarter = quarter.plusMonths(3).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        Instant quarterAfter = quarter.plusMonths(6).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        String product = createProduct();
        String policy = createPolicy(product, Map.of("cpu", 1));
        String customer = createCustomer(unique("Windows"), null);
        List<Instant> expiries = new ArrayList<>(List.of(t.minus(1, ChronoUnit.DAYS), t.minusSeconds(1), t));
        for (int days : List.of(7, 30, 60, 90)) {
            Instant end = t.plus(days, ChronoUnit.DAYS);
            expiries.add(end.minusSeconds(1));
            expiries.add(end);
        }
        for (Instant boundary : List.of(nextQuarter, quarterAfter)) {
            expiries.add(boundary.minusSeconds(1));
            expiries.add(boundary);
        }
        for (Instant expiry : expiries) {
            issue(customer, policy, Map.of("expiresAt", expiry.toString()));
        }
        // a revoked and a suspended one expiring an hour after t
        String revoked = issue(customer, policy, Map.of("expiresAt", t.plusSeconds(3600).toString()))
                .getString("licenseId");
        String suspended = issue(customer, policy, Map.of("expiresAt", t.plusSeconds(3600).toString()))
                .getString("licenseId");
        as(admin()).post("/v1/licenses/" + revoked + "/revoke").then().statusCode(200);
        as(admin()).post("/v1/licenses/" + suspended + "/suspend").then().statusCode(200);

        // non-revoked, t <= expiresAt < end: "at t" and "a second before the end" are in, "at the end" is out
        java.util.function.BiFunction<Instant, Instant, Long> between = (start, end) -> expiries.stream()
                .filter(e -> !e.isBefore(start) && e.isBefore(end)).count() + 1;
        Map<String, Long> within = new java.util.LinkedHashMap<>();
        for (int days : List.of(7, 30, 60, 90)) {
            within.put(Integer.toString(days), between.apply(t, t.plus(days, ChronoUnit.DAYS)));
        }
        Map<String, Long> quarters = new java.util.LinkedHashMap<>();
        quarters.put(day.getYear() + "-Q" + ((quarter.getMonthValue() - 1) / 3 + 1),
                between.apply(t, nextQuarter));
        java.time.LocalDate next = quarter.plusMonths(3);
        quarters.put(next.getYear() + "-Q" + ((next.getMonthValue() - 1) / 3 + 1),
                between.apply(nextQuarter, quarterAfter) - 1);

        SearchParams counted = new SearchParams();
        counted.productCode = product;
        SearchParams scanned = new SearchParams();
        scanned.productCode = product;
        scanned.issuedBefore = "2100-01-01T00:00:00Z";
        for (SearchParams p : List.of(counted, scanned)) {
            LicenseSearch search = LicenseSearch.parse(p, Map.of());
            LicenseStats stats = store.stats(search, null, t).await().indefinitely();
            String path = LicenseSummaryStore.fromCounters(search, null) ? "counters" : "rows";
            assertEquals(within, stats.expiringWithin(), path);
            assertEquals(quarters, stats.expiringByQuarter(), path);
            assertEquals(Map.of("ACTIVE", (long) expiries.size(), "SUSPENDED", 1L, "REVOKED", 1L), stats.byStatus(),
                    path);
        }
    }

    @Test
    void csvQuotesAndDefusesEveryFieldAndStreamsEveryPage() {
        String product = createProduct();
        String policy = createPolicy(product, Map.of("cuda.device", 16, "cuda.shares", 2.5));
        String awkward = "Comma, \"Quoted\" Inc\nsecond line";
        // A formula at the start, and after each separator a spreadsheet may split a cell on (issue 26: with ';' as
        // the list separator, German, French and Dutch Excel run "Acme;=cmd|..." as a formula).
        Map<String, String> defused = new java.util.LinkedHashMap<>();
        defused.put(awkward, awkward);
        defused.put("=HYPERLINK(\"http://evil.example\")", "'=HYPERLINK(\"http://evil.example\")");
        defused.put("+1 Labs", "'+1 Labs");
        defused.put("-2 Labs", "'-2 Labs");
        defused.put("@SUM(A1) GmbH", "'@SUM(A1) GmbH");
        defused.put("Acme;=cmd|' /C calc'!A0", "Acme;'=cmd|' /C calc'!A0");
        defused.put("Acme, =1+1", "Acme, '=1+1");
        defused.put("Acme\t+1", "Acme\t'+1");
        defused.put("Acme|@SUM(A1)", "Acme|'@SUM(A1)");
        defused.put("Plain " + unique("c"), null);
        List<String> names = List.copyOf(defused.keySet());
        List<String> ids = new ArrayList<>();
        for (String name : names) {
            String customer = createCustomer(name, null);
            ids.add(issue(customer, policy, Map.of("expiresAt", "2033-%02d-01T00:00:00Z".formatted(ids.size() + 1)))
                    .getString("licenseId"));
        }
        var answer = RestAssured.given().auth().oauth2(admin()).queryParam("productCode", product)
                .get("/v1/licenses.csv").then().statusCode(200).contentType(startsWith("text/csv"))
                .header("Content-Disposition", containsString("licenses.csv")).extract();
        String csv = answer.asString();
        List<List<String>> rows = parse(csv);
        assertEquals(List.of("licenseId", "customerId", "customerName", "customerExternalId", "productCode",
                "policyId", "status", "issuedAt", "notBefore", "expiresAt", "graceDays", "limits", "features"),
                rows.get(0));
        assertEquals(names.size() + 1, rows.size(), csv);
        for (int i = 0; i < names.size(); i++) {
            List<String> row = rows.get(i + 1);
            assertEquals(ids.get(i), row.get(0));
            String name = names.get(i);
            assertEquals(defused.get(name) == null ? name : defused.get(name), row.get(2));
            assertEquals(product, row.get(4));
            assertEquals(policy, row.get(5));
            assertEquals("ACTIVE", row.get(6));
            assertEquals("2033-%02d-01T00:00:00Z".formatted(i + 1), row.get(9));
            assertEquals("14", row.get(10));
            assertEquals("cuda.device=16;cuda.shares=2.5", row.get(11));
            assertEquals("sso=true", row.get(12));
        }
        assertTrue(csv.contains("\"Comma, \"\"Quoted\"\" Inc\nsecond line\""), csv);
        // every text field quoted, numbers bare
        assertTrue(csv.contains(",\"ACTIVE\",") && csv.contains(",14,\"cuda.device=16;cuda.shares=2.5\",\"sso=true\"\r\n"),
                csv);
        // GET /v1/licenses with Accept: text/csv is the same export
        String viaAccept = RestAssured.given().auth().oauth2(admin()).accept("text/csv")
                .queryParam("productCode", product).get("/v1/licenses").then().statusCode(200)
                .contentType(startsWith("text/csv")).extract().asString();
        assertEquals(csv, viaAccept);
        // descending, and the JSON search stays the default
        List<List<String>> desc = parse(RestAssured.given().auth().oauth2(admin()).queryParam("productCode", product)
                .queryParam("order", "desc").get("/v1/licenses.csv").then().statusCode(200).extract().asString());
        List<String> reversed = new ArrayList<>(ids);
        java.util.Collections.reverse(reversed);
        assertEquals(reversed, desc.subList(1, desc.size()).stream().map(r -> r.get(0)).toList());
        RestAssured.given().auth().oauth2(admin()).queryParam("productCode", product).get("/v1/licenses").then()
                .statusCode(200).contentType(startsWith("application/json"));
        // bad parameters: a problem, before any CSV
        RestAssured.given().auth().oauth2(admin()).queryParam("sort", "price").get("/v1/licenses.csv").then()
                .statusCode(400).contentType("application/problem+json").body("detail", startsWith("sort:"));
    }

    @Test
    void aPortalTokenExportsItsOwnCustomerOnly() {
        String product = createProduct();
        String policy = createPolicy(product, Map.of("cpu", 4));
        String mine = createCustomer(unique("Mine"), null);
        String theirs = createCustomer(unique("Theirs"), null);
        List<String> myIds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            myIds.add(issue(mine, policy, Map.of("expiresAt", "2034-01-0%dT00:00:00Z".formatted(i + 1)))
                    .getString("licenseId"));
            issue(theirs, policy, Map.of("expiresAt", "2034-01-0%dT12:00:00Z".formatted(i + 1)));
        }
        for (Map<String, String> query : List.of(Map.<String, String>of(), Map.of("customerId", theirs),
                Map.of("productCode", product))) {
            List<List<String>> rows = parse(RestAssured.given().auth().oauth2(portal(mine)).queryParams(query)
                    .get("/v1/licenses.csv").then().statusCode(200).extract().asString());
            List<String> seen = rows.subList(1, rows.size()).stream().map(r -> r.get(0)).toList();
            assertTrue(rows.subList(1, rows.size()).stream().allMatch(r -> r.get(1).equals(mine)), query.toString());
            assertEquals(query.containsKey("customerId") ? List.of() : myIds, seen, query.toString());
        }
    }

    /** RFC 4180: CRLF between records, quoted fields may hold commas, doubled quotes and line breaks. */
    static List<List<String>> parse(String csv) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        assertEquals(0, field.length() + row.size(), "the CSV does not end with CRLF");
        return rows;
    }
}
