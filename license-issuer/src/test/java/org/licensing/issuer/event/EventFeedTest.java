package org.licensing.issuer.event;

import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.licensing.issuer.readmodel.ReadModelFixtures.rows;
import static org.licensing.issuer.readmodel.ReadModelFixtures.update;
import static org.licensing.issuer.support.Api.*;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.licensing.issuer.audit.AuditAction;
import org.licensing.issuer.license.LicenseView;
import org.licensing.issuer.support.Api;
import org.licensing.store.LicenseRecord;
import org.licensing.store.LicenseStore;
import org.licensing.testsupport.ServiceTest;
import org.licensing.testsupport.TestTokens;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.path.json.JsonPath;

/**
 * The event feed over the issuer's real changes (HTTP, PostgreSQL, DynamoDB emulator): every committed change once,
 * in commit order, with the API's view of the resource after the change; nothing for a refused change; the
 * reconciler's completion of an interrupted change publishes it then (and only then); the portal scope; cursors
 * that resume exactly; retention.
 */
@ServiceTest
class EventFeedTest {

    @Inject
    LicenseStore store;

    @Inject
    ObjectMapper json;

    @Inject
    EventRetention retention;

    private static JsonPath feed(String token, Map<String, ?> params) {
        return as(token).queryParams(params).get("/v1/events").then().statusCode(200).extract().jsonPath();
    }

    /** Every event matching {@code params} from the start, page by page (pages of {@code pageSize}). */
    private static List<Map<String, Object>> all(String token, Map<String, Object> params, int pageSize) {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, Object> p = new HashMap<>(params);
        p.put("limit", pageSize);
        while (true) {
            JsonPath page = feed(token, p);
            List<Map<String, Object>> items = page.getList("items");
            out.addAll(items);
            if (items.size() < pageSize) {
                return out;
            }
            p.put("cursor", page.getString("nextCursor"));
        }
    }

    private static Map<String, Object> withoutKey(Map<String, Object> answer) {
        Map<String, Object> view = new HashMap<>(answer);
        view.remove("licenseKey");
        return view;
    }

    @Test
    void everyChangeOfAStoryAppearsOnceInOrderWithTheApisViewAfterIt() {
        Api.Fixture f = Api.fixture();
        String token = admin();
        Map<String, Object> issued = f.issue().getMap("");
        String id = (String) issued.get("licenseId");
        String path = "/v1/licenses/" + id;
        List<Map<String, Object>> answers = new ArrayList<>();
        answers.add(withoutKey(issued));
        answers.add(as(token).body(Map.of("expectedVersion", 1, "extendDays", 30)).post(path + "/renew")
                .then().statusCode(200).extract().jsonPath().getMap(""));
        // refused (stale version): no event
        as(token).body(Map.of("expectedVersion", 1)).post(path + "/suspend").then().statusCode(409);
        answers.add(as(token).body(Map.of("reason", "payment overdue")).post(path + "/suspend")
                .then().statusCode(200).extract().jsonPath().getMap(""));
        // refused (not suspended any more after this one): no event
        answers.add(as(token).post(path + "/reinstate").then().statusCode(200).extract().jsonPath().getMap(""));
        as(token).post(path + "/reinstate").then().statusCode(409);
        Map<String, Object> regenerated = as(token).post(path + "/regenerate-key").then().statusCode(200)
                .extract().jsonPath().getMap("");
        answers.add(withoutKey(regenerated));
        answers.add(as(token).body(Map.of("reason", "contract ended")).post(path + "/revoke")
                .then().statusCode(200).extract().jsonPath().getMap(""));

        List<Map<String, Object>> events = all(token, Map.of("licenseId", id), 100);
        assertEquals(List.of("license.issued", "license.renewed", "license.suspended", "license.reinstated",
                "license.key-regenerated", "license.revoked"), events.stream().map(e -> e.get("type")).toList());
        for (int i = 0; i < events.size(); i++) {
            Map<String, Object> e = events.get(i);
            assertEquals(answers.get(i), e.get("data"), "event " + i + " carries the API's view after the change");
            assertEquals(Map.of("type", "license", "id", id), e.get("subject"));
            assertEquals(id, e.get("licenseId"));
            assertEquals(f.customerId(), e.get("customerId"));
            assertEquals(i + 1, ((Map<?, ?>) e.get("data")).get("version"));
            if (i > 0) {
                long before = ((Number) events.get(i - 1).get("sequence")).longValue();
                assertTrue(((Number) e.get("sequence")).longValue() > before, "commit order");
            }
        }
        assertEquals(events.size(), events.stream().map(e -> e.get("id")).distinct().count(), "ids are distinct");
        // the event id is the audit event's: stable, and what a receiver deduplicates on
        List<String> auditIds = rows("SELECT id::text AS id FROM audit_events WHERE target_id = ? AND outcome ="
                + " 'COMMITTED' ORDER BY occurred_at", id).stream().map(r -> r.get("id")).toList();
        assertEquals(auditIds, events.stream().map(e -> e.get("id")).toList());
        String text = feed(token, Map.of("licenseId", id)).prettify();
        assertFalse(text.contains("licenseKey"), "no key in any event");
        assertFalse(text.contains(((String) regenerated.get("licenseKey")).substring(20)), "no key in any event");

        // the catalog's changes too: the customer created with its view, then its contact
        List<Map<String, Object>> customer = all(token, Map.of("subjectType", "customer", "subjectId",
                f.customerId()), 100);
        assertEquals(List.of("customer.created", "customer.contact-added"),
                customer.stream().map(e -> e.get("type")).toList());
        Map<String, Object> customerView = as(token).get("/v1/customers/" + f.customerId()).then().statusCode(200)
                .extract().jsonPath().getMap("");
        assertEquals(customerView, customer.get(0).get("data"));
        assertEquals(1, all(token, Map.of("type", "product.created", "subjectType", "product", "subjectId",
                f.productCode()), 100).size());
    }

    @Test
    void theCursorResumesExactlyAndPagesNeitherRepeatNorSkip() {
        Api.Fixture f = Api.fixture();
        String token = admin();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(f.issue().getString("licenseId"));
        }
        Map<String, Object> mine = Map.of("customerId", f.customerId());
        List<Object> inOnePage = all(token, mine, 500).stream().map(e -> e.get("id")).toList();
        List<Object> inPagesOfTwo = all(token, mine, 2).stream().map(e -> e.get("id")).toList();
        assertEquals(inOnePage, inPagesOfTwo);
        // customer.created, customer.contact-added, 3 x license.issued
        assertEquals(5, inOnePage.size());

        // a consumer stops at a cursor, changes happen, it resumes: exactly the new events, once
        JsonPath head = feed(token, Map.of("customerId", f.customerId(), "limit", 500));
        String cursor = head.getString("nextCursor");
        assertEquals(head.getString("items[4].sequence"), cursor);
        as(token).post("/v1/licenses/" + ids.get(1) + "/suspend").then().statusCode(200);
        as(token).post("/v1/licenses/" + ids.get(0) + "/revoke").then().statusCode(200);
        JsonPath next = feed(token, Map.of("customerId", f.customerId(), "cursor", cursor));
        assertEquals(List.of("license.suspended", "license.revoked"), next.getList("items.type"));
        assertEquals(List.of(ids.get(1), ids.get(0)), next.getList("items.licenseId"));
        JsonPath after = feed(token, Map.of("customerId", f.customerId(), "cursor", next.getString("nextCursor")));
        assertEquals(List.of(), after.getList("items"));
        assertEquals(next.getString("nextCursor"), after.getString("nextCursor"), "an empty page keeps the cursor");
    }

    @Test
    void aReaderFollowingTheCursorNeverSkipsAnEventThatCommitsLate() throws Exception {
        Api.Fixture f = Api.fixture();
        String a = f.issue().getString("licenseId");
        String b = f.issue().getString("licenseId");
        String cursor = feed(admin(), Map.of("customerId", f.customerId(), "limit", 500)).getString("nextCursor");
        UUID late = UUID.randomUUID();
        java.util.concurrent.CompletableFuture<Integer> suspendB;
        List<Map<String, Object>> seen = new ArrayList<>();
        String next;
        try (java.sql.Connection db = org.licensing.issuer.readmodel.ReadModelFixtures.db()) {
            db.setAutoCommit(false);
            try (java.sql.Statement st = db.createStatement()) {
                // the publishing trigger runs now instead of at the commit: this transaction takes its sequence
                // number first and stays open, the slow transaction of the race
                st.execute("SET CONSTRAINTS ALL IMMEDIATE");
            }
            try (java.sql.PreparedStatement ps = db.prepareStatement("INSERT INTO audit_events (id, occurred_at,"
                    + " actor, action, target_type, target_id, customer_id, after_state, outcome) VALUES (?, now(),"
                    + " 'slow@vendor.example', 'LICENSE_SUSPENDED', 'LICENSE', ?, ?, ?, 'COMMITTED')")) {
                ps.setObject(1, late);
                ps.setString(2, a);
                ps.setString(3, f.customerId());
                ps.setString(4, "{\"licenseId\": \"" + a + "\", \"status\": \"SUSPENDED\"}");
                ps.executeUpdate();
            }
            // a change through the API commits meanwhile: it must not become visible ahead of the open one
            suspendB = java.util.concurrent.CompletableFuture.supplyAsync(() -> as(admin())
                    .post("/v1/licenses/" + b + "/suspend").statusCode());
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!suspendB.isDone() && Integer.parseInt(rows("SELECT count(*) AS n FROM pg_locks WHERE"
                    + " locktype = 'advisory' AND NOT granted").get(0).get("n")) == 0) {
                assertTrue(System.nanoTime() < deadline, "the API change neither finished nor waits");
                Thread.sleep(50);
            }
            // a consumer polls now, and moves its cursor past whatever it saw
            List<Map<String, Object>> first = all(admin(), Map.of("customerId", f.customerId(), "cursor", cursor),
                    500);
            seen.addAll(first);
            next = first.isEmpty() ? cursor : String.valueOf(first.get(first.size() - 1).get("sequence"));
            db.commit();
        }
        assertEquals(200, suspendB.get());
        seen.addAll(all(admin(), Map.of("customerId", f.customerId(), "cursor", next), 500));
        assertEquals(List.of(late.toString(), "license.suspended"), List.of(seen.get(0).get("id"),
                seen.get(1).get("type")), "both events, the one that took its number first first: " + seen);
        assertEquals(2, seen.size());
        assertEquals(b, seen.get(1).get("licenseId"));
    }

    @Test
    void aPortalTokenSeesOnlyItsOwnCustomersEvents() {
        Api.Fixture a = Api.fixture();
        Api.Fixture b = Api.fixture();
        String licenseA = a.issue().getString("licenseId");
        String licenseB = b.issue().getString("licenseId");
        String portalA = portal(a.customerId());

        List<Map<String, Object>> seen = all(portalA, Map.of(), 500);
        assertFalse(seen.isEmpty());
        assertTrue(seen.stream().allMatch(e -> a.customerId().equals(e.get("customerId"))),
                "only customer A's events, no product or policy events");
        assertTrue(seen.stream().anyMatch(e -> licenseA.equals(e.get("licenseId"))));
        // asking for B's customer or license answers nothing, never B's events
        assertEquals(List.of(), all(portalA, Map.of("customerId", b.customerId()), 500));
        assertEquals(List.of(), all(portalA, Map.of("licenseId", licenseB), 500));
        // the back office sees both
        assertEquals(1, all(admin(), Map.of("licenseId", licenseB), 500).size());
        // a token without a read role
        as(TestTokens.shared().backOffice("nobody@vendor.example")).get("/v1/events").then().statusCode(403);
    }

    @Test
    void anInterruptedChangeIsPublishedWhenTheReconcilerCommitsItAndARefusedOneNever() throws Exception {
        String id = Api.fixture().issue().getString("licenseId");
        LicenseRecord current = store.find(id).join().orElseThrow();
        LicenseRecord renewed = current.withExpiry(current.expiresAt().plus(30, ChronoUnit.DAYS), null,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        UUID event = UUID.randomUUID();
        // the crash: PENDING audit event written, DynamoDB written, the PostgreSQL commit never happened
        update("INSERT INTO audit_events (id, occurred_at, actor, action, target_type, target_id, customer_id,"
                + " before_state, after_state, outcome) VALUES (?, ?, 'crash@vendor.example', ?, 'LICENSE', ?, ?, ?,"
                + " ?, 'PENDING')", event, OffsetDateTime.now(ZoneOffset.UTC).minus(Duration.ofMinutes(5)),
                AuditAction.LICENSE_RENEWED.name(), id, current.customerId(),
                json.writeValueAsString(LicenseView.of(current)), json.writeValueAsString(LicenseView.of(renewed)));
        store.update(renewed).join();
        assertEquals(List.of("license.issued"), all(admin(), Map.of("licenseId", id), 100).stream()
                .map(e -> e.get("type")).toList(), "a PENDING change is not published");

        as(admin()).queryParam("olderThan", "PT1M").post("/v1/admin/reconcile").then().statusCode(200);
        List<Map<String, Object>> events = all(admin(), Map.of("licenseId", id), 100);
        assertEquals(List.of("license.issued", "license.renewed"), events.stream().map(e -> e.get("type")).toList());
        assertEquals(event.toString(), events.get(1).get("id"));
        assertEquals(renewed.expiresAt().toString(), ((Map<?, ?>) events.get(1).get("data")).get("expiresAt"));

        // the same audit row touched again (a late request's own commit): still one event
        update("UPDATE audit_events SET outcome = 'FAILED' WHERE id = ?", event);
        update("UPDATE audit_events SET outcome = 'COMMITTED' WHERE id = ?", event);
        assertEquals(2, all(admin(), Map.of("licenseId", id), 100).size());

        // an interrupted change that never reached DynamoDB ends FAILED: no event
        UUID lost = UUID.randomUUID();
        update("INSERT INTO audit_events (id, occurred_at, actor, action, target_type, target_id, customer_id,"
                + " before_state, after_state, outcome) VALUES (?, ?, 'crash@vendor.example', ?, 'LICENSE', ?, ?, ?,"
                + " ?, 'PENDING')", lost, OffsetDateTime.now(ZoneOffset.UTC).minus(Duration.ofMinutes(5)),
                AuditAction.LICENSE_SUSPENDED.name(), id, current.customerId(),
                json.writeValueAsString(LicenseView.of(renewed)), json.writeValueAsString(LicenseView.of(
                        renewed.withStatus(org.licensing.core.license.LicenseStatus.SUSPENDED, Instant.now()))));
        as(admin()).queryParam("olderThan", "PT1M").post("/v1/admin/reconcile").then().statusCode(200);
        assertEquals("FAILED", rows("SELECT outcome FROM audit_events WHERE id = ?", lost).get(0).get("outcome"));
        assertEquals(2, all(admin(), Map.of("licenseId", id), 100).size());
    }

    @Test
    void retentionDeletesOldEventsAndACursorBeforeThemIsRefused() {
        Api.Fixture f = Api.fixture();
        String old = f.issue().getString("licenseId");
        JsonPath before = feed(admin(), Map.of("licenseId", old));
        String oldCursor = "0";
        assertEquals(1, before.getList("items").size());

        // everything published before now + 1 s is past retention
        int deleted = retention.pruneBefore(Instant.now().plusSeconds(1)).await().indefinitely();
        assertTrue(deleted >= 1);
        assertEquals(List.of(), feed(admin(), Map.of("licenseId", old)).getList("items"));
        as(admin()).queryParam("cursor", oldCursor).get("/v1/events").then().statusCode(410)
                .contentType("application/problem+json")
                .body("type", equalTo("https://licensing.dev/problems/cursor-expired"));

        // without a cursor the feed starts after what was deleted, and new events follow
        String fresh = f.issue().getString("licenseId");
        JsonPath now = feed(admin(), Map.of());
        assertEquals(List.of(fresh), now.getList("items.licenseId"));
        as(admin()).queryParam("cursor", now.getString("nextCursor")).get("/v1/events").then().statusCode(200);
    }

    @Test
    void badParametersAreRefusedNamingThem() {
        String token = admin();
        as(token).queryParam("typ", "license.issued").get("/v1/events").then().statusCode(400)
                .body("detail", startsWith("typ:"));
        as(token).queryParam("type", "license.exploded").get("/v1/events").then().statusCode(400)
                .body("detail", startsWith("type:"));
        as(token).queryParam("cursor", "abc").get("/v1/events").then().statusCode(400)
                .body("type", equalTo("https://licensing.dev/problems/invalid-cursor"));
        as(token).queryParam("limit", "0").get("/v1/events").then().statusCode(400)
                .body("detail", startsWith("limit:"));
        as(token).queryParam("subjectId", "x").get("/v1/events").then().statusCode(400)
                .body("detail", startsWith("subjectId:"));
        as(token).queryParam("licenseId", "not-a-uuid").get("/v1/events").then().statusCode(400)
                .body("detail", startsWith("licenseId:"));
        as(token).queryParam("cursor", "1").queryParam("cursor", "2").get("/v1/events").then().statusCode(400);
    }
}
