package org.licensing.relay.pool;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A node's hold on part of the site's pool: {@code quantities} (exact decimals, names as in the checkout's limits)
 * from {@code grantedAt} until {@code until} unless released earlier.
 */
public record Lease(UUID id, String node, Map<String, BigDecimal> quantities, Instant grantedAt, Instant until) {

    public Lease {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(node, "node");
        quantities = Collections.unmodifiableMap(new TreeMap<>(quantities));
        Objects.requireNonNull(grantedAt, "grantedAt");
        Objects.requireNonNull(until, "until");
    }

    /** The same lease running until {@code newUntil}. */
    public Lease extendedTo(Instant newUntil) {
        return new Lease(id, node, quantities, grantedAt, newUntil);
    }

    /** Whether it still runs at {@code now} (it ends at {@code until}, exclusive). */
    public boolean liveAt(Instant now) {
        return now.isBefore(until);
    }
}
