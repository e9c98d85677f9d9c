package org.licensing.store;

import static org.licensing.store.LicenseItems.n;
import static org.licensing.store.LicenseItems.s;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.licensing.core.license.LicenseStatus;

import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The issuer's checkout bookkeeping on a license item: each change is one conditional UpdateItem that writes the
 * seat ({@link LicenseTable#ACTIVATIONS}, the map the validator's activations share, so one limit counts both), the
 * per-license sequence ({@link LicenseTable#CHECKOUT_SEQUENCE}) and the checkout entry ({@link LicenseTable#CHECKOUTS})
 * together. Never touches {@code version} or another issuer-owned attribute.
 *
 * <p>Every method answers the new record when the write happened, or null when its condition failed (a concurrent
 * change: the caller re-reads and decides again).
 */
public class CheckoutStore {

    private final DynamoDbAsyncClient dynamo;
    private final String table;

    public CheckoutStore(DynamoDbAsyncClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /**
     * Records {@code checkout} as sequence {@code previousSequence + 1} if the sequence is still
     * {@code previousSequence}, the license is ACTIVE, and a seat is free: the fingerprint already holds one
     * ({@code replacesSeat}: the same machine checks out again) or fewer than {@code maxActivations} are taken
     * ({@code size(activations) < :max}; 0 = unlimited).
     */
    public CompletableFuture<LicenseRecord> checkOut(String licenseId, Checkout checkout, long previousSequence,
            int maxActivations, boolean replacesSeat) {
        Map<String, String> names = names();
        names.put("#fp", checkout.fingerprint());
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":seat", LicenseItems.activationToItem(
                new Activation(checkout.fingerprint(), checkout.issuedAt(), checkout.issuedAt(), checkout.until())));
        values.put(":seq", n(checkout.sequence()));
        StringBuilder condition = new StringBuilder(activeAndSequence(names, values, previousSequence));
        String update;
        if (previousSequence == 0) {
            values.put(":cos", AttributeValue.fromM(Map.of(checkout.fingerprint(), LicenseItems.checkoutToItem(checkout))));
            update = "SET #acts.#fp = :seat, #seq = :seq, #cos = :cos";
        } else {
            values.put(":co", LicenseItems.checkoutToItem(checkout));
            update = "SET #acts.#fp = :seat, #seq = :seq, #cos.#fp = :co";
        }
        if (replacesSeat) {
            condition.append(" AND attribute_exists(#acts.#fp)");
        } else {
            condition.append(" AND attribute_not_exists(#acts.#fp)");
            if (maxActivations > 0) {
                values.put(":max", n(maxActivations));
                condition.append(" AND size(#acts) < :max");
            }
        }
        return update(licenseId, update, condition.toString(), names, values);
    }

    /**
     * Takes sequence {@code previousSequence + 1} for an unbound file (no machine, no seat), if the license is ACTIVE
     * and the sequence is still {@code previousSequence}.
     */
    public CompletableFuture<LicenseRecord> takeSequence(String licenseId, long previousSequence) {
        Map<String, String> names = names();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":seq", n(previousSequence + 1));
        values.put(":none", AttributeValue.fromM(Map.of()));
        String condition = activeAndSequence(names, values, previousSequence);
        return update(licenseId, "SET #seq = :seq, #cos = if_not_exists(#cos, :none)", condition, names, values);
    }

    /**
     * Marks checkout {@code checkoutId} of {@code fingerprint} returned at {@code now} and frees its seat, if it is
     * still that fingerprint's latest checkout, not returned yet, and the seat (when there) is a checkout's.
     */
    public CompletableFuture<LicenseRecord> returnCheckout(String licenseId, String fingerprint, String checkoutId,
            Instant now) {
        Map<String, String> names = names();
        names.put("#fp", fingerprint);
        names.put("#chk", LicenseTable.CHECKOUT_ID);
        names.put("#ret", LicenseTable.RETURNED_AT);
        names.put("#until", LicenseTable.CHECKOUT_UNTIL);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":chk", s(checkoutId));
        values.put(":now", n(now.toEpochMilli()));
        String condition = "attribute_exists(#pk) AND #cos.#fp.#chk = :chk AND attribute_not_exists(#cos.#fp.#ret)"
                + " AND (attribute_not_exists(#acts.#fp) OR attribute_exists(#acts.#fp.#until))";
        return update(licenseId, "REMOVE #acts.#fp SET #cos.#fp.#ret = :now", condition, names, values);
    }

    /**
     * Frees the seats of {@code fingerprints} that no longer count: checkouts that ended by {@code now}, online
     * activations not seen since {@code heartbeatCutoff} (null: those never lapse). The condition re-checks each, so
     * a seat renewed meanwhile stays.
     */
    public CompletableFuture<LicenseRecord> pruneSeats(String licenseId, Collection<String> fingerprints,
            Instant heartbeatCutoff, Instant now) {
        SeatPrune prune = SeatPrune.of(fingerprints, heartbeatCutoff, now);
        Map<String, String> names = names();
        names.putAll(prune.names());
        return update(licenseId, prune.update(), "attribute_exists(#pk) AND " + prune.condition(), names,
                new HashMap<>(prune.values()));
    }

    private static String activeAndSequence(Map<String, String> names, Map<String, AttributeValue> values,
            long previousSequence) {
        names.put("#status", LicenseTable.STATUS);
        values.put(":active", s(LicenseStatus.ACTIVE.name()));
        String condition = "attribute_exists(#pk) AND #status = :active";
        if (previousSequence == 0) {
            return condition + " AND attribute_not_exists(#seq)";
        }
        values.put(":prev", n(previousSequence));
        return condition + " AND #seq = :prev";
    }

    private static Map<String, String> names() {
        Map<String, String> names = new HashMap<>();
        names.put("#pk", LicenseTable.PK);
        names.put("#acts", LicenseTable.ACTIVATIONS);
        names.put("#cos", LicenseTable.CHECKOUTS);
        names.put("#seq", LicenseTable.CHECKOUT_SEQUENCE);
        return names;
    }

    private CompletableFuture<LicenseRecord> update(String licenseId, String expression, String condition,
            Map<String, String> names, Map<String, AttributeValue> values) {
        // DynamoDB refuses names the expressions do not use.
        names.keySet().removeIf(k -> !expression.contains(k) && !condition.contains(k));
        return ConditionalUpdate.apply(dynamo, table, licenseId, expression, condition, names, values);
    }
}
