package org.licensing.store;

import static org.licensing.store.LicenseItems.n;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The one definition of "this seat no longer counts" as a DynamoDB update: {@code REMOVE} each fingerprint's seat on
 * the condition that it is gone already, is a checkout that ended by {@code now}, or is an online activation last seen
 * before the heartbeat cutoff. The validator (lapsed floating seats) and the issuer (ended checkouts) both use it, so a
 * live checkout is never pruned as a machine that missed its heartbeats. Names {@code #acts} must be bound by the caller
 * to {@link LicenseTable#ACTIVATIONS}.
 */
public record SeatPrune(String update, String condition, Map<String, String> names,
        Map<String, AttributeValue> values) {

    public static SeatPrune of(Collection<String> fingerprints, Instant heartbeatCutoff, Instant now) {
        if (fingerprints.isEmpty()) {
            throw new IllegalArgumentException("Nothing to prune");
        }
        Map<String, String> names = new HashMap<>();
        names.put("#acts", LicenseTable.ACTIVATIONS);
        names.put("#seen", LicenseTable.LAST_SEEN_AT);
        names.put("#until", LicenseTable.CHECKOUT_UNTIL);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":now", n(now.toEpochMilli()));
        if (heartbeatCutoff != null) {
            values.put(":cutoff", n(heartbeatCutoff.toEpochMilli()));
        }
        StringBuilder remove = new StringBuilder("REMOVE ");
        StringBuilder condition = new StringBuilder();
        int i = 0;
        for (String fp : fingerprints) {
            String seat = "#acts.#f" + i;
            names.put("#f" + i, fp);
            if (i > 0) {
                remove.append(", ");
                condition.append(" AND ");
            }
            remove.append(seat);
            condition.append("(attribute_not_exists(").append(seat).append(") OR ").append(seat)
                    .append(".#until <= :now");
            if (heartbeatCutoff != null) {
                condition.append(" OR (attribute_not_exists(").append(seat).append(".#until) AND ").append(seat)
                        .append(".#seen < :cutoff)");
            }
            condition.append(')');
            i++;
        }
        return new SeatPrune(remove.toString(), condition.toString(), Map.copyOf(names), Map.copyOf(values));
    }
}
