package org.licensing.validator.activation;

import static org.licensing.store.LicenseItems.n;
import static org.licensing.store.LicenseItems.s;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Singleton;

import org.licensing.core.license.LicenseStatus;
import org.licensing.store.Activation;
import org.licensing.store.LicenseItems;
import org.licensing.store.LicenseRecord;
import org.licensing.store.LicenseStore;
import org.licensing.store.LicenseTable;
import org.licensing.store.SeatPrune;
import org.licensing.support.async.Async;
import org.licensing.validator.license.StoreHealth;

import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The validator's data access for its only writes (the shared {@link LicenseStore} does the reads): the
 * activation bookkeeping of a license item ({@code activations},
 * {@code deactivationDay}, {@code deactivationsOnDay}), each a single-item conditional UpdateItem. Never touches
 * {@code version} (the issuer's optimistic lock) or any issuer-owned attribute.
 *
 * <p>Every method answers the new record when the write happened, or null when its condition failed (the caller
 * re-reads and decides); DynamoDB failures come back as {@link org.licensing.validator.license.StoreUnavailableException}.
 */
@Singleton
public class ActivationStore {

    private final DynamoDbAsyncClient dynamo;
    private final String table;
    private final StoreHealth health;

    /** Writes to the table of the shared {@code licenses} store (service-support's producer names it). */
    public ActivationStore(DynamoDbAsyncClient dynamo, LicenseStore licenses, StoreHealth health) {
        this.dynamo = dynamo;
        this.table = licenses.table();
        this.health = health;
    }

    /**
     * Adds machine {@code fingerprint} if it is not there, the license is ACTIVE, and fewer than
     * {@code maxActivations} machines are recorded ({@code size(activations) < :max}; 0 = unlimited).
     */
    public CompletableFuture<LicenseRecord> add(String licenseId, String fingerprint, int maxActivations, Instant now) {
        Map<String, String> names = names();
        names.put("#fp", fingerprint);
        names.put("#status", LicenseTable.STATUS);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":act", LicenseItems.activationToItem(new Activation(fingerprint, now, now)));
        values.put(":active", s(LicenseStatus.ACTIVE.name()));
        String condition = "attribute_exists(#pk) AND #status = :active AND attribute_not_exists(#acts.#fp)";
        if (maxActivations > 0) {
            values.put(":max", n(maxActivations));
            condition += " AND size(#acts) < :max";
        }
        return update(licenseId, "SET #acts.#fp = :act", condition, names, values);
    }

    /** Refreshes {@code lastSeenAt} of a recorded machine (heartbeat, re-activation of an active machine). */
    public CompletableFuture<LicenseRecord> touch(String licenseId, String fingerprint, Instant now, Instant notBefore) {
        Map<String, String> names = names();
        names.put("#fp", fingerprint);
        names.put("#seen", LicenseTable.LAST_SEEN_AT);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":now", n(now.toEpochMilli()));
        String condition = "attribute_exists(#pk) AND attribute_exists(#acts.#fp)";
        if (notBefore != null) {
            values.put(":cutoff", n(notBefore.toEpochMilli()));
            condition += " AND #acts.#fp.#seen >= :cutoff";
        }
        return update(licenseId, "SET #acts.#fp.#seen = :now", condition, names, values);
    }

    /**
     * Removes seats that no longer count (floating seats that lapsed before {@code cutoff}, null: none lapse; checkouts
     * that ended by {@code now}), each re-checked by the condition.
     */
    public CompletableFuture<LicenseRecord> prune(String licenseId, Collection<String> fingerprints, Instant cutoff,
            Instant now) {
        SeatPrune prune = SeatPrune.of(fingerprints, cutoff, now);
        Map<String, String> names = names();
        names.putAll(prune.names());
        return update(licenseId, prune.update(), "attribute_exists(#pk) AND " + prune.condition(), names,
                new HashMap<>(prune.values()));
    }

    /**
     * Removes machine {@code fingerprint} and counts the deactivation for {@code today} (UTC), if the license has
     * deactivations left today ({@code maxPerDay} 0 = unlimited). {@code sameDay}: the record read says the stored
     * counter is for today (the condition re-checks it).
     */
    public CompletableFuture<LicenseRecord> remove(String licenseId, String fingerprint, LocalDate today,
            boolean sameDay, int maxPerDay) {
        Map<String, String> names = names();
        names.put("#fp", fingerprint);
        names.put("#day", LicenseTable.DEACTIVATION_DAY);
        names.put("#count", LicenseTable.DEACTIVATIONS_ON_DAY);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":today", s(today.toString()));
        values.put(":one", n(1));
        String update;
        String condition;
        if (sameDay) {
            update = "REMOVE #acts.#fp SET #count = #count + :one";
            condition = "attribute_exists(#pk) AND attribute_exists(#acts.#fp) AND #day = :today";
            if (maxPerDay > 0) {
                values.put(":max", n(maxPerDay));
                condition += " AND #count < :max";
            }
        } else {
            update = "REMOVE #acts.#fp SET #day = :today, #count = :one";
            condition = "attribute_exists(#pk) AND attribute_exists(#acts.#fp) AND (attribute_not_exists(#day) OR #day <> :today)";
        }
        // A checkout's seat is freed only by its return or its end (the issuer's), never by an online deactivation.
        names.put("#until", LicenseTable.CHECKOUT_UNTIL);
        condition += " AND attribute_not_exists(#acts.#fp.#until)";
        return update(licenseId, update, condition, names, values);
    }

    private static Map<String, String> names() {
        Map<String, String> names = new HashMap<>();
        names.put("#pk", LicenseTable.PK);
        names.put("#acts", LicenseTable.ACTIVATIONS);
        return names;
    }

    private CompletableFuture<LicenseRecord> update(String licenseId, String expression, String condition,
            Map<String, String> names, Map<String, AttributeValue> values) {
        UpdateItemRequest request = UpdateItemRequest.builder()
                .tableName(table)
                .key(Map.of(LicenseTable.PK, s(LicenseTable.licensePk(licenseId))))
                .updateExpression(expression)
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values.isEmpty() ? null : values)
                .returnValues(ReturnValue.ALL_NEW)
                .build();
        return dynamo.updateItem(request).handle((response, error) -> {
            if (error == null) {
                health.succeeded();
                return LicenseItems.fromItem(response.attributes());
            }
            if (Async.unwrap(error) instanceof ConditionalCheckFailedException) {
                health.succeeded();
                return null;
            }
            throw health.failed("UpdateItem " + licenseId, error);
        });
    }
}
