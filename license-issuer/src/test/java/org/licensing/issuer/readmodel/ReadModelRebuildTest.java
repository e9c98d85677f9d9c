package org.licensing.issuer.readmodel;

import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.licensing.issuer.readmodel.ReadModelFixtures.*;
import static org.licensing.issuer.support.Api.*;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.licensing.store.LicensePage;
import org.licensing.store.LicenseStore;
import org.licensing.store.LicenseTable;
import org.licensing.testsupport.LocalBackends;
import org.licensing.testsupport.ServiceTest;

import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** POST /v1/admin/read-model/rebuild: the summaries come back exactly from DynamoDB, and a stalled rebuild resumes. */
@ServiceTest
class ReadModelRebuildTest {

    @Inject
    LicenseStore licenseStore;

    private static final String ALL_ROWS = "SELECT license_id, customer_id, customer_name, customer_external_id,"
            + " product_code, product_name, policy_id, status, issued_at, not_before, expires_at, grace_days, limits,"
            + " features, version, updated_at FROM license_summaries ORDER BY license_id";

    private static long licenseItemsInDynamo() {
        long n = 0;
        Map<String, AttributeValue> start = null;
        do {
            var page = LocalBackends.shared().dynamoDbClient().scan(ScanRequest.builder().tableName(LicenseTable.DEFAULT_NAME)
                    .filterExpression("begins_with(pk, :p)")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(LicenseTable.LICENSE_PREFIX)))
                    .exclusiveStartKey(start).build());
            n += page.count();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return n;
    }

    @Test
    void droppedSummariesComeBackTheSame() throws Exception {
        String product = createProduct();
        String policy = createPolicy(product, Map.of("cuda.device", 8, "cuda.shares", 0.125));
        String customer = createCustomer(unique("Rebuild"), unique("crm"));
        for (int i = 0; i < 5; i++) {
            issue(customer, policy, Map.of("expiresAt", "2036-01-0%dT00:00:00Z".formatted(i + 1)));
        }
        // one rebuild first: every license in DynamoDB has its summary (other tests stage records without one)
        as(admin()).post("/v1/admin/read-model/rebuild").then().statusCode(202).body("state", is("RUNNING"));
        assertEquals("DONE", awaitRebuild().getString("state"));
        List<Map<String, String>> before = rows(ALL_ROWS);
        assertEquals(licenseItemsInDynamo(), before.size());

        update("DELETE FROM license_summaries");
        assertEquals(List.of(), rows(ALL_ROWS));
        as(admin()).queryParam("productCode", product).get("/v1/licenses").then().body("items", hasSize(0));

        JsonPath started = as(admin()).post("/v1/admin/read-model/rebuild").then().statusCode(202).extract()
                .jsonPath();
        JsonPath done = awaitRebuild();
        assertEquals(started.getString("id"), done.getString("id"));
        assertEquals("DONE", done.getString("state"));
        assertEquals(before.size(), done.getLong("licenses"));
        assertTrue(done.getLong("pages") >= 1);
        assertNotNull(done.getString("finishedAt"));
        assertEquals(before, rows(ALL_ROWS));
        assertEquals(List.of(), countersOffBy());
        as(admin()).queryParam("productCode", product).get("/v1/licenses").then().body("items", hasSize(5));
    }

    /**
     * A rebuild that died after some pages stored a real position (the Scan's LastEvaluatedKey); its resumption reads
     * from there on: the licenses of the pages before it are not read again (their deleted summaries stay absent),
     * every license after it is back.
     */
    @Test
    void aResumedRebuildStartsAfterItsStoredPosition() throws Exception {
        String product = createProduct();
        String policy = createPolicy(product, Map.of("cpu", 3));
        String customer = createCustomer(unique("Position"), null);
        for (int i = 0; i < 4; i++) {
            issue(customer, policy, Map.of());
        }
        List<String> firstPages = new ArrayList<>();
        String position = null;
        do {
            LicensePage page = licenseStore.scanLicenses(2, position).join();
            page.licenses().forEach(l -> firstPages.add(l.licenseId()));
            position = page.nextCursor();
        } while (firstPages.isEmpty() && position != null);
        assertNotNull(position, "the table holds more than one Scan page of licenses");
        long total = licenseItemsInDynamo();
        assertTrue(total > firstPages.size());

        update("DELETE FROM license_summaries");
        // The stalled rebuild must be the latest one: earlier tests' rebuilds (DONE) started after its start time.
        update("DELETE FROM read_model_rebuilds");
        UUID stalled = UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        update("INSERT INTO read_model_rebuilds (id, state, started_at, updated_at, last_key, pages, licenses)"
                + " VALUES (?, 'RUNNING', ?, ?, ?, 1, ?)", stalled, now, now.minusHours(1), position,
                firstPages.size());
        as(admin()).post("/v1/admin/read-model/rebuild").then().statusCode(202).body("id", is(stalled.toString()));
        JsonPath done = awaitRebuild();
        assertEquals("DONE", done.getString("state"));
        assertEquals(total, done.getLong("licenses"), done.prettify());
        for (String id : firstPages) {
            assertEquals(List.of(), rows("SELECT license_id FROM license_summaries WHERE license_id = ?", id),
                    "read again: " + id);
        }
        assertEquals(Long.toString(total - firstPages.size()), rows("SELECT count(*) AS n FROM license_summaries")
                .get(0).get("n"));
        assertEquals(List.of(), countersOffBy());

        // a new rebuild reads everything again
        as(admin()).post("/v1/admin/read-model/rebuild").then().statusCode(202);
        assertEquals("DONE", awaitRebuild().getString("state"));
        assertEquals(Long.toString(total), rows("SELECT count(*) AS n FROM license_summaries").get(0).get("n"));
        assertEquals(List.of(), countersOffBy());
    }

    @Test
    void aRebuildWhoseReplicaDiedIsResumedAfterItsLastPage() throws Exception {
        String product = createProduct();
        String policy = createPolicy(product, Map.of("cpu", 2));
        String customer = createCustomer(unique("Resume"), null);
        for (int i = 0; i < 3; i++) {
            issue(customer, policy, Map.of());
        }
        update("DELETE FROM license_summaries WHERE product_code = ?", product);
        // a rebuild that stopped (its replica died) an hour ago, before its first page
        UUID stalled = UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        update("INSERT INTO read_model_rebuilds (id, state, started_at, updated_at, pages, licenses)"
                + " VALUES (?, 'RUNNING', ?, ?, 2, 400)", stalled, now, now.minusHours(1));
        JsonPath resumed = as(admin()).post("/v1/admin/read-model/rebuild").then().statusCode(202).extract()
                .jsonPath();
        assertEquals(stalled.toString(), resumed.getString("id"));
        JsonPath done = awaitRebuild();
        assertEquals(stalled.toString(), done.getString("id"));
        assertEquals("DONE", done.getString("state"));
        // its counters go on from where it stood
        assertTrue(done.getLong("pages") > 2 && done.getLong("licenses") >= 400 + 3, done.prettify());
        as(admin()).queryParam("productCode", product).get("/v1/licenses").then().body("items", hasSize(3));
        // only back-office admins rebuild
        as(portal(customer)).post("/v1/admin/read-model/rebuild").then().statusCode(403);
        as(backOffice("operator@vendor.example")).post("/v1/admin/read-model/rebuild").then().statusCode(403);
    }
}
