package org.licensing.validator.event;

import static org.licensing.store.LicenseItems.s;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Singleton;

import org.licensing.store.ConditionalUpdate;
import org.licensing.store.EventOutbox;
import org.licensing.store.LicenseRecord;
import org.licensing.store.LicenseStore;
import org.licensing.store.LicenseTable;
import org.licensing.store.OutboxEvent;
import org.licensing.store.SeatPrune;
import org.licensing.validator.license.StoreHealth;

import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The validator's conditional UpdateItems of a license item (the activation package's go through {@link #update}
 * too), and the two that are about events: freeing lapsed seats with their {@code machine.heartbeat-missed} events,
 * and today's {@code license.limit-exceeded}. Every event is appended to the item's outbox by the same write as its
 * change ({@link EventOutbox}). Never touches {@code version} or any issuer-owned attribute.
 *
 * <p>Every method answers the new record when the write happened, or null when its condition failed; DynamoDB
 * failures come back as {@link org.licensing.validator.license.StoreUnavailableException}.
 */
@Singleton
public class LicenseItemWrites {

    private final DynamoDbAsyncClient dynamo;
    private final String table;
    private final StoreHealth health;

    /** Writes to the table of the shared {@code licenses} store (service-support's producer names it). */
    public LicenseItemWrites(DynamoDbAsyncClient dynamo, LicenseStore licenses, StoreHealth health) {
        this.dynamo = dynamo;
        this.table = licenses.table();
        this.health = health;
    }

    /**
     * Removes seats that no longer count (floating seats that lapsed before {@code cutoff}, null: none lapse; checkouts
     * that ended by {@code now}), each re-checked by the condition; each online seat freed so carries its
     * {@code machine.heartbeat-missed} event (an ended checkout is the issuer's bookkeeping, not a missed heartbeat).
     */
    public CompletableFuture<LicenseRecord> prune(LicenseRecord license, Collection<String> fingerprints, Instant cutoff,
            Instant now) {
        SeatPrune prune = SeatPrune.of(fingerprints, cutoff, now);
        Map<String, String> names = new HashMap<>(prune.names());
        names.put("#pk", LicenseTable.PK);
        Map<String, AttributeValue> values = new HashMap<>(prune.values());
        List<OutboxEvent> missed = fingerprints.stream().map(fp -> license.activations().get(fp))
                .filter(seat -> seat != null && !seat.isCheckout())
                .map(seat -> ValidatorEvents.heartbeatMissed(license, seat, now)).toList();
        String expression = prune.update();
        if (!missed.isEmpty()) {
            EventOutbox.Fragment event = event(license, missed, now);
            expression = event.joinInto(null, prune.update());
            names.putAll(event.names());
            values.putAll(event.values());
        }
        return update(license.licenseId(), expression, "attribute_exists(#pk) AND " + prune.condition(), names, values);
    }

    /**
     * Records today's {@code license.limit-exceeded} event ({@code limitExceededDay = today}) unless one was recorded
     * today: at most one per license per UTC day, whatever the number of validators and requests.
     */
    public CompletableFuture<LicenseRecord> limitExceeded(LicenseRecord license, LocalDate today, OutboxEvent exceeded,
            Instant now) {
        Map<String, String> names = new HashMap<>();
        names.put("#pk", LicenseTable.PK);
        names.put("#led", LicenseTable.LIMIT_EXCEEDED_DAY);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":today", s(today.toString()));
        EventOutbox.Fragment event = event(license, List.of(exceeded), now);
        return update(license.licenseId(), event.joinInto("#led = :today", null),
                "attribute_exists(#pk) AND (attribute_not_exists(#led) OR #led <> :today)",
                merge(names, event.names()), merge(values, event.values()));
    }

    /** The events in the item's outbox, or counted as dropped when the outbox read was full. */
    public static EventOutbox.Fragment event(LicenseRecord license, List<OutboxEvent> events, Instant now) {
        return EventOutbox.appendOrDrop(LicenseTable.licensePk(license.licenseId()), license.pendingEvents(), events,
                now);
    }

    public static <V> Map<String, V> merge(Map<String, V> a, Map<String, V> b) {
        Map<String, V> m = new HashMap<>(a);
        m.putAll(b);
        return m;
    }

    /** One conditional UpdateItem answering the new record, or null when the condition failed. */
    public CompletableFuture<LicenseRecord> update(String licenseId, String expression, String condition,
            Map<String, String> names, Map<String, AttributeValue> values) {
        return ConditionalUpdate.apply(dynamo, table, licenseId, expression, condition, names, values)
                .handle((updated, error) -> {
                    if (error == null) {
                        health.succeeded();
                        return updated;
                    }
                    throw health.failed("UpdateItem " + licenseId, error);
                });
    }
}
