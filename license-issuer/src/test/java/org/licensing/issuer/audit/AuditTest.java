package org.licensing.issuer.audit;

import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.licensing.issuer.support.Api.*;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.licensing.issuer.support.Api;
import org.licensing.testsupport.ServiceTest;

import io.restassured.path.json.JsonPath;

@ServiceTest
class AuditTest {

    @Test
    void everyLicenseChangeIsAuditedWithActorBeforeAndAfter() {
        JsonPath issued = Api.fixture().issue();
        String id = issued.getString("licenseId");
        String ops = backOffice("ops@vendor.example");
        as(ops).body(Map.of("expectedVersion", 1, "extendDays", 30)).post("/v1/licenses/" + id + "/renew").then()
                .statusCode(200);
        as(ops).body(Map.of("expectedVersion", 1)).post("/v1/licenses/" + id + "/suspend").then().statusCode(409);
        as(ops).body(Map.of("expectedVersion", 2, "reason", "payment overdue")).post("/v1/licenses/" + id + "/suspend")
                .then().statusCode(200);
        as(ops).post("/v1/licenses/" + id + "/regenerate-key").then().statusCode(200);

        JsonPath events = as(admin()).queryParam("licenseId", id).get("/v1/audit-events").then().statusCode(200)
                .extract().jsonPath();
        List<String> actions = events.getList("action");
        assertEquals(List.of("LICENSE_KEY_REGENERATED", "LICENSE_SUSPENDED", "LICENSE_RENEWED", "LICENSE_ISSUED"),
                actions);
        assertEquals(List.of("COMMITTED", "COMMITTED", "COMMITTED", "COMMITTED"), events.getList("outcome"));
        assertEquals("admin@vendor.example", events.getString("[3].actor"));
        assertEquals("ops@vendor.example", events.getString("[2].actor"));
        assertNull(events.get("[3].before"));
        assertEquals(1, events.getInt("[3].after.version"));
        assertEquals(1, events.getInt("[2].before.version"));
        assertEquals(2, events.getInt("[2].after.version"));
        assertEquals("ACTIVE", events.getString("[1].before.status"));
        assertEquals("SUSPENDED", events.getString("[1].after.status"));
        assertEquals("payment overdue", events.getString("[1].reason"));
        assertNotNull(events.getString("[0].occurredAt"));
        assertNotNull(events.getString("[0].clientAddress"));
        String all = events.prettify();
        assertFalse(all.contains(issued.getString("licenseKey").substring(20)), "no key in the audit log");
        assertFalse(all.contains("licenseKey"), "no key in the audit log");
    }

    @Test
    void aRefusedConcurrentChangeLeavesAFailedEventNotACommittedOne() throws Exception {
        // Stale version detected by DynamoDB's conditional write (not the pre-check): provoke by racing.
        String id = Api.fixture().issue().getString("licenseId");
        String token = admin();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var calls = new java.util.ArrayList<java.util.concurrent.CompletableFuture<Integer>>();
            for (int i = 0; i < 4; i++) {
                calls.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> as(token)
                        .body(Map.of("extendDays", 1)).post("/v1/licenses/" + id + "/renew").statusCode(), pool));
            }
            long ok = calls.stream().map(java.util.concurrent.CompletableFuture::join).filter(c -> c == 200).count();
            JsonPath events = as(admin()).queryParam("licenseId", id).get("/v1/audit-events").then()
                    .extract().jsonPath();
            long committedRenewals = events.getList("findAll { it.action == 'LICENSE_RENEWED' }.outcome").stream()
                    .filter("COMMITTED"::equals).count();
            assertEquals(ok, committedRenewals);
            assertTrue(events.getList("outcome").stream().noneMatch("PENDING"::equals));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void catalogChangesAreAuditedToo() {
        String customer = createCustomer(unique("Audited"));
        as(admin()).get("/v1/audit-events").then().statusCode(200)
                .body("findAll { it.targetId == '" + customer + "' }.action", hasItem("CUSTOMER_CREATED"));
    }
}
