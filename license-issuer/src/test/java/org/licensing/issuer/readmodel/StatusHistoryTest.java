package org.licensing.issuer.readmodel;

import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.licensing.issuer.readmodel.ReadModelFixtures.*;
import static org.licensing.issuer.support.Api.*;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.licensing.testsupport.ServiceTest;

import io.restassured.path.json.JsonPath;

/**
 * GET /v1/licenses/status-history over a scripted history: licenses issued, suspended, reinstated and revoked through
 * the API, then their audit events moved to chosen past months (the 15th, noon UTC), so every month end has an exact
 * expected count. A unique customer and products keep the other tests' licenses out of the numbers.
 */
@ServiceTest
class StatusHistoryTest {

    private final YearMonth thisMonth = YearMonth.now(ZoneOffset.UTC);
    private String c;
    private String d;
    private String p1;
    private String p2;

    /** Moves the license's event of {@code action} to the 15th, noon UTC, of the month {@code monthsAgo} back. */
    private void at(String licenseId, String action, int monthsAgo) {
        Instant when = thisMonth.minusMonths(monthsAgo).atDay(15).atTime(12, 0).toInstant(ZoneOffset.UTC);
        assertEquals(1, update("UPDATE audit_events SET occurred_at = ? WHERE target_id = ? AND action = ?",
                Timestamp.from(when), licenseId, action));
    }

    private String post(String licenseId, String action) {
        as(admin()).body(Map.of("reason", "history test")).post("/v1/licenses/" + licenseId + "/" + action).then()
                .statusCode(200);
        return licenseId;
    }

    @BeforeEach
    void script() {
        c = createCustomer(unique("History C"), null);
        d = createCustomer(unique("History D"), null);
        p1 = createProduct();
        p2 = createProduct();
        String policy1 = createPolicy(p1, Map.of("cpu", 1));
        String policy2 = createPolicy(p2, Map.of("cpu", 1));
        // L1: issued 5 months ago, suspended 3, reinstated 2, revoked now
        String l1 = issue(c, policy1, Map.of()).getString("licenseId");
        post(post(post(l1, "suspend"), "reinstate"), "revoke");
        at(l1, "LICENSE_ISSUED", 5);
        at(l1, "LICENSE_SUSPENDED", 3);
        at(l1, "LICENSE_REINSTATED", 2);
        // L2: issued 4 months ago, revoked 1
        String l2 = issue(c, policy1, Map.of()).getString("licenseId");
        post(l2, "revoke");
        at(l2, "LICENSE_ISSUED", 4);
        at(l2, "LICENSE_REVOKED", 1);
        // L3: issued 2 months ago; L4: issued now
        at(issue(c, policy1, Map.of()).getString("licenseId"), "LICENSE_ISSUED", 2);
        issue(c, policy1, Map.of());
        // L5: the other product, issued 3 months ago; L6: another customer, issued 2 months ago
        at(issue(c, policy2, Map.of()).getString("licenseId"), "LICENSE_ISSUED", 3);
        at(issue(d, policy1, Map.of()).getString("licenseId"), "LICENSE_ISSUED", 2);
        // a renewal changes no status: not a transition
        String l7 = issue(d, policy2, Map.of()).getString("licenseId");
        as(admin()).body(Map.of("extendDays", 30)).post("/v1/licenses/" + l7 + "/renew").then().statusCode(200);
        at(l7, "LICENSE_ISSUED", 1);
        at(l7, "LICENSE_RENEWED", 0);
    }

    /** Expected counts: index 0 = now, k = the end of the month k months back; ACTIVE, SUSPENDED, REVOKED. */
    private static List<List<Integer>> expected(int[]... byMonthsAgo) {
        List<List<Integer>> out = new ArrayList<>();
        for (int[] counts : byMonthsAgo) {
            out.add(List.of(counts[0], counts[1], counts[2]));
        }
        return out;
    }

    private void assertHistory(JsonPath answer, int months, List<List<Integer>> expected) {
        List<Map<String, Object>> points = answer.getList("months");
        assertEquals(months + 1, points.size());
        Map<String, List<Integer>> actual = new LinkedHashMap<>();
        Map<String, List<Integer>> wanted = new LinkedHashMap<>();
        for (int i = 0; i <= months; i++) {
            int monthsAgo = months - i;
            Map<String, Object> point = points.get(i);
            YearMonth month = thisMonth.minusMonths(monthsAgo);
            assertEquals(month.toString(), point.get("month"));
            if (monthsAgo > 0) {
                assertEquals(month.atEndOfMonth().atTime(23, 59, 59).toInstant(ZoneOffset.UTC).toString(),
                        point.get("at"));
            }
            @SuppressWarnings("unchecked")
            Map<String, Integer> counts = (Map<String, Integer>) point.get("counts");
            actual.put(month.toString(), List.of(counts.get("ACTIVE"), counts.get("SUSPENDED"),
                    counts.get("REVOKED")));
            wanted.put(month.toString(), monthsAgo < expected.size() ? expected.get(monthsAgo) : List.of(0, 0, 0));
        }
        assertEquals(wanted, actual);
    }

    private JsonPath get(String token, Map<String, Object> params) {
        return as(token).queryParams(params).get("/v1/licenses/status-history").then().statusCode(200)
                .extract().jsonPath();
    }

    @Test
    void everyMonthEndCountsTheStatusesOfThatTime() {
        // product 1, every customer: L1-L4 and L6 (months ago: now, 1, 2, 3, 4, 5)
        JsonPath all = get(admin(), Map.of("productCode", p1));
        assertEquals(p1, all.getString("productCode"));
        assertHistory(all, 12, expected(new int[] {3, 0, 2}, new int[] {3, 0, 1}, new int[] {4, 0, 0},
                new int[] {1, 1, 0}, new int[] {2, 0, 0}, new int[] {1, 0, 0}));
        // product 2: L5 from 3 months ago, L7 from 1 (its renewal changes nothing)
        assertHistory(get(admin(), Map.of("productCode", p2, "months", 24)), 24, expected(new int[] {2, 0, 0},
                new int[] {2, 0, 0}, new int[] {1, 0, 0}, new int[] {1, 0, 0}));
        // all customers' answers are cached for a short time (licensing.read-model.status-history-cache): a license
        // issued now shows in another question at once, in the same one when the entry expires
        issue(d, createPolicy(p2, Map.of("cpu", 1)), Map.of());
        assertHistory(get(admin(), Map.of("productCode", p2, "months", 24)), 24, expected(new int[] {2, 0, 0},
                new int[] {2, 0, 0}, new int[] {1, 0, 0}, new int[] {1, 0, 0}));
        assertHistory(get(admin(), Map.of("productCode", p2, "months", 23)), 23, expected(new int[] {3, 0, 0},
                new int[] {2, 0, 0}, new int[] {1, 0, 0}, new int[] {1, 0, 0}));
        // a shorter span ends at the same counts
        assertHistory(get(admin(), Map.of("productCode", p1, "months", 1)), 1,
                expected(new int[] {3, 0, 2}, new int[] {3, 0, 1}));
    }

    @Test
    void aPortalTokenCountsItsOwnCustomerOnly() {
        // customer C, every product: L1-L5
        assertHistory(get(portal(c), Map.of()), 12, expected(new int[] {3, 0, 2}, new int[] {3, 0, 1},
                new int[] {4, 0, 0}, new int[] {2, 1, 0}, new int[] {2, 0, 0}, new int[] {1, 0, 0}));
        // customer C, product 1: L1-L4 (not D's L6)
        assertHistory(get(portal(c), Map.of("productCode", p1)), 12, expected(new int[] {2, 0, 2},
                new int[] {2, 0, 1}, new int[] {3, 0, 0}, new int[] {1, 1, 0}, new int[] {2, 0, 0},
                new int[] {1, 0, 0}));
        // customer D: L6 from 2 months ago, L7 from 1
        assertHistory(get(portal(d), Map.of()), 12, expected(new int[] {2, 0, 0}, new int[] {2, 0, 0},
                new int[] {1, 0, 0}));
        // a claim that is no customer's id sees nothing
        assertHistory(get(portal(UUID.randomUUID().toString()), Map.of("productCode", p1, "months", 3)), 3,
                expected());
    }

    @Test
    void monthsOutsideOneToTwentyFourIsABadRequest() {
        for (String months : List.of("0", "25", "-1", "twelve", "1.5")) {
            as(admin()).queryParam("months", months).get("/v1/licenses/status-history").then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", endsWith("invalid-request")).body("detail", startsWith("months:"));
        }
        as(admin()).queryParam("month", "3").get("/v1/licenses/status-history").then().statusCode(400)
                .body("detail", startsWith("month: unknown parameter"));
        as(admin()).queryParam("months", "24").get("/v1/licenses/status-history").then().statusCode(200)
                .body("months", hasSize(25));
    }
}
