package org.licensing.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.licensing.core.license.Entitlements;
import org.licensing.core.license.LicenseStatus;

import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The store against a real DynamoDB API (dynalite, this class's own): the item round trip, conditional writes
 * (duplicate create, stale version), the partition-checked cursor of the expiry index's pages, and the resumable
 * scan of license items the issuer's read-model rebuild uses.
 */
class LicenseStoreTest {

    private static DynamoDbAsyncClient dynamo;
    private static LicenseStore store;

    @BeforeAll
    static void startDynamo() {
        dynamo = TestTable.dynamo();
        store = new LicenseStore(dynamo, LicenseTable.DEFAULT_NAME);
    }

    @Test
    void dynamoDbStoresReadsAndLocksLicenses() {
        LicenseRecord license = license(UUID.randomUUID().toString(), "cust-" + UUID.randomUUID(),
                Instant.parse("2027-03-01T10:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"));
        store.create(license).join();

        LicenseRecord read = store.find(license.licenseId()).join().orElseThrow();
        assertEquals(license, read);

        CompletionException duplicate = assertThrows(CompletionException.class, () -> store.create(license).join());
        assertTrue(duplicate.getCause() instanceof LicenseAlreadyExistsException);

        LicenseRecord suspended = read.withStatus(LicenseStatus.SUSPENDED, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        store.update(suspended).join();
        assertEquals(LicenseStatus.SUSPENDED, store.find(license.licenseId()).join().orElseThrow().status());
        assertEquals(2, store.find(license.licenseId()).join().orElseThrow().version());

        // A second change based on the first version loses.
        LicenseRecord stale = read.withStatus(LicenseStatus.REVOKED, Instant.now());
        CompletionException conflict = assertThrows(CompletionException.class, () -> store.update(stale).join());
        assertTrue(conflict.getCause() instanceof StaleVersionException);
        assertTrue(store.find(UUID.randomUUID().toString()).join().isEmpty());
    }

    @Test
    void theScanPagesThroughLicenseItemsOnlyAndResumesAfterAnyPage() {
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            LicenseRecord l = license(UUID.randomUUID().toString(), "cust-scan", Instant.parse("2027-01-01T00:00:00Z"),
                    Instant.now());
            store.create(l).join();
            created.add(l.licenseId());
        }
        // an item of another kind (idempotency, reminders) is never a license
        dynamo.putItem(b -> b.tableName(LicenseTable.DEFAULT_NAME).item(Map.of(LicenseTable.PK,
                AttributeValue.fromS("IDEMPOTENCY#scan-" + UUID.randomUUID())))).join();

        List<String> seen = new ArrayList<>();
        List<String> resumePoints = new ArrayList<>();
        Map<String, Integer> seenBefore = new java.util.HashMap<>();
        String after = null;
        do {
            LicensePage page = store.scanLicenses(3, after).join();
            page.licenses().forEach(l -> seen.add(l.licenseId()));
            after = page.nextCursor();
            if (after != null) {
                resumePoints.add(after);
                seenBefore.put(after, seen.size());
            }
        } while (after != null);
        assertEquals(seen.size(), new HashSet<>(seen).size(), "a license twice");
        assertTrue(seen.containsAll(created));
        // resuming from a stored position reads exactly the rest
        String middle = resumePoints.get(resumePoints.size() / 2);
        List<String> rest = new ArrayList<>();
        for (String from = middle; from != null; ) {
            LicensePage page = store.scanLicenses(3, from).join();
            page.licenses().forEach(l -> rest.add(l.licenseId()));
            from = page.nextCursor();
        }
        assertEquals(seen.subList(seenBefore.get(middle), seen.size()), rest);
    }

    @Test
    void theTableHasTheExpiryAndThePendingEventsIndexesOnly() {
        var request = LicenseTable.createTableRequest("t");
        assertEquals(List.of(LicenseTable.BY_EXPIRY_DAY_INDEX, LicenseTable.BY_PENDING_EVENTS_INDEX),
                request.globalSecondaryIndexes().stream().map(i -> i.indexName()).toList());
        assertEquals(Set.of(LicenseTable.PK, LicenseTable.EXPIRY_DAY, LicenseTable.EXPIRES_AT,
                LicenseTable.OUTBOX_SHARD, LicenseTable.OUTBOX_SINCE),
                new HashSet<>(request.attributeDefinitions().stream().map(a -> a.attributeName()).toList()));
    }

    @Test
    void expiryIndexReadsOnlyTheDaysBucket() {
        LocalDate day = LocalDate.of(2031, 5, 17);
        Instant noon = day.atTime(12, 0).toInstant(ZoneOffset.UTC);
        for (int i = 0; i < 4; i++) {
            store.create(license(UUID.randomUUID().toString(), "c", noon.plusSeconds(i), Instant.now())).join();
        }
        store.create(license(UUID.randomUUID().toString(), "c", noon.plusSeconds(86_400), Instant.now())).join();
        store.create(license(UUID.randomUUID().toString(), "c", noon.minusSeconds(86_400), Instant.now())).join();

        LicensePage page = store.allByExpiryDay(day).join();
        assertEquals(4, page.licenses().size());
        assertEquals(4, page.itemsRead());
        assertTrue(page.licenses().stream().allMatch(l -> l.expiryDay().equals(day)));
    }

    /**
     * Checkouts: the seat, the sequence and the entry in one conditional write; the sequence only goes up from the
     * value read; the seat limit counts activations and checkouts together; an issuer update never touches them; a
     * return frees the seat and keeps the entry; an ended checkout is pruned, a live one is not.
     */
    @Test
    void checkoutsTakeSeatsInOrder() {
        CheckoutStore checkouts = new CheckoutStore(dynamo, LicenseTable.DEFAULT_NAME);
        Instant now = Instant.parse("2026-06-01T00:00:00Z");
        LicenseRecord license = license(UUID.randomUUID().toString(), "cust-co", Instant.parse("2027-03-01T10:00:00Z"),
                now).toBuilder().maxActivations(2).activations(Map.of("online-1", new Activation("online-1", now, now)))
                .build();
        String id = license.licenseId();
        store.create(license).join();
        Checkout a = new Checkout("air-a", UUID.randomUUID().toString(), 1, now, now.plus(10, ChronoUnit.DAYS), null,
                "rack 1");
        LicenseRecord afterA = checkouts.checkOut(id, a, 0, 2, false).join();
        assertEquals(1, afterA.checkoutSequence());
        assertEquals(a, afterA.checkouts().get("air-a"));
        assertEquals(a.until(), afterA.activations().get("air-a").checkoutUntil());
        // The same sequence again (a concurrent writer read 0 too) fails; and no seat is left for another machine.
        Checkout b = new Checkout("air-b", UUID.randomUUID().toString(), 1, now, now.plus(5, ChronoUnit.DAYS), null,
                null);
        assertNull(checkouts.checkOut(id, b, 0, 3, false).join());
        assertNull(checkouts.checkOut(id, new Checkout("air-b", b.checkoutId(), 2, now, b.until(), null, null), 1, 2,
                false).join());
        // The same machine again keeps its seat.
        Checkout a2 = new Checkout("air-a", UUID.randomUUID().toString(), 2, now, now.plus(20, ChronoUnit.DAYS), null,
                null);
        assertEquals(2, checkouts.checkOut(id, a2, 1, 2, true).join().checkoutSequence());
        // An issuer change leaves the bookkeeping alone.
        store.update(afterA.withStatus(LicenseStatus.ACTIVE, now)).join();
        LicenseRecord read = store.find(id).join().orElseThrow();
        assertEquals(2, read.checkoutSequence());
        assertEquals(Set.of("online-1", "air-a"), read.activations().keySet());
        assertEquals(2, read.countingSeats(now).size());
        assertEquals(1, read.countingSeats(now.plus(21, ChronoUnit.DAYS)).size(), "an ended checkout does not count");
        // A live checkout is not pruned; a return frees the seat and keeps the entry, once.
        assertNull(checkouts.pruneSeats(id, List.of("air-a"), null, now).join());
        assertNull(checkouts.returnCheckout(id, "air-a", a.checkoutId(), now).join(), "an older checkout id");
        LicenseRecord returned = checkouts.returnCheckout(id, "air-a", a2.checkoutId(), now).join();
        assertEquals(Set.of("online-1"), returned.activations().keySet());
        assertEquals(now, returned.checkouts().get("air-a").returnedAt());
        assertNull(checkouts.returnCheckout(id, "air-a", a2.checkoutId(), now).join());
        // An unbound file takes a sequence number and no seat.
        assertEquals(3, checkouts.takeSequence(id, 2).join().checkoutSequence());
        assertNull(checkouts.takeSequence(id, 2).join());
        // The ended checkout of another machine is pruned.
        Checkout c = new Checkout("air-c", UUID.randomUUID().toString(), 4, now, now.plus(1, ChronoUnit.DAYS), null,
                null);
        checkouts.checkOut(id, c, 3, 2, false).join();
        assertEquals(Set.of("online-1"), checkouts.pruneSeats(id, List.of("air-c"), null, now.plus(2, ChronoUnit.DAYS))
                .join().activations().keySet());
    }

    static LicenseRecord license(String id, String customer, Instant expiresAt, Instant issuedAt) {
        Instant issued = issuedAt.truncatedTo(ChronoUnit.MILLIS);
        return LicenseRecord.builder().licenseId(id).keyHash("hash-" + id).customerId(customer)
                .customerName("Acme GmbH").productCode("GPU-CLUSTER").productName("GPU Cluster Manager")
                .policyId("policy-1").status(LicenseStatus.ACTIVE).issuedAt(issued).notBefore(issued)
                .expiresAt(expiresAt).graceDays(14).maxActivations(5).maxDeactivationsPerDay(3).overagePercent(10)
                .entitlements(new Entitlements(Map.of("sso", true), Map.of("cuda.device", new BigDecimal("64"),
                        "nodes", new BigDecimal("8"), "cuda.shares", new BigDecimal("12.25"))))
                .financeEmails(List.of("finance@acme.example")).updatedAt(issued).build();
    }
}
