package org.licensing.issuer.audit;

import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.licensing.issuer.support.Api.*;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.licensing.issuer.support.Api;
import org.licensing.testsupport.LocalBackends;
import org.licensing.testsupport.ServiceTest;

import io.restassured.path.json.JsonPath;

@ServiceTest
class AuditTest {

    @Test
    void everyLicenseChangeIsAuditedWithActorBeforeAndAfter() {
        JsonPath issued = Api.fixture().issue();
        String id = issued.getString("licenseId");
        String ops = backOffice("ops@vendor.example");
        as(ops).body(Map.of("expectedVersion", 1, "extendDays", 30, "reason", "PO 4711 paid"))
                .post("/v1/licenses/" + id + "/renew").then().statusCode(200);
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
        assertEquals("PO 4711 paid", events.getString("[2].reason"));
        assertNotNull(events.getString("[0].occurredAt"));
        assertNotNull(events.getString("[0].clientAddress"));
        String all = events.prettify();
        assertFalse(all.contains(issued.getString("licenseKey").substring(20)), "no key in the audit log");
        assertFalse(all.contains("licenseKey"), "no key in the audit log");
    }

    @Test
    void aRefusedConcurrentChangeLeavesAFailedEventNotACommittedOne() throws Exception {
        // Forced, not raced: two renewals without expectedVersion both read version 1, then wait on a lock this
        // test holds on audit_events (their PENDING insert comes between the read and the DynamoDB write). Once
        // both wait, the lock goes: both write conditioned on version 1, DynamoDB refuses one of them.
        String id = Api.fixture().issue().getString("licenseId");
        String token = admin();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try (Connection db = DriverManager.getConnection(LocalBackends.shared().jdbcUrl(), LocalBackends.DB_USER,
                LocalBackends.DB_PASSWORD)) {
            db.setAutoCommit(false);
            try (Statement lock = db.createStatement()) {
                lock.execute("LOCK TABLE audit_events IN EXCLUSIVE MODE");
            }
            var calls = new java.util.ArrayList<java.util.concurrent.CompletableFuture<io.restassured.response.Response>>();
            for (int i = 0; i < 2; i++) {
                calls.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> as(token)
                        .body(Map.of("extendDays", 1)).post("/v1/licenses/" + id + "/renew"), pool));
            }
            awaitInsertsWaitingOnTheLock(db, 2, calls);
            db.commit();

            List<Integer> statuses = calls.stream().map(java.util.concurrent.CompletableFuture::join)
                    .map(r -> r.statusCode()).sorted().toList();
            assertEquals(List.of(200, 409), statuses);
            calls.stream().map(java.util.concurrent.CompletableFuture::join).filter(r -> r.statusCode() == 409)
                    .forEach(r -> assertEquals("https://licensing.dev/problems/stale-version", r.path("type")));
            JsonPath events = as(admin()).queryParam("licenseId", id).get("/v1/audit-events").then()
                    .statusCode(200).extract().jsonPath();
            List<String> renewals = events.getList("findAll { it.action == 'LICENSE_RENEWED' }.outcome");
            assertEquals(1, renewals.stream().filter("COMMITTED"::equals).count(), renewals.toString());
            assertEquals(1, renewals.stream().filter("FAILED"::equals).count(), renewals.toString());
            assertTrue(events.getList("outcome").stream().noneMatch("PENDING"::equals));
            as(admin()).get("/v1/licenses/" + id).then().body("version", is(2));
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Waits (on the condition, bounded) until {@code n} sessions wait for the test's lock: only the audit insert
     * takes a lock that conflicts with it (pg_stat_activity then shows the session's last statement, not the insert).
     */
    private static void awaitInsertsWaitingOnTheLock(Connection db, int n,
            List<? extends java.util.concurrent.CompletableFuture<?>> calls) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        int waiting = 0;
        while (System.nanoTime() < deadline) {
            try (Statement q = db.createStatement(); ResultSet rs = q.executeQuery("SELECT count(*) FROM"
                    + " pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()")) {
                rs.next();
                waiting = rs.getInt(1);
            }
            if (waiting >= n) {
                return;
            }
            for (var call : calls) {
                if (call.isDone()) {
                    fail("a renewal ended before reaching its audit insert; sessions: " + sessions(db));
                }
            }
            Thread.sleep(20); // polling the condition, not a timed assertion
        }
        fail("only " + waiting + " of " + n + " renewals reached their audit insert; sessions: " + sessions(db));
    }

    private static List<String> sessions(Connection db) throws Exception {
        List<String> rows = new java.util.ArrayList<>();
        try (Statement q = db.createStatement(); ResultSet rs = q.executeQuery("SELECT state, wait_event_type,"
                + " wait_event, left(query, 80) FROM pg_stat_activity WHERE pid <> pg_backend_pid()")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getString(3) + ": " + rs.getString(4));
            }
        }
        return rows;
    }

    @Test
    void auditEventsAreFilteredAndPagedBackToTheOldest() {
        String actor = unique("auditor") + "@vendor.example";
        String token = org.licensing.testsupport.TestTokens.shared().backOffice(actor, Api.CATALOG, Api.READ);
        List<String> customers = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            customers.add(as(token).body(Map.of("name", unique("Paged " + i))).post("/v1/customers").then()
                    .statusCode(201).extract().path("id"));
        }
        as(token).body(Map.of("email", unique("ap") + "@acme.example", "role", "FINANCE"))
                .post("/v1/customers/" + customers.get(0) + "/contacts").then().statusCode(201);
        String product = unique("paged");
        as(token).body(Map.of("code", product, "name", "Paged")).post("/v1/products").then().statusCode(201);

        // three events a page, following Link rel="next" to the end: all nine, each once, newest first
        List<Map<String, Object>> seen = new java.util.ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            var answer = next == null
                    ? as(admin()).queryParam("actor", actor).queryParam("limit", 3).get("/v1/audit-events")
                    : as(admin()).urlEncodingEnabled(false).get(next); // the link is encoded already
            answer.then().statusCode(200);
            seen.addAll(answer.jsonPath().getList("$"));
            String link = answer.header("Link");
            next = link == null ? null : link.substring(link.indexOf('<') + 1, link.indexOf('>'));
            assertTrue(link == null || link.endsWith("rel=\"next\""), link);
            pages++;
        } while (next != null && pages < 10);
        assertEquals(9, seen.size(), "pages " + pages + ": " + seen);
        assertEquals(9, seen.stream().map(e -> e.get("id")).distinct().count());
        for (int i = 1; i < seen.size(); i++) {
            String newer = (String) seen.get(i - 1).get("occurredAt");
            String older = (String) seen.get(i).get("occurredAt");
            assertTrue(java.time.Instant.parse(newer).compareTo(java.time.Instant.parse(older)) >= 0, seen.toString());
        }
        assertEquals(customers.get(0), seen.get(8).get("targetId"));
        assertEquals("CUSTOMER_CREATED", seen.get(8).get("action"));
        assertEquals("PRODUCT_CREATED", seen.get(0).get("action"));

        as(admin()).queryParam("actor", actor).queryParam("action", "CUSTOMER_CREATED").get("/v1/audit-events")
                .then().statusCode(200).body("targetId", containsInAnyOrder(customers.toArray()))
                .header("Link", nullValue());
        as(admin()).queryParam("actor", actor).queryParam("targetType", "PRODUCT").get("/v1/audit-events")
                .then().body("targetId", contains(product));
        as(admin()).queryParam("customerId", customers.get(0)).get("/v1/audit-events").then()
                .body("action", contains("CONTACT_ADDED", "CUSTOMER_CREATED"));
        // from inclusive, to exclusive: the window [third oldest, newest) holds the 7th..2nd newest
        String from = (String) seen.get(6).get("occurredAt");
        String to = (String) seen.get(0).get("occurredAt");
        List<String> window = as(admin()).queryParam("actor", actor).queryParam("from", from).queryParam("to", to)
                .get("/v1/audit-events").then().statusCode(200).extract().path("id");
        assertEquals(seen.subList(1, 7).stream().map(e -> e.get("id")).toList(), window);

        as(admin()).queryParam("action", "LICENSE_EATEN").get("/v1/audit-events").then().statusCode(400)
                .body("detail", containsString("LICENSE_SUSPENDED"));
        as(admin()).queryParam("from", "yesterday").get("/v1/audit-events").then().statusCode(400)
                .body("type", is("https://licensing.dev/problems/invalid-date"));
        as(admin()).queryParam("cursor", "bm90LWEtY3Vyc29y").get("/v1/audit-events").then().statusCode(400)
                .body("type", is("https://licensing.dev/problems/invalid-cursor"));
    }

    @Test
    void catalogChangesAreAuditedToo() {
        String customer = createCustomer(unique("Audited"));
        as(admin()).get("/v1/audit-events").then().statusCode(200)
                .body("findAll { it.targetId == '" + customer + "' }.action", hasItem("CUSTOMER_CREATED"));
    }

    @Test
    void theAuditActorIsTheUserNameTheIdpGivesNotItsOpaqueSubject() {
        // A Keycloak access token: sub is an opaque UUID, preferred_username the name the user signs in with.
        long now = java.time.Instant.now().getEpochSecond();
        String keycloakUser = org.licensing.testsupport.TestTokens.shared().sign(Map.of(
                "iss", org.licensing.testsupport.TestTokens.ISSUER, "aud", List.of("license-issuer", "notification-service"),
                "sub", "24242036-d108-4fea-891f-7ac7b1e61a8e", "preferred_username", "operator",
                "groups", List.of("licenses:read", "licenses:write"), "iat", now, "exp", now + 600));
        String id = Api.fixture().issue().getString("licenseId");
        as(keycloakUser).body(Map.of("expectedVersion", 1, "reason", "card lost")).post("/v1/licenses/" + id + "/suspend")
                .then().statusCode(200);

        JsonPath events = as(admin()).queryParam("licenseId", id).get("/v1/audit-events").then().statusCode(200)
                .extract().jsonPath();
        assertEquals("LICENSE_SUSPENDED", events.getString("[0].action"));
        assertEquals("operator", events.getString("[0].actor"));
    }
}
