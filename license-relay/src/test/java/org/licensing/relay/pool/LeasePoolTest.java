package org.licensing.relay.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LeasePoolTest {

    static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    static Map<String, BigDecimal> q(String... kv) {
        Map<String, BigDecimal> m = new java.util.TreeMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], new BigDecimal(kv[i + 1]));
        }
        return m;
    }

    static Lease grant(LeasePool pool, String node, Map<String, BigDecimal> q) {
        Map<String, BigDecimal> req = LeasePool.requested(q);
        pool.check(node, req);
        Lease l = new Lease(UUID.randomUUID(), node, req, NOW, NOW.plusSeconds(60));
        pool.put(l);
        return l;
    }

    @Test
    void decimalsAreExactToTheLastPlace() {
        LeasePool pool = new LeasePool(new PoolLimits(q("cuda.shares", "2.5"), PoolLimits.UNLIMITED));
        grant(pool, "n1", q("cuda.shares", "1.2"));
        grant(pool, "n2", q("cuda.shares", "1.3"));
        assertEquals(0, new BigDecimal("2.5").compareTo(pool.used().get("cuda.shares")));
        PoolRefusal r = assertThrows(PoolRefusal.class, () -> grant(pool, "n3", q("cuda.shares", "0.000001")));
        assertEquals("cuda.shares", r.quantity());
        assertEquals(0, BigDecimal.ZERO.compareTo(r.available()));
        // Doubles would have let 0.1 + 0.2 pass a 0.3 limit unevenly; decimals do not drift.
        LeasePool tenths = new LeasePool(new PoolLimits(q("cuda.shares", "0.3"), PoolLimits.UNLIMITED));
        grant(tenths, "a", q("cuda.shares", "0.1"));
        grant(tenths, "b", q("cuda.shares", "0.2"));
        assertEquals(new BigDecimal("0.3"), tenths.used().get("cuda.shares"));
    }

    @Test
    void aRequestMustFitEveryQuantityOrNothingIsTaken() {
        LeasePool pool = new LeasePool(new PoolLimits(q("cuda.device", "8", "cuda.shares", "2"), PoolLimits.UNLIMITED));
        grant(pool, "n1", q("cuda.device", "6", "cuda.shares", "1"));
        assertThrows(PoolRefusal.class, () -> grant(pool, "n2", q("cuda.device", "2", "cuda.shares", "1.5")));
        assertEquals(q("cuda.device", "6", "cuda.shares", "1"), pool.used());
        grant(pool, "n2", q("cuda.device", "2", "cuda.shares", "1"));
        assertEquals(q("cuda.device", "8", "cuda.shares", "2"), pool.used());
    }

    @Test
    void theNodeCountStopsAtTheMachineLimit() {
        LeasePool pool = new LeasePool(PoolLimits.ofLicense(q("cuda.device", "64", "nodes", "8"), 3));
        assertEquals(3, pool.limits().maxNodes(), "the lower of the nodes limit and maxActivations");
        grant(pool, "n1", q("cuda.device", "1", "nodes", "1"));
        grant(pool, "n2", q("cuda.device", "1"));
        grant(pool, "n3", q("cuda.device", "1"));
        PoolRefusal r = assertThrows(PoolRefusal.class, () -> grant(pool, "n4", q("cuda.device", "1")));
        assertEquals(PoolRefusal.Kind.TOO_MANY_NODES, r.kind());
        // A node already holding a lease may replace it at the limit.
        grant(pool, "n3", q("cuda.device", "2"));
        assertEquals(3, pool.nodes());
        assertEquals(new BigDecimal("4"), pool.used().get("cuda.device"));
        assertEquals(8, PoolLimits.ofLicense(q("nodes", "8"), 0).maxNodes(), "maxActivations 0 = no machine limit");
        assertEquals(PoolLimits.UNLIMITED, PoolLimits.ofLicense(q("cuda.device", "1"), 0).maxNodes());
    }

    @Test
    void replacingFreesTheNodesOldLeaseFirst() {
        LeasePool pool = new LeasePool(new PoolLimits(q("cuda.device", "8"), PoolLimits.UNLIMITED));
        Lease first = grant(pool, "n1", q("cuda.device", "8"));
        Lease second = grant(pool, "n1", q("cuda.device", "6"));
        assertNull(pool.get(first.id()));
        assertEquals(second, pool.leaseOf("n1"));
        assertEquals(new BigDecimal("6"), pool.used().get("cuda.device"));
        pool.remove(second.id());
        assertEquals(Map.of(), pool.used());
    }

    @Test
    void malformedRequestsAreRefusedWithAReason() {
        LeasePool pool = new LeasePool(new PoolLimits(q("cuda.device", "8"), PoolLimits.UNLIMITED));
        assertThrows(IllegalArgumentException.class, () -> grant(pool, "n", q("rocm.device", "1")));
        assertThrows(IllegalArgumentException.class, () -> grant(pool, "n", q("cuda.device", "0")));
        assertThrows(IllegalArgumentException.class, () -> grant(pool, "n", q("cuda.device", "-1")));
        assertThrows(IllegalArgumentException.class, () -> grant(pool, "n", q("cuda.device", "0.0000001")));
        assertThrows(IllegalArgumentException.class, () -> grant(pool, "n", q("nodes", "2")));
        assertThrows(IllegalArgumentException.class, () -> grant(pool, "n", Map.of()));
        assertEquals(q("cuda.device", "8"), LeasePool.requested(q("cuda.device", "8.000", "nodes", "1.0")));
        assertEquals("80", LeasePool.requested(q("cuda.device", "8E+1")).get("cuda.device").toPlainString());
        assertEquals(Map.of(), pool.used());
    }
}
