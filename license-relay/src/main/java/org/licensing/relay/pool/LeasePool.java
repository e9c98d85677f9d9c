package org.licensing.relay.pool;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import org.licensing.core.license.Entitlements;

/**
 * The site's pool: live leases and their sums per quantity, checked against the checkout's limits with exact
 * decimals ({@link BigDecimal#compareTo}, never doubles). One lease per node: a node asking again replaces its lease
 * (a restarted node does not wait for its old lease to run out).
 *
 * <p>Not thread-safe on purpose: the relay calls it under the one lock that also orders the usage log, so the log
 * replays to exactly this state. {@link #check} decides, {@link #put} applies (the relay appends the log record in
 * between, so a failed write changes nothing).
 */
public final class LeasePool {

    private PoolLimits limits;
    private final Map<UUID, Lease> leases = new LinkedHashMap<>();
    private final Map<String, UUID> byNode = new HashMap<>();
    private final Map<String, BigDecimal> used = new TreeMap<>();

    public LeasePool(PoolLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** New limits (a renewed checkout); live leases stay, even where they now exceed a lowered limit. */
    public void setLimits(PoolLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public PoolLimits limits() {
        return limits;
    }

    /**
     * A node's request in canonical form: every quantity positive with at most
     * {@value Entitlements#MAX_FRACTION_DIGITS} decimal places, trailing zeros dropped; {@code nodes}, when stated,
     * must be 1 and is dropped (every lease is one node).
     *
     * @throws IllegalArgumentException otherwise, with a message for the caller
     */
    public static Map<String, BigDecimal> requested(Map<String, BigDecimal> quantities) {
        if (quantities == null || quantities.isEmpty()) {
            throw new IllegalArgumentException("quantities must name at least one quantity (for example"
                    + " {\"cuda.device\": 8} or {\"nodes\": 1})");
        }
        Map<String, BigDecimal> out = new TreeMap<>();
        quantities.forEach((name, q) -> {
            if (name == null || name.isBlank() || name.length() > 64) {
                throw new IllegalArgumentException("A quantity name must be 1-64 characters");
            }
            if (q == null) {
                throw new IllegalArgumentException("Quantity " + name + " has no value");
            }
            BigDecimal v = q.stripTrailingZeros();
            if (v.scale() < 0) {
                v = v.setScale(0);
            }
            if (PoolLimits.NODES.equals(name)) {
                if (v.compareTo(BigDecimal.ONE) != 0) {
                    throw new IllegalArgumentException("nodes must be 1: a lease is for one node");
                }
                return;
            }
            if (v.signum() <= 0) {
                throw new IllegalArgumentException("Quantity " + name + " must be greater than 0");
            }
            if (v.scale() > Entitlements.MAX_FRACTION_DIGITS) {
                throw new IllegalArgumentException("Quantity " + name + " allows at most "
                        + Entitlements.MAX_FRACTION_DIGITS + " decimal places");
            }
            out.put(name, v);
        });
        return out;
    }

    /**
     * Whether {@code node} may hold {@code quantities} now (its own current lease, if any, counts as given back).
     *
     * @throws IllegalArgumentException when a quantity is not among the checkout's limits, or not positive
     * @throws PoolRefusal when a quantity's total or the node count would pass its limit
     */
    public void check(String node, Map<String, BigDecimal> quantities) {
        Lease current = leaseOf(node);
        for (Map.Entry<String, BigDecimal> e : quantities.entrySet()) {
            String name = e.getKey();
            BigDecimal want = e.getValue();
            if (want == null || want.signum() <= 0) {
                throw new IllegalArgumentException("Quantity " + name + " must be greater than 0");
            }
            BigDecimal limit = limits.limits().get(name);
            if (limit == null) {
                throw new IllegalArgumentException("Quantity " + name + " is not licensed on this site (licensed: "
                        + String.join(", ", limits.limits().keySet()) + ")");
            }
            BigDecimal inUse = used.getOrDefault(name, BigDecimal.ZERO);
            if (current != null) {
                inUse = inUse.subtract(current.quantities().getOrDefault(name, BigDecimal.ZERO));
            }
            BigDecimal available = limit.subtract(inUse).max(BigDecimal.ZERO);
            if (want.compareTo(available) > 0) {
                throw new PoolRefusal(PoolRefusal.Kind.QUANTITY_EXHAUSTED, name, want, available, limit,
                        "Not enough " + name + ": requested " + want.toPlainString() + ", available "
                                + available.stripTrailingZeros().toPlainString() + " of " + limit.toPlainString());
            }
        }
        if (current == null && leases.size() >= limits.maxNodes()) {
            throw new PoolRefusal(PoolRefusal.Kind.TOO_MANY_NODES, PoolLimits.NODES, BigDecimal.ONE, BigDecimal.ZERO,
                    BigDecimal.valueOf(limits.maxNodes()), "All " + limits.maxNodes()
                            + " node(s) the license allows hold a lease; one must be released or run out first");
        }
    }

    /** Adds {@code lease}, replacing the node's current lease (returned, or null). No limit check: see {@link #check}. */
    public Lease put(Lease lease) {
        Lease replaced = leaseOf(lease.node());
        if (replaced != null) {
            remove(replaced.id());
        }
        leases.put(lease.id(), lease);
        byNode.put(lease.node(), lease.id());
        lease.quantities().forEach((name, q) -> used.merge(name, q, BigDecimal::add));
        return replaced;
    }

    /** Replaces a lease by its extended copy (same quantities). */
    public void extend(UUID id, Instant until) {
        Lease lease = leases.get(id);
        if (lease != null) {
            leases.put(id, lease.extendedTo(until));
        }
    }

    /** Removes the lease {@code id}; returns it, or null when there is none. */
    public Lease remove(UUID id) {
        Lease lease = leases.remove(id);
        if (lease == null) {
            return null;
        }
        byNode.remove(lease.node(), id);
        lease.quantities().forEach((name, q) -> {
            BigDecimal left = used.get(name).subtract(q);
            if (left.signum() == 0) {
                used.remove(name);
            } else {
                used.put(name, left);
            }
        });
        return lease;
    }

    /** The leases that ended at {@code now} (until <= now), in grant order; they stay until {@link #remove}d. */
    public List<Lease> expiredAt(Instant now) {
        List<Lease> out = new ArrayList<>();
        for (Lease l : leases.values()) {
            if (!l.liveAt(now)) {
                out.add(l);
            }
        }
        return out;
    }

    public Lease get(UUID id) {
        return leases.get(id);
    }

    public Lease leaseOf(String node) {
        UUID id = byNode.get(node);
        return id == null ? null : leases.get(id);
    }

    public Collection<Lease> leases() {
        return Collections.unmodifiableCollection(leases.values());
    }

    /** The sum per quantity over the leases held. */
    public Map<String, BigDecimal> used() {
        return Collections.unmodifiableMap(new TreeMap<>(used));
    }

    public int nodes() {
        return leases.size();
    }
}
