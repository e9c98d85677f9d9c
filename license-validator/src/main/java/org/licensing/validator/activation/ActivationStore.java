package org.licensing.validator.activation;

import static org.licensing.store.LicenseItems.n;
import static org.licensing.store.LicenseItems.s;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Singleton;

import org.licensing.core.license.LicenseStatus;
import org.licensing.store.Activation;
import org.licensing.store.EventOutbox;
import org.licensing.store.LicenseItems;
import org.licensing.store.LicenseRecord;
import org.licensing.store.LicenseTable;
import org.licensing.validator.event.LicenseItemWrites;
import org.licensing.validator.event.ValidatorEvents;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The validator's activation writes (the shared {@code LicenseStore} does the reads): the
 * activation bookkeeping of a license item ({@code activations},
 * {@code deactivationDay}, {@code deactivationsOnDay}), each a single-item conditional
 * UpdateItem that also appends the change's event to the item's outbox ({@link EventOutbox}): change and event are
 * one write, so neither exists without the other. Never touches
 * {@code version} (the issuer's optimistic lock) or any issuer-owned attribute.
 *
 * <p>Every method answers the new record when the write happened, or null when its condition failed (the caller
 * re-reads and decides); DynamoDB failures come back as {@link org.licensing.validator.license.StoreUnavailableException} ({@link LicenseItemWrites#update}).
 */
@Singleton
public class ActivationStore {

    private final LicenseItemWrites writes;

    public ActivationStore(LicenseItemWrites writes) {
        this.writes = writes;
    }

    /**
     * Adds machine {@code fingerprint} if it is not there, the license is ACTIVE, and fewer than
     * {@code maxActivations} machines are recorded ({@code size(activations) < :max}; 0 = unlimited).
     */
    public CompletableFuture<LicenseRecord> add(LicenseRecord license, String fingerprint, Instant now) {
        String licenseId = license.licenseId();
        int maxActivations = license.maxActivations();
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
        EventOutbox.Fragment event = LicenseItemWrites.event(license, List.of(ValidatorEvents.activated(license, fingerprint, now)), now);
        return update(licenseId, event.joinInto("#acts.#fp = :act", null), condition, LicenseItemWrites.merge(names, event.names()),
                LicenseItemWrites.merge(values, event.values()));
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
     * Removes machine {@code fingerprint} and counts the deactivation for {@code today} (UTC), if the license has
     * deactivations left today ({@code maxPerDay} 0 = unlimited). {@code sameDay}: the record read says the stored
     * counter is for today (the condition re-checks it).
     */
    public CompletableFuture<LicenseRecord> remove(LicenseRecord license, Activation seat, LocalDate today,
            boolean sameDay, Instant now) {
        String licenseId = license.licenseId();
        String fingerprint = seat.fingerprint();
        int maxPerDay = license.maxDeactivationsPerDay();
        Map<String, String> names = names();
        names.put("#fp", fingerprint);
        names.put("#day", LicenseTable.DEACTIVATION_DAY);
        names.put("#count", LicenseTable.DEACTIVATIONS_ON_DAY);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":today", s(today.toString()));
        values.put(":one", n(1));
        String set;
        String condition;
        if (sameDay) {
            set = "#count = #count + :one";
            condition = "attribute_exists(#pk) AND attribute_exists(#acts.#fp) AND #day = :today";
            if (maxPerDay > 0) {
                values.put(":max", n(maxPerDay));
                condition += " AND #count < :max";
            }
        } else {
            set = "#day = :today, #count = :one";
            condition = "attribute_exists(#pk) AND attribute_exists(#acts.#fp) AND (attribute_not_exists(#day) OR #day <> :today)";
        }
        // A checkout's seat is freed only by its return or its end (the issuer's), never by an online deactivation.
        names.put("#until", LicenseTable.CHECKOUT_UNTIL);
        condition += " AND attribute_not_exists(#acts.#fp.#until)";
        EventOutbox.Fragment event = LicenseItemWrites.event(license, List.of(ValidatorEvents.deactivated(license, seat, now)), now);
        return update(licenseId, event.joinInto(set, "REMOVE #acts.#fp"), condition, LicenseItemWrites.merge(names, event.names()),
                LicenseItemWrites.merge(values, event.values()));
    }

    private static Map<String, String> names() {
        Map<String, String> names = new HashMap<>();
        names.put("#pk", LicenseTable.PK);
        names.put("#acts", LicenseTable.ACTIVATIONS);
        return names;
    }

    private CompletableFuture<LicenseRecord> update(String licenseId, String expression, String condition,
            Map<String, String> names, Map<String, AttributeValue> values) {
        return writes.update(licenseId, expression, condition, names, values);
    }
}
