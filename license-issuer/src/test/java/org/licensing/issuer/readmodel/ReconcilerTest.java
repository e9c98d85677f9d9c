package org.licensing.issuer.readmodel;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.licensing.issuer.readmodel.ReadModelFixtures.*;
import static org.licensing.issuer.support.Api.*;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.licensing.issuer.audit.AuditAction;
import org.licensing.issuer.license.LicenseView;
import org.licensing.store.LicenseRecord;
import org.licensing.store.LicenseStore;
import org.licensing.testsupport.ServiceTest;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.path.json.JsonPath;

/**
 * The reconciler over changes a crash interrupted. A crash is staged with the service's own classes and tables: the
 * PENDING audit event as LicenseService writes it (after = the LicenseView of the changed record, backdated past the
 * bound), then the DynamoDB write through LicenseStore, or no write at all.
 */
@ServiceTest
class ReconcilerTest {

    @Inject
    LicenseStore store;

    @Inject
    ObjectMapper json;

    @Inject
    LicenseSummaryStore summaries;

    private record Staged(String licenseId, UUID eventId) {
    }

    private String fixturePolicy;
    private String fixtureCustomer;

    private JsonPath issued() {
        if (fixturePolicy == null) {
            fixturePolicy = createPolicy(createProduct(), Map.of("cuda.device", 8));
            fixtureCustomer = createCustomer(unique("Crash"), unique("crm"));
        }
        return issue(fixtureCustomer, fixturePolicy, Map.of("expiresAt", "2035-01-01T00:00:00Z"));
    }

    private LicenseRecord record(String id) {
        return store.find(id).join().orElseThrow();
    }

    /** The PENDING event LicenseService writes before its DynamoDB write, occurred {@code age} ago. */
    private UUID pending(AuditAction action, LicenseRecord before, LicenseRecord after, Duration age) throws Exception {
        UUID id = UUID.randomUUID();
        update("INSERT INTO audit_events (id, occurred_at, actor, action, target_type, target_id, customer_id,"
                + " before_state, after_state, outcome) VALUES (?, ?, 'crash@vendor.example', ?, 'LICENSE', ?, ?, ?,"
                + " ?, 'PENDING')", id, OffsetDateTime.now(ZoneOffset.UTC).minus(age), action.name(),
                after.licenseId(), after.customerId(), before == null ? null : json.writeValueAsString(
                        LicenseView.of(before)), json.writeValueAsString(LicenseView.of(after)));
        return id;
    }

    /** A renew whose DynamoDB write happened, and whose PostgreSQL commit did not. */
    private Staged interruptedRenew(Duration age, boolean reachedDynamo) throws Exception {
        String id = issued().getString("licenseId");
        LicenseRecord current = record(id);
        LicenseRecord renewed = current.withExpiry(current.expiresAt().plus(30, ChronoUnit.DAYS), null,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        UUID event = pending(AuditAction.LICENSE_RENEWED, current, renewed, age);
        if (reachedDynamo) {
            store.update(renewed).join();
        }
        return new Staged(id, event);
    }

    /** An issue whose DynamoDB put happened (or not), and whose PostgreSQL commit did not. */
    private Staged interruptedIssue(Duration age, boolean reachedDynamo) throws Exception {
        LicenseRecord template = record(issued().getString("licenseId"));
        LicenseRecord fresh = template.toBuilder().licenseId(UUID.randomUUID().toString()).version(1).build();
        UUID event = pending(AuditAction.LICENSE_ISSUED, null, fresh, age);
        if (reachedDynamo) {
            store.create(fresh).join();
        }
        return new Staged(fresh.licenseId(), event);
    }

    private static String outcome(UUID event) {
        return rows("SELECT outcome FROM audit_events WHERE id = ?", event).get(0).get("outcome");
    }

    private static List<Map<String, String>> summary(String licenseId) {
        return rows("SELECT version, expires_at, status, customer_external_id FROM license_summaries"
                + " WHERE license_id = ?", licenseId);
    }

    private static JsonPath reconcile(String olderThan) {
        return as(admin()).queryParam("olderThan", olderThan).post("/v1/admin/reconcile").then().statusCode(200)
                .extract().jsonPath();
    }

    @Test
    void anInterruptedChangeEndsCommittedWithItsSummaryAndAnUnwrittenOneFailed() throws Exception {
        Duration age = Duration.ofHours(20);
        Staged renewed = interruptedRenew(age, true);
        Staged notRenewed = interruptedRenew(age, false);
        Staged issuedOnly = interruptedIssue(age, true);
        Staged neverIssued = interruptedIssue(age, false);
        // a change that lost the race: another change wrote the version this one meant to write
        Staged lost = interruptedRenew(age, false);
        as(admin()).post("/v1/licenses/" + lost.licenseId() + "/suspend").then().statusCode(200);
        // the summary still shows version 1 of the renewed licenses: the reconciler has not run
        assertEquals("1", summary(renewed.licenseId()).get(0).get("version"));
        assertEquals(List.of(), summary(issuedOnly.licenseId()));
        // an event younger than the bound is left alone
        Staged young = interruptedRenew(Duration.ZERO, true);

        JsonPath run = reconcile("PT19H");
        assertTrue(run.getInt("committed") >= 2 && run.getInt("failed") >= 3, run.prettify());
        assertEquals("PT19H", run.getString("olderThan"));

        assertEquals("COMMITTED", outcome(renewed.eventId()));
        assertEquals("2", summary(renewed.licenseId()).get(0).get("version"));
        as(admin()).queryParam("q", renewed.licenseId()).get("/v1/licenses").then()
                .body("items[0].expiresAt", is("2035-01-31T00:00:00Z")).body("items[0].version", is(2));
        assertEquals("COMMITTED", outcome(issuedOnly.eventId()));
        Map<String, String> issuedSummary = summary(issuedOnly.licenseId()).get(0);
        assertEquals("1", issuedSummary.get("version"));
        assertTrue(issuedSummary.get("customer_external_id").startsWith("crm-"));

        assertEquals("FAILED", outcome(notRenewed.eventId()));
        assertEquals("1", summary(notRenewed.licenseId()).get(0).get("version"));
        assertEquals("FAILED", outcome(neverIssued.eventId()));
        assertEquals(List.of(), summary(neverIssued.licenseId()));
        assertEquals("FAILED", outcome(lost.eventId()));
        assertEquals("SUSPENDED", summary(lost.licenseId()).get(0).get("status"));

        assertEquals("PENDING", outcome(young.eventId()));
        // the default bound (2 minutes) leaves it too; PT0S completes it
        reconcile("");
        assertEquals("PENDING", outcome(young.eventId()));
        reconcile("PT0S");
        assertEquals("COMMITTED", outcome(young.eventId()));

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("licensing_reconciler_events_total{outcome=\"committed\""));
        as(admin()).queryParam("olderThan", "ten minutes").post("/v1/admin/reconcile").then().statusCode(400)
                .body("detail", startsWith("olderThan:"));
        as(portal(fixtureCustomer)).post("/v1/admin/reconcile").then().statusCode(403);
        assertEquals(List.of(), countersOffBy());
    }

    @Test
    void twoReconcilersAtOnceCompleteEachEventOnce() throws Exception {
        Duration age = Duration.ofHours(40);
        List<Staged> staged = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            staged.add(interruptedIssue(age, i % 2 == 0));
            staged.add(interruptedRenew(age, i % 2 == 1));
        }
        long pendingBefore = readinessPending();
        assertTrue(pendingBefore >= staged.size(), "readiness reports them: " + pendingBefore);

        CompletableFuture<JsonPath> first = CompletableFuture.supplyAsync(() -> reconcile("PT39H"));
        CompletableFuture<JsonPath> second = CompletableFuture.supplyAsync(() -> reconcile("PT39H"));
        JsonPath a = first.join();
        JsonPath b = second.join();
        int completed = a.getInt("committed") + a.getInt("failed") + b.getInt("committed") + b.getInt("failed");
        assertEquals(staged.size(), completed, "each event completed exactly once: " + a.prettify() + b.prettify());
        assertEquals(0, a.getInt("errors") + b.getInt("errors"));
        assertEquals(8, a.getInt("committed") + b.getInt("committed"));
        for (int i = 0; i < staged.size(); i++) {
            Staged s = staged.get(i);
            boolean written = (i / 2) % 2 == (i % 2 == 0 ? 0 : 1);
            assertEquals(written ? "COMMITTED" : "FAILED", outcome(s.eventId()), "event " + i);
            assertEquals(1, rows("SELECT completed_at FROM audit_events WHERE id = ? AND completed_at IS NOT NULL",
                    s.eventId()).size());
        }
        assertEquals(pendingBefore - staged.size(), readinessPending());
        // nothing left for a third run
        JsonPath third = reconcile("PT39H");
        assertEquals(0, third.getInt("examined"));
    }

    /**
     * Another run holds one event (its row lock, as a replica in the middle of completing it would): this run skips
     * it (FOR UPDATE SKIP LOCKED) instead of waiting or completing it a second time, completes the rest, and the event
     * is completed by a later run once the lock is gone.
     */
    @Test
    void anEventLockedByAnotherRunIsSkipped() throws Exception {
        Duration age = Duration.ofHours(60);
        Staged held = interruptedRenew(age, true);
        Staged free = interruptedRenew(age, true);
        try (Connection other = db()) {
            other.setAutoCommit(false);
            try (PreparedStatement lock = other.prepareStatement("SELECT id FROM audit_events WHERE id = ?"
                    + " FOR UPDATE")) {
                lock.setObject(1, held.eventId());
                lock.executeQuery().close();
            }
            JsonPath run = reconcile("PT59H");
            assertEquals(1, run.getInt("skipped"), run.prettify());
            assertEquals(1, run.getInt("committed"), run.prettify());
            assertEquals("PENDING", outcome(held.eventId()));
            assertEquals("COMMITTED", outcome(free.eventId()));
            assertEquals("1", summary(held.licenseId()).get(0).get("version"));
            other.rollback();
        }
        JsonPath later = reconcile("PT59H");
        assertEquals(0, later.getInt("skipped"), later.prettify());
        assertEquals("COMMITTED", outcome(held.eventId()));
        assertEquals("2", summary(held.licenseId()).get(0).get("version"));
        assertEquals(List.of(), countersOffBy());
    }

    /**
     * The record is at a later version than the event meant: some change of the event's version happened and later
     * ones were built on it. It was this one (COMMITTED) unless another COMMITTED event of the license has that
     * version (FAILED).
     */
    @Test
    void aLaterVersionIsCommittedUnlessAnotherCommittedEventHasIt() throws Exception {
        Duration age = Duration.ofHours(30);
        // the renew wrote version 2, then a suspend (its own event COMMITTED) wrote version 3 on top of it
        Staged builtOn = interruptedRenew(age, true);
        as(admin()).post("/v1/licenses/" + builtOn.licenseId() + "/suspend").then().statusCode(200)
                .body("version", is(3));
        // the renew never wrote: a suspend took version 2 (COMMITTED), a reinstate version 3
        Staged taken = interruptedRenew(age, false);
        as(admin()).post("/v1/licenses/" + taken.licenseId() + "/suspend").then().statusCode(200)
                .body("version", is(2));
        as(admin()).post("/v1/licenses/" + taken.licenseId() + "/reinstate").then().statusCode(200)
                .body("version", is(3));

        reconcile("PT29H");
        assertEquals("COMMITTED", outcome(builtOn.eventId()));
        assertEquals("FAILED", outcome(taken.eventId()));
        // the summaries stay at the record's version 3 (the upsert never goes back)
        assertEquals("3", summary(builtOn.licenseId()).get(0).get("version"));
        assertEquals("SUSPENDED", summary(builtOn.licenseId()).get(0).get("status"));
        assertEquals("3", summary(taken.licenseId()).get(0).get("version"));
        assertEquals("ACTIVE", summary(taken.licenseId()).get(0).get("status"));
    }

    /**
     * A slow request, not a dead one: the reconciler found no write and marked its event FAILED, then the request's
     * DynamoDB write landed and its own commit ran: the request's outcome wins (COMMITTED, with its summary).
     */
    @Test
    void aRequestFinishingAfterTheBoundOverridesFailed() throws Exception {
        String id = issued().getString("licenseId");
        LicenseRecord current = record(id);
        LicenseRecord renewed = current.withExpiry(current.expiresAt().plus(60, ChronoUnit.DAYS), null,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        UUID event = pending(AuditAction.LICENSE_RENEWED, current, renewed, Duration.ofHours(50));
        reconcile("PT49H");
        assertEquals("FAILED", outcome(event));
        assertEquals("1", summary(id).get(0).get("version"));

        store.update(renewed).join();
        summaries.commit(event, renewed, Instant.now()).await().indefinitely();
        assertEquals("COMMITTED", outcome(event));
        assertEquals("2", summary(id).get(0).get("version"));
        as(admin()).queryParam("q", id).get("/v1/licenses").then().body("items[0].expiresAt",
                is("2035-03-02T00:00:00Z"));
        assertEquals(List.of(), countersOffBy());
    }

    private static long readinessPending() {
        return given().get("/q/health/ready").then().statusCode(200).extract().jsonPath()
                .getLong("checks.find { it.name == 'licensing-backends' }.data.auditEventsPendingUnreconciled");
    }
}
