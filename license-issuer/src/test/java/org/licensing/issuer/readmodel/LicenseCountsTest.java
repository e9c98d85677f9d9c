package org.licensing.issuer.readmodel;

import static org.junit.jupiter.api.Assertions.*;
import static org.licensing.issuer.readmodel.ReadModelFixtures.*;
import static org.licensing.issuer.support.Api.*;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.licensing.testsupport.ServiceTest;

/**
 * The stats counters (V6) stay exact: under concurrent issues and changes of one product (the same counter rows),
 * after an operator's DELETE, and through a rebuild racing with changes. Each check compares the counters with a count
 * of the summaries in one snapshot, and the stats of the counters with the stats that count rows, at the same instant.
 */
@ServiceTest
class LicenseCountsTest {

    @Inject
    LicenseSummaryStore store;

    private static final int CLIENTS = 8;
    private static final int PER_CLIENT = 6;

    private static String in(long days, long hours) {
        return Instant.now().plus(days, ChronoUnit.DAYS).plus(hours, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)
                .toString();
    }

    /** The stats of a search, read from the counters and (with a filter that matches everything) by counting rows. */
    private void assertBothWaysEqual(String productCode) {
        Instant now = Instant.now();
        SearchParams counted = new SearchParams();
        counted.productCode = productCode;
        SearchParams scanned = new SearchParams();
        scanned.productCode = productCode;
        scanned.issuedBefore = "2100-01-01T00:00:00Z";
        LicenseSearch fromCounters = LicenseSearch.parse(counted, Map.of());
        LicenseSearch fromRows = LicenseSearch.parse(scanned, Map.of());
        assertTrue(LicenseSummaryStore.fromCounters(fromCounters, null));
        assertFalse(LicenseSummaryStore.fromCounters(fromRows, null));
        assertEquals(store.stats(fromRows, null, now).await().indefinitely(),
                store.stats(fromCounters, null, now).await().indefinitely(), "product " + productCode);
    }

    @Test
    void countersStayExactUnderConcurrentChangesDeletesAndARebuild() throws Exception {
        String product = createProduct();
        String policy = createPolicy(product, Map.of("cpu", 4));
        String customer = createCustomer(unique("Counts"), null);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            // every client issues into the same product (the same counter rows), then changes its licenses
            List<Future<List<String>>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(pool.submit(() -> {
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < PER_CLIENT; i++) {
                        ids.add(issue(customer, policy, Map.of("expiresAt", in(3 + 11L * i, client)))
                                .getString("licenseId"));
                    }
                    as(admin()).post("/v1/licenses/" + ids.get(0) + "/suspend").then().statusCode(200);
                    as(admin()).post("/v1/licenses/" + ids.get(1) + "/revoke").then().statusCode(200);
                    as(admin()).body(Map.of("extendDays", 40)).post("/v1/licenses/" + ids.get(2) + "/renew").then()
                            .statusCode(200);
                    as(admin()).post("/v1/licenses/" + ids.get(3) + "/suspend").then().statusCode(200);
                    as(admin()).post("/v1/licenses/" + ids.get(3) + "/reinstate").then().statusCode(200);
                    return ids;
                }));
            }
            List<String> all = new ArrayList<>();
            for (Future<List<String>> f : clients) {
                all.addAll(f.get());
            }
            assertEquals(List.of(), countersOffBy());
            as(admin()).queryParam("productCode", product).get("/v1/licenses/stats").then().statusCode(200)
                    .body("byStatus.ACTIVE", org.hamcrest.Matchers.is(CLIENTS * (PER_CLIENT - 2)))
                    .body("byStatus.SUSPENDED", org.hamcrest.Matchers.is(CLIENTS))
                    .body("byStatus.REVOKED", org.hamcrest.Matchers.is(CLIENTS));
            assertBothWaysEqual(product);
            assertBothWaysEqual(null);

            // an operator's DELETE takes the counters down with the rows
            update("DELETE FROM license_summaries WHERE product_code = ?", product);
            assertEquals(List.of(), countersOffBy());
            as(admin()).queryParam("productCode", product).get("/v1/licenses/stats").then()
                    .body("byStatus.ACTIVE", org.hamcrest.Matchers.is(0))
                    .body("byProduct", org.hamcrest.Matchers.is(Map.of()));

            // a rebuild brings them back, while clients keep changing the same product's licenses
            as(admin()).post("/v1/admin/read-model/rebuild").then().statusCode(202);
            List<Future<?>> changes = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                String id = all.get(c * PER_CLIENT + 4);
                changes.add(pool.submit(() -> {
                    as(admin()).post("/v1/licenses/" + id + "/suspend").then().statusCode(200);
                    as(admin()).post("/v1/licenses/" + id + "/reinstate").then().statusCode(200);
                    return null;
                }));
            }
            for (Future<?> f : changes) {
                f.get();
            }
            assertEquals("DONE", awaitRebuild().getString("state"));
            assertEquals(List.of(), countersOffBy());
            as(admin()).queryParam("productCode", product).get("/v1/licenses/stats").then().statusCode(200)
                    .body("byStatus.ACTIVE", org.hamcrest.Matchers.is(CLIENTS * (PER_CLIENT - 2)))
                    .body("byStatus.SUSPENDED", org.hamcrest.Matchers.is(CLIENTS))
                    .body("byStatus.REVOKED", org.hamcrest.Matchers.is(CLIENTS));
            assertBothWaysEqual(product);
            assertBothWaysEqual(null);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTruncateEmptiesTheCountersAndARebuildRefillsThem() throws Exception {
        String product = createProduct();
        String policy = createPolicy(product, Map.of("cpu", 2));
        String customer = createCustomer(unique("Truncate"), null);
        for (int i = 0; i < 3; i++) {
            issue(customer, policy, Map.of("expiresAt", in(20 + i, 0)));
        }
        update("TRUNCATE license_summaries");
        assertEquals(List.of(), rows("SELECT * FROM license_counts WHERE licenses <> 0"));
        assertEquals(List.of(), rows("SELECT * FROM license_expiry_days WHERE licenses <> 0"));
        as(admin()).post("/v1/admin/read-model/rebuild").then().statusCode(202);
        assertEquals("DONE", awaitRebuild().getString("state"));
        assertEquals(List.of(), countersOffBy());
        assertEquals("3", rows("SELECT licenses FROM license_counts WHERE product_code = ? AND status = 'ACTIVE'",
                product).get(0).get("licenses"));
        assertBothWaysEqual(product);
        // nothing for a product nobody has
        assertBothWaysEqual("no-such-" + UUID.randomUUID().toString().substring(0, 8));
    }
}
