package org.licensing.notification.reminder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.licensing.core.license.LicenseStatus;
import org.licensing.notification.ledger.SendLedgerStore;
import org.licensing.notification.queue.ConsumerFactory;
import org.licensing.notification.support.Fixtures;
import org.licensing.notification.support.SesProxyResource;
import org.licensing.store.EventOutbox;
import org.licensing.store.LicenseRecord;
import org.licensing.store.LicenseStore;
import org.licensing.store.LicenseTable;
import org.licensing.store.OutboxEvent;
import org.licensing.testsupport.ServiceTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The notification service's events over the emulators (DynamoDB, SQS, SES): {@code license.expiring-soon} written by
 * the same write that marks its reminder SENT, once per (license, threshold, expiry) whatever the duplicates;
 * {@code license.expired} once per expiry of a license found past it (a second run, a second replica, a renewal).
 */
@ServiceTest
@WithTestResource(SesProxyResource.class)
class LicenseEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    LicenseStore store;

    @Inject
    ReminderRunService runs;

    @Inject
    ConsumerFactory consumers;

    @Inject
    ExpiredLicenses expired;

    @Inject
    DynamoDbAsyncClient dynamo;

    @BeforeEach
    void emptyQueues() {
        Fixtures.purgeQueues();
    }

    private List<OutboxEvent> outbox(String pk) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(store.table())
                .key(Map.of(LicenseTable.PK, AttributeValue.fromS(pk))).consistentRead(true)).join().item();
        return item == null ? List.of() : EventOutbox.eventsOf(item);
    }

    @Test
    void eachSentReminderCarriesOneExpiringSoonEventAlsoWhenTheRunRanTwice() throws Exception {
        LocalDate date = Fixtures.nextDate(LicenseEventsTest.class);
        LicenseRecord soon = Fixtures.license(date.plusDays(7), LicenseStatus.ACTIVE);
        LicenseRecord suspended = Fixtures.license(date.plusDays(7), LicenseStatus.SUSPENDED);
        store.create(soon).join();
        store.create(suspended).join();
        runs.run(date);
        runs.run(date);
        Fixtures.drain(consumers.create());

        String key = SendLedgerStore.reminderKey(soon.licenseId(), soon.expiryDay(), 7);
        List<OutboxEvent> events = new ArrayList<>(outbox(key));
        assertFalse(events.isEmpty(), "the SENT mark carries the event");
        assertEquals(1, events.stream().map(OutboxEvent::id).distinct().count(), "one event (a repeat has its id)");
        OutboxEvent e = events.get(0);
        assertEquals(OutboxEvent.idFor(key), e.id());
        assertEquals(LicenseEvents.LICENSE_EXPIRING_SOON, e.type());
        assertEquals("license", e.subjectType());
        assertEquals(soon.licenseId(), e.subjectId());
        assertEquals(soon.customerId(), e.customerId());
        JsonNode data = JSON.readTree(e.data());
        assertEquals(7, data.get("thresholdDays").asInt());
        assertEquals(soon.expiresAt().toString(), data.get("expiresAt").asText());
        assertTrue(outbox(SendLedgerStore.reminderKey(suspended.licenseId(), suspended.expiryDay(), 7)).isEmpty(),
                "no reminder, no event");
    }

    @Test
    void aLicenseFoundPastItsExpiryPublishesExpiredOncePerExpiry() throws Exception {
        LocalDate date = Fixtures.nextDate(LicenseEventsTest.class);
        LicenseRecord yesterday = Fixtures.license(date.minusDays(1), LicenseStatus.ACTIVE);
        LicenseRecord laterToday = Fixtures.license(date, LicenseStatus.ACTIVE);
        LicenseRecord revoked = Fixtures.license(date.minusDays(1), LicenseStatus.REVOKED);
        LicenseRecord longAgo = Fixtures.license(date.minusDays(10), LicenseStatus.ACTIVE);
        for (LicenseRecord l : List.of(yesterday, laterToday, revoked, longAgo)) {
            store.create(l).join();
        }
        Instant morning = date.atTime(6, 0).toInstant(java.time.ZoneOffset.UTC);

        // two replicas at once, then a repeated run: one event
        CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> expired.run(date, morning));
        CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> expired.run(date, morning));
        assertEquals(1, a.join() + b.join(), "yesterday's license only");
        assertEquals(0, expired.run(date, morning.plus(Duration.ofHours(1))));

        String key = SendLedgerStore.expiredKey(yesterday.licenseId(), yesterday.expiresAt());
        List<OutboxEvent> events = outbox(key);
        assertEquals(1, events.size());
        assertEquals(LicenseEvents.LICENSE_EXPIRED, events.get(0).type());
        assertEquals(yesterday.customerId(), events.get(0).customerId());
        assertEquals(yesterday.graceEndsAt().toString(), JSON.readTree(events.get(0).data()).get("graceEndsAt").asText());
        assertTrue(outbox(SendLedgerStore.expiredKey(revoked.licenseId(), revoked.expiresAt())).isEmpty());
        assertTrue(outbox(SendLedgerStore.expiredKey(longAgo.licenseId(), longAgo.expiresAt())).isEmpty(),
                "beyond the look-back");

        // the license expiring at noon today: found by the evening run
        assertEquals(1, expired.run(date, date.atTime(18, 0).toInstant(java.time.ZoneOffset.UTC)));
        assertEquals(1, outbox(SendLedgerStore.expiredKey(laterToday.licenseId(), laterToday.expiresAt())).size());
    }
}
