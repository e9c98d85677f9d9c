package org.licensing.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.licensing.core.license.LicenseStatus;

import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The event outbox on a real DynamoDB API (dynalite): an event is written by the change's own conditional write or
 * not at all; the sparse index shows exactly the items with pending events; the importer's removal takes what it
 * imported and nothing else, also when events arrive meanwhile or two importers remove at once; the bound.
 */
class EventOutboxStoreTest {

    private static DynamoDbAsyncClient dynamo;
    private static LicenseStore licenses;
    private static EventOutboxStore outbox;

    @BeforeAll
    static void start() {
        dynamo = TestTable.dynamo();
        licenses = new LicenseStore(dynamo, LicenseTable.DEFAULT_NAME);
        outbox = new EventOutboxStore(dynamo, LicenseTable.DEFAULT_NAME);
    }

    private static LicenseRecord newLicense() {
        LicenseRecord l = LicenseStoreTest.license(UUID.randomUUID().toString(), "cust-" + UUID.randomUUID(),
                Instant.parse("2027-03-01T10:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"));
        licenses.create(l).join();
        return l;
    }

    private static OutboxEvent event(LicenseRecord l, String type) {
        return new OutboxEvent(UUID.randomUUID().toString(), type, Instant.now().truncatedTo(ChronoUnit.MILLIS),
                "license", l.licenseId(), l.licenseId(), l.customerId(), "{\"licenseId\":\"" + l.licenseId() + "\"}");
    }

    /** A change (a status flag here) and its event in one conditional UpdateItem, as the services write them. */
    private static void changeWithEvent(LicenseRecord l, String expectedStatus, OutboxEvent e) {
        String pk = LicenseTable.licensePk(l.licenseId());
        EventOutbox.Fragment f = EventOutbox.append(pk, List.of(e), Instant.now());
        Map<String, String> names = new HashMap<>(f.names());
        names.put("#status", LicenseTable.STATUS);
        names.put("#flag", "testFlag");
        Map<String, AttributeValue> values = new HashMap<>(f.values());
        values.put(":status", AttributeValue.fromS(expectedStatus));
        values.put(":flag", AttributeValue.fromS(e.id()));
        dynamo.updateItem(UpdateItemRequest.builder().tableName(LicenseTable.DEFAULT_NAME)
                .key(Map.of(LicenseTable.PK, AttributeValue.fromS(pk)))
                .updateExpression(f.joinInto("#flag = :flag", null)).conditionExpression("#status = :status")
                .expressionAttributeNames(names).expressionAttributeValues(values).build()).join();
    }

    private static Optional<EventOutboxStore.PendingItem> pendingOf(LicenseRecord l) {
        String pk = LicenseTable.licensePk(l.licenseId());
        int shard = Integer.parseInt(EventOutbox.shardOf(pk));
        String cursor = null;
        do {
            EventOutboxStore.PendingPage page = outbox.pending(shard, 50, cursor).join();
            for (EventOutboxStore.PendingItem i : page.items()) {
                if (i.pk().equals(pk)) {
                    return Optional.of(i);
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        return Optional.empty();
    }

    @Test
    void anEventIsWrittenByItsChangesConditionalWriteOrNotAtAll() {
        LicenseRecord l = newLicense();
        assertTrue(pendingOf(l).isEmpty(), "a license without events is not in the index");

        OutboxEvent refused = event(l, "machine.activated");
        CompletionException e = assertThrows(CompletionException.class, () -> changeWithEvent(l, "REVOKED", refused));
        assertTrue(e.getCause() instanceof ConditionalCheckFailedException);
        assertTrue(pendingOf(l).isEmpty(), "a change whose condition failed wrote no event");

        OutboxEvent first = event(l, "machine.activated");
        OutboxEvent second = event(l, "machine.deactivated");
        changeWithEvent(l, "ACTIVE", first);
        changeWithEvent(l, "ACTIVE", second);
        EventOutboxStore.PendingItem pending = pendingOf(l).orElseThrow();
        assertEquals(List.of(first, second), pending.events(), "both, in the order written");
        assertEquals(2, licenses.find(l.licenseId()).join().orElseThrow().pendingEvents());

        // the issuer's own writes leave the outbox alone
        LicenseRecord read = licenses.find(l.licenseId()).join().orElseThrow();
        licenses.update(read.withStatus(LicenseStatus.SUSPENDED, Instant.now().truncatedTo(ChronoUnit.MILLIS))).join();
        assertEquals(List.of(first, second), pendingOf(l).orElseThrow().events());

        assertTrue(outbox.remove(pending, Instant.now()).join(), "all imported: the item leaves the index");
        assertTrue(pendingOf(l).isEmpty());
        assertEquals(0, licenses.find(l.licenseId()).join().orElseThrow().pendingEvents());
        assertTrue(outbox.remove(pending, Instant.now()).join() || pendingOf(l).isEmpty(), "removing again is harmless");
        assertTrue(pendingOf(l).isEmpty());
    }

    @Test
    void eventsWrittenAfterTheImportersReadStayForTheNextImport() {
        LicenseRecord l = newLicense();
        OutboxEvent a = event(l, "machine.activated");
        OutboxEvent b = event(l, "machine.activated");
        changeWithEvent(l, "ACTIVE", a);
        changeWithEvent(l, "ACTIVE", b);
        EventOutboxStore.PendingItem read = pendingOf(l).orElseThrow();
        OutboxEvent c = event(l, "machine.deactivated");
        changeWithEvent(l, "ACTIVE", c);

        assertFalse(outbox.remove(read, Instant.now()).join(), "c is still pending: the item stays in the index");
        EventOutboxStore.PendingItem left = pendingOf(l).orElseThrow();
        assertEquals(List.of(c), left.events());
        assertTrue(outbox.remove(left, Instant.now()).join());
        assertTrue(pendingOf(l).isEmpty());
    }

    @Test
    void twoImportersRemovingAtOnceRemoveEachEventOnceAndNothingElse() {
        for (int round = 0; round < 5; round++) {
            LicenseRecord l = newLicense();
            List<OutboxEvent> written = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                OutboxEvent e = event(l, "machine.activated");
                changeWithEvent(l, "ACTIVE", e);
                written.add(e);
            }
            EventOutboxStore.PendingItem first = pendingOf(l).orElseThrow();
            EventOutboxStore.PendingItem second = pendingOf(l).orElseThrow();
            OutboxEvent late = event(l, "machine.deactivated");
            CompletableFuture<Boolean> one = outbox.remove(first, Instant.now());
            changeWithEvent(l, "ACTIVE", late);
            CompletableFuture<Boolean> two = outbox.remove(second, Instant.now());
            CompletableFuture.allOf(one, two).join();
            assertEquals(List.of(late), pendingOf(l).orElseThrow().events(), "round " + round);
        }
    }

    @Test
    void aFullOutboxCountsTheEventInsteadOfGrowingAndTheImporterTakesTheCountBack() {
        LicenseRecord l = newLicense();
        String pk = LicenseTable.licensePk(l.licenseId());
        EventOutbox.Fragment full = EventOutbox.appendOrDrop(pk, EventOutbox.MAX_PENDING, List.of(event(l, "x.y")),
                Instant.now());
        assertEquals(Map.of("#obDropped", LicenseTable.OUTBOX_DROPPED), full.names());
        Map<String, String> names = new HashMap<>(full.names());
        dynamo.updateItem(UpdateItemRequest.builder().tableName(LicenseTable.DEFAULT_NAME)
                .key(Map.of(LicenseTable.PK, AttributeValue.fromS(pk))).updateExpression(full.joinInto(null, null))
                .expressionAttributeNames(names).expressionAttributeValues(full.values()).build()).join();
        assertTrue(pendingOf(l).isEmpty(), "a dropped event alone does not put the item in the index");
        // next to a pending event the importer sees the count and takes it back with the events
        outbox.append(pk, List.of(event(l, "machine.activated")), Instant.now()).join();
        EventOutboxStore.PendingItem pending = pendingOf(l).orElseThrow();
        assertEquals(1, pending.dropped());
        assertTrue(outbox.remove(pending, Instant.now()).join());
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(LicenseTable.DEFAULT_NAME)
                .key(Map.of(LicenseTable.PK, AttributeValue.fromS(pk))).consistentRead(true)).join().item();
        assertEquals(0, EventOutbox.droppedOf(item));
        assertFalse(item.containsKey(LicenseTable.OUTBOX_SHARD));
        assertEquals(List.of(), EventOutbox.eventsOf(item));
    }
}
