package org.licensing.relay.pool;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the checkout allows the whole site: a limit per quantity (exact decimals) and a node count.
 *
 * @param limits the license's limits by name ({@code cuda.device}, {@code cuda.shares}, ...), {@code nodes} excluded
 * @param maxNodes how many nodes may hold a lease at once ({@link Long#MAX_VALUE}: no limit)
 */
public record PoolLimits(Map<String, BigDecimal> limits, long maxNodes) {

    /** The quantity that counts the nodes themselves: every lease is one node. */
    public static final String NODES = "nodes";
    public static final long UNLIMITED = Long.MAX_VALUE;

    public PoolLimits {
        Map<String, BigDecimal> copy = new TreeMap<>(limits);
        copy.remove(NODES);
        limits = Collections.unmodifiableMap(copy);
        if (maxNodes < 0) {
            throw new IllegalArgumentException("maxNodes must be >= 0");
        }
    }

    /**
     * The limits of a license: its {@code limits} and, for the node count, the lower of its {@code nodes} limit
     * (whole part) and its machine limit {@code maxActivations} (0 there means no limit, as in the issuer).
     */
    public static PoolLimits ofLicense(Map<String, BigDecimal> licenseLimits, int maxActivations) {
        long nodes = maxActivations > 0 ? maxActivations : UNLIMITED;
        BigDecimal n = licenseLimits.get(NODES);
        if (n != null) {
            nodes = Math.min(nodes, n.longValue());
        }
        return new PoolLimits(licenseLimits, nodes);
    }
}
