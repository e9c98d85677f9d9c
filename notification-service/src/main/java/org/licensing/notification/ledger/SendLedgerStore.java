package org.licensing.notification.ledger;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.licensing.store.EventOutbox;
import org.licensing.store.LicenseTable;
import org.licensing.store.OutboxEvent;

import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The send ledger: the bookkeeping that makes each email go out once. One item per email to send
 * ({@code REMINDER#...}, {@code DIGEST#...}; {@code EXPIRED#...} marks an expiry whose event was written) in the
 * licenses table, moved PENDING (claimed, with an owner and a lease)
 * to SENT by single-item conditional writes. They stay out of the expiry index (only license items carry its keys);
 * an item whose outbox holds an event is in the pending-events index until the issuer imports it.
 *
 * <p>A claim succeeds when no item exists, or when the item is PENDING and its lease has run out (its owner
 * crashed or gave up). So at most one sender holds a claim at a time; a crash after SES accepted the email but
 * before {@link #markSent} lets a later delivery send it again once the lease ends (at most one duplicate per
 * such crash; the README explains why this side).
 *
 * <p>Blocking: call it from worker threads (the consumer and REST workers), never from an event loop.
 */
public class SendLedgerStore {

    public static final String STATE = "state";
    public static final String OWNER = "owner";
    public static final String LEASE_UNTIL = "leaseUntil";
    public static final String ATTEMPTS = "attempts";
    public static final String SENT_AT = "sentAt";
    public static final String SES_MESSAGE_ID = "sesMessageId";
    public static final String RECIPIENTS = "recipients";
    public static final String PENDING = "PENDING";
    public static final String SENT = "SENT";
    /** The state of an {@code EXPIRED#} marker. */
    public static final String EXPIRED = "EXPIRED";
    /** Bookkeeping items are kept this long after their last write (infra may enable TTL on {@code ttl}). */
    public static final Duration RETENTION = Duration.ofDays(400);

    private final DynamoDbAsyncClient dynamo;
    private final String table;

    public SendLedgerStore(DynamoDbAsyncClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public static String reminderKey(String licenseId, LocalDate expiryDay, int thresholdDays) {
        return "REMINDER#" + licenseId + "#" + expiryDay + "#" + thresholdDays;
    }

    /** The marker of one expiry of a license: a renewal moves {@code expiresAt}, and the next expiry is another. */
    public static String expiredKey(String licenseId, Instant expiresAt) {
        return "EXPIRED#" + licenseId + "#" + expiresAt.toEpochMilli();
    }

    public static String digestKey(LocalDate date) {
        return "DIGEST#" + date;
    }

    /**
     * Claims the email {@code key} for {@code owner} until {@code now + lease}: {@link ClaimResult#CLAIMED} when no
     * one sent it and no live claim exists, else what stands in the way.
     */
    public SendClaim claim(String key, String owner, Instant now, Duration lease) {
        Instant leaseUntil = now.plus(lease);
        Map<String, String> names = names("#pk", "#state", "#owner", "#lease", "#ttl", "#attempts");
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pending", s(PENDING));
        values.put(":owner", s(owner));
        values.put(":lease", n(leaseUntil.toEpochMilli()));
        values.put(":now", n(now.toEpochMilli()));
        values.put(":one", n(1));
        values.put(":ttl", n(now.plus(RETENTION).getEpochSecond()));
        UpdateItemRequest update = UpdateItemRequest.builder()
                .tableName(table)
                .key(key(key))
                .updateExpression("SET #state = :pending, #owner = :owner, #lease = :lease, #ttl = :ttl"
                        + " ADD #attempts :one")
                .conditionExpression("attribute_not_exists(#pk) OR (#state = :pending AND #lease < :now)")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
        try {
            dynamo.updateItem(update).join();
            return new SendClaim(ClaimResult.CLAIMED, leaseUntil);
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof ConditionalCheckFailedException)) {
                throw e;
            }
        }
        GetItemResponse current = dynamo.getItem(b -> b.tableName(table).key(key(key)).consistentRead(true)).join();
        Map<String, AttributeValue> item = current.item();
        if (item != null && item.containsKey(STATE) && SENT.equals(item.get(STATE).s())) {
            return new SendClaim(ClaimResult.ALREADY_SENT, null);
        }
        Instant otherLease = item != null && item.containsKey(LEASE_UNTIL)
                ? Instant.ofEpochMilli(Long.parseLong(item.get(LEASE_UNTIL).n()))
                : now;
        return new SendClaim(ClaimResult.BUSY, otherLease);
    }

    /**
     * Records the send and whom it went to (to and cc, for the back office's reminder history). Returns false if
     * this owner had lost its claim (its lease ran out and another sender took over); the item is marked SENT
     * anyway, so no later delivery sends again.
     */
    public boolean markSent(String key, String owner, Instant now, String sesMessageId, List<String> recipients) {
        return markSent(key, owner, now, sesMessageId, recipients, null);
    }

    /**
     * {@link #markSent(String, String, Instant, String, List)} that also appends {@code event} (null: none) to the
     * item's outbox in the same write: the reminder's event exists exactly when the reminder is recorded as sent. The
     * event's id is derived from the key, so the write after a lost claim appends the same event, which the issuer's
     * import publishes once.
     */
    public boolean markSent(String key, String owner, Instant now, String sesMessageId, List<String> recipients,
            OutboxEvent event) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":sent", s(SENT));
        values.put(":now", n(now.toEpochMilli()));
        values.put(":msg", s(sesMessageId == null ? "" : sesMessageId));
        values.put(":to", AttributeValue.fromL(recipients.stream().map(SendLedgerStore::s).toList()));
        values.put(":owner", s(owner));
        values.put(":pending", s(PENDING));
        values.put(":ttl", n(now.plus(RETENTION).getEpochSecond()));
        Map<String, String> names = names("#state", "#sentAt", "#msg", "#to", "#ttl", "#owner", "#lease");
        String set = "#state = :sent, #sentAt = :now, #msg = :msg, #to = :to, #ttl = :ttl";
        String expression = "SET " + set + " REMOVE #owner, #lease";
        if (event != null) {
            EventOutbox.Fragment f = EventOutbox.append(key, List.of(event), now);
            expression = f.joinInto(set, "REMOVE #owner, #lease");
            names.putAll(f.names());
            values.putAll(f.values());
        }
        UpdateItemRequest.Builder update = UpdateItemRequest.builder()
                .tableName(table)
                .key(key(key))
                .updateExpression(expression)
                .expressionAttributeNames(names);
        try {
            dynamo.updateItem(update.conditionExpression("#owner = :owner AND #state = :pending")
                    .expressionAttributeValues(values).build()).join();
            return true;
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof ConditionalCheckFailedException)) {
                throw e;
            }
        }
        values.remove(":owner");
        values.remove(":pending");
        dynamo.updateItem(update.conditionExpression(null).expressionAttributeValues(values).build()).join();
        return false;
    }

    /**
     * Records that the license's expiry {@code key} ({@link #expiredKey}) was noticed, with its {@code license.expired}
     * event in the same conditional write: false when it had been recorded (by an earlier run or another replica), so
     * each expiry publishes one event.
     */
    public boolean markExpired(String key, OutboxEvent event, Instant now) {
        EventOutbox.Fragment f = EventOutbox.append(key, List.of(event), now);
        Map<String, String> names = names("#pk", "#state", "#ttl");
        names.putAll(f.names());
        Map<String, AttributeValue> values = new HashMap<>(f.values());
        values.put(":state", s(EXPIRED));
        values.put(":ttl", n(now.plus(RETENTION).getEpochSecond()));
        UpdateItemRequest update = UpdateItemRequest.builder()
                .tableName(table)
                .key(key(key))
                .updateExpression(f.joinInto("#state = :state, #ttl = :ttl", null))
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
        try {
            dynamo.updateItem(update).join();
            return true;
        } catch (CompletionException e) {
            if (e.getCause() instanceof ConditionalCheckFailedException) {
                return false;
            }
            throw e;
        }
    }

    /** Gives a claim back after a failed send, so the next delivery may claim at once. */
    public void release(String key, String owner) {
        UpdateItemRequest update = UpdateItemRequest.builder()
                .tableName(table)
                .key(key(key))
                .updateExpression("SET #lease = :zero REMOVE #owner")
                .conditionExpression("#owner = :owner AND #state = :pending")
                .expressionAttributeNames(Map.of("#lease", LEASE_UNTIL, "#owner", OWNER, "#state", STATE))
                .expressionAttributeValues(Map.of(":zero", n(0), ":owner", s(owner), ":pending", s(PENDING)))
                .build();
        try {
            dynamo.updateItem(update).join();
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof ConditionalCheckFailedException)) {
                throw e;
            }
        }
    }

    /** The item's state (PENDING, SENT) or null when none exists. */
    public String state(String key) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(key)).consistentRead(true))
                .join().item();
        return item == null || !item.containsKey(STATE) ? null : item.get(STATE).s();
    }

    /**
     * The ledger items of {@code keys} that exist, in the order of {@code keys}: one consistent GetItem each, all in
     * flight at once (a handful per license; GetItem is an action the service's role already has).
     */
    public List<LedgerEntry> entries(List<String> keys) {
        List<CompletableFuture<Optional<LedgerEntry>>> reads = keys.stream()
                .map(k -> dynamo.getItem(b -> b.tableName(table).key(key(k)).consistentRead(true))
                        .thenApply(r -> entry(k, r.item())))
                .toList();
        return reads.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList();
    }

    private static Optional<LedgerEntry> entry(String key, Map<String, AttributeValue> item) {
        if (item == null || !item.containsKey(STATE)) {
            return Optional.empty();
        }
        return Optional.of(new LedgerEntry(key, item.get(STATE).s(), instant(item.get(LEASE_UNTIL)),
                instant(item.get(SENT_AT)), item.containsKey(RECIPIENTS)
                        ? item.get(RECIPIENTS).l().stream().map(AttributeValue::s).toList()
                        : List.of(),
                item.containsKey(ATTEMPTS) ? Integer.parseInt(item.get(ATTEMPTS).n()) : 0));
    }

    private static Instant instant(AttributeValue epochMillis) {
        return epochMillis == null || epochMillis.n() == null
                ? null
                : Instant.ofEpochMilli(Long.parseLong(epochMillis.n()));
    }

    private static final Map<String, String> NAMES = Map.of("#pk", LicenseTable.PK, "#state", STATE, "#owner", OWNER,
            "#lease", LEASE_UNTIL, "#attempts", ATTEMPTS, "#ttl", LicenseTable.TTL, "#sentAt", SENT_AT,
            "#msg", SES_MESSAGE_ID, "#to", RECIPIENTS);

    /** DynamoDB rejects unused expression attribute names, so each request names exactly what it uses. */
    private static Map<String, String> names(String... placeholders) {
        Map<String, String> names = new HashMap<>();
        for (String p : placeholders) {
            names.put(p, NAMES.get(p));
        }
        return names;
    }

    private static Map<String, AttributeValue> key(String key) {
        return Map.of(LicenseTable.PK, s(key));
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
