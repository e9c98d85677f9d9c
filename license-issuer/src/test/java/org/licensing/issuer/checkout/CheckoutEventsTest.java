package org.licensing.issuer.checkout;

import static org.junit.jupiter.api.Assertions.*;
import static org.licensing.issuer.support.Api.admin;
import static org.licensing.issuer.support.Api.as;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.licensing.issuer.audit.AuditAction;
import org.licensing.issuer.readmodel.ReadModelFixtures;
import org.licensing.store.Checkout;
import org.licensing.store.CheckoutStore;
import org.licensing.store.LicenseRecord;
import org.licensing.store.LicenseStore;
import org.licensing.testsupport.ServiceTest;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.path.json.JsonPath;

/**
 * A checkout and its return are events of the feed, about the checkout, with the Checkout view as data; a checkout
 * interrupted between its PENDING audit event and its commit is published by the reconciler, once.
 */
@ServiceTest
class CheckoutEventsTest {

    @Inject
    LicenseStore store;

    @Inject
    CheckoutStore checkouts;

    @Inject
    ObjectMapper json;

    @Test
    void aCheckoutAndItsReturnArePublished() {
        Checkouts.License l = Checkouts.license(2, false);
        String fp = Checkouts.fingerprint();
        String checkoutId = Checkouts.checkOut(l, fp).then().statusCode(201).extract().path("checkoutId");
        Map<String, Object> returned = as(admin()).delete("/v1/licenses/" + l.id() + "/checkouts/" + fp).then()
                .statusCode(200).extract().jsonPath().getMap("");

        JsonPath feed = as(admin()).queryParam("licenseId", l.id()).get("/v1/events").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of("license.issued", "checkout.created", "checkout.returned"), feed.getList("items.type"));
        assertEquals(Map.of("type", "checkout", "id", checkoutId), feed.getMap("items[1].subject"));
        assertEquals(fp, feed.getString("items[1].data.fingerprint"));
        assertEquals("ACTIVE", feed.getString("items[1].data.state"));
        assertEquals(returned, feed.getMap("items[2].data"));
        assertEquals(List.of(l.id(), l.id(), l.id()), feed.getList("items.licenseId"));
        // by subject: the checkout's two events
        assertEquals(2, as(admin()).queryParam("subjectType", "checkout").queryParam("subjectId", checkoutId)
                .get("/v1/events").then().statusCode(200).extract().jsonPath().getList("items").size());
    }

    @Test
    void aCheckoutIsPendingBeforeItsWriteAndCommittedAfter() {
        Checkouts.License l = Checkouts.license(2, false);
        String fp = Checkouts.fingerprint();
        Checkouts.checkOut(l, fp).then().statusCode(201);
        Map<String, String> row = ReadModelFixtures.rows("SELECT outcome, occurred_at < completed_at AS later"
                + " FROM audit_events WHERE target_id = ? AND action = 'LICENSE_CHECKED_OUT'", l.id()).get(0);
        assertEquals("COMMITTED", row.get("outcome"));
        // written PENDING before the DynamoDB write, completed after it (a COMMITTED insert has both times equal)
        assertEquals("t", row.get("later"), row.toString());
    }

    /** The PENDING event CheckoutService writes before its DynamoDB write, {@code age} ago. */
    private UUID pending(LicenseRecord r, Checkout c, Duration age) throws Exception {
        UUID id = UUID.randomUUID();
        ReadModelFixtures.update("INSERT INTO audit_events (id, occurred_at, actor, action, target_type, target_id,"
                + " customer_id, after_state, outcome) VALUES (?, ?, 'crash@vendor.example', ?, 'LICENSE', ?, ?, ?,"
                + " 'PENDING')", id, OffsetDateTime.now(ZoneOffset.UTC).minus(age), AuditAction.LICENSE_CHECKED_OUT.name(),
                r.licenseId(), r.customerId(), json.writeValueAsString(CheckoutView.of(r.licenseId(), c, c.issuedAt())));
        return id;
    }

    private static String outcome(UUID event) {
        return ReadModelFixtures.rows("SELECT outcome FROM audit_events WHERE id = ?", event).get(0).get("outcome");
    }

    @Test
    void aCheckoutInterruptedAfterItsWriteIsPublishedOnceByTheReconciler() throws Exception {
        Checkouts.License l = Checkouts.license(3, false);
        LicenseRecord r = store.find(l.id()).join().orElseThrow();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Checkout written = new Checkout(Checkouts.fingerprint(), UUID.randomUUID().toString(),
                r.checkoutSequence() + 1, now, now.plus(Duration.ofDays(10)), null, "crashed-after-write");
        UUID writtenEvent = pending(r, written, Duration.ofHours(3));
        assertNotNull(checkouts.checkOut(l.id(), written, r.checkoutSequence(), r.maxActivations(), false).join());
        // a second request died before its write: its sequence number was never taken
        Checkout unwritten = new Checkout(Checkouts.fingerprint(), UUID.randomUUID().toString(),
                r.checkoutSequence() + 2, now, now.plus(Duration.ofDays(10)), null, "crashed-before-write");
        UUID unwrittenEvent = pending(r, unwritten, Duration.ofHours(3));

        JsonPath feed = as(admin()).queryParam("licenseId", l.id()).get("/v1/events").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of("license.issued"), feed.getList("items.type"), "nothing published while PENDING");

        for (int run = 0; run < 2; run++) {
            as(admin()).queryParam("olderThan", "PT2H").post("/v1/admin/reconcile").then().statusCode(200);
        }
        assertEquals("COMMITTED", outcome(writtenEvent));
        assertEquals("FAILED", outcome(unwrittenEvent));
        feed = as(admin()).queryParam("licenseId", l.id()).get("/v1/events").then().statusCode(200).extract()
                .jsonPath();
        assertEquals(List.of("license.issued", "checkout.created"), feed.getList("items.type"));
        assertEquals(writtenEvent.toString(), feed.getString("items[1].id"));
        assertEquals(written.checkoutId(), feed.getString("items[1].subject.id"));
        assertEquals(written.fingerprint(), feed.getString("items[1].data.fingerprint"));
    }
}
