package org.licensing.relay.engine;

import static org.licensing.relay.TestSite.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.JWTClaimsSet;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensing.core.checkout.CheckoutFiles;
import org.licensing.core.checkout.CheckoutRequest;
import org.licensing.core.crypto.JwsVerifier;
import org.licensing.core.relay.LeaseClaims;
import org.licensing.core.relay.LeaseVerifier;
import org.licensing.core.relay.VerifiedLease;
import org.licensing.relay.TestSite;
import org.licensing.relay.TestVendor;
import org.licensing.relay.engine.RelayStatus.Code;
import org.licensing.relay.ledger.LogRecord;
import org.licensing.relay.ledger.UsageLog;
import org.licensing.relay.pool.Lease;
import org.licensing.relay.pool.PoolRefusal;
import org.licensing.relay.site.AtomicFiles;
import org.licensing.relay.site.RelayKey;

class RelayTest {

    static final Duration TTL = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    TestSite site;

    @AfterEach
    void stop() {
        if (site != null) {
            site.stop();
        }
    }

    Relay serving(Map<String, BigDecimal> limits, int maxActivations) {
        site = TestSite.create(dir);
        Relay relay = site.start(TTL);
        assertEquals(Code.NO_CHECKOUT, relay.status().code());
        site.installCheckout(limits, maxActivations, 1, Duration.ofDays(30));
        relay.tick();
        assertTrue(relay.status().serving(), relay.status().message());
        return relay;
    }

    @Test
    void firstStartMakesAKeyOwnerOnlyAndARequestCarryingItAndRefusesLeasesUntilACheckout() throws Exception {
        site = TestSite.create(dir);
        Relay relay = site.start(TTL);
        assertEquals(Code.NO_CHECKOUT, relay.status().code());
        assertTrue(relay.status().message().contains("checkout-request.json"), relay.status().message());
        assertTrue(AtomicFiles.ownerOnly(dir.resolve(RelayKey.FILE)));
        CheckoutRequest request = CheckoutRequest.parse(site.request());
        assertEquals(TestSite.SITE, request.fingerprint());
        assertEquals(site.vendor.licenseKey.licenseId(), request.licenseId());
        OctetKeyPair relayKey = request.relayKey();
        assertNotNull(relayKey);
        assertTrue(relay.key().is(relayKey));
        RelayUnavailableException e = assertThrows(RelayUnavailableException.class,
                () -> relay.lease("node-1", "n", q("cuda.device", "1")));
        assertEquals(Code.NO_CHECKOUT, e.status().code());
    }

    @Test
    void aCheckoutForAnotherRelayKeyOrWithoutOneIsRefusedAndSaysWhy() throws Exception {
        site = TestSite.create(dir);
        Relay relay = site.start(TTL);
        // Another relay's request (its own key) for the same license and site.
        TestSite other = new TestSite(site.vendor, dir.resolve("other"), site.clock, TestSite.SITE);
        other.start(TTL);
        String foreign = site.vendor.relayCheckout(other.request(), site.license(TestVendor.gpuLimits(), 8), 1,
                site.clock.instant(), site.clock.instant().plus(Duration.ofDays(10)));
        other.stop();
        Relay.CheckoutRejectedException e = assertThrows(Relay.CheckoutRejectedException.class,
                () -> relay.installCheckout(foreign));
        assertEquals(Code.CHECKOUT_INVALID, e.status().code());
        assertTrue(e.getMessage().contains("certifies relay key"), e.getMessage());
        // A plain (non-relay) checkout of this site.
        String request = site.request().replaceAll(",\"relay_key\":\\{[^}]*\\}", "");
        String plain = site.vendor.relayCheckout(request, site.license(TestVendor.gpuLimits(), 8), 1,
                site.clock.instant(), site.clock.instant().plus(Duration.ofDays(10)));
        e = assertThrows(Relay.CheckoutRejectedException.class, () -> relay.installCheckout(plain));
        assertTrue(e.getMessage().contains("not a relay checkout"), e.getMessage());
        // Signed by a key the relay does not pin.
        TestVendor forger = new TestVendor();
        String forged = forger.relayCheckout(site.request(), site.license(TestVendor.gpuLimits(), 8), 1,
                site.clock.instant(), site.clock.instant().plus(Duration.ofDays(10)));
        e = assertThrows(Relay.CheckoutRejectedException.class, () -> relay.installCheckout(forged));
        assertTrue(e.getMessage().startsWith("Checkout refused: DECRYPTION_FAILED")
                || e.getMessage().contains("UNKNOWN_KEY"), e.getMessage());
        assertFalse(relay.status().serving());
    }

    @Test
    void leasesAreSignedByTheCertifiedRelayKeyAndChainToThePinnedVendorKey() throws Exception {
        Relay relay = serving(TestVendor.gpuLimits(), 8);
        Relay.LeaseAnswer a = relay.lease("node-1", "nonce-1", q("cuda.device", "8", "cuda.shares", "2.5", "nodes", "1"));
        // lease -> relay key (certified in the checkout) -> checkout -> pinned vendor key
        var checkout = CheckoutFiles.verify(a.checkoutJws(), site.vendor.keys.publicJwkSet(), TestVendor.ISSUER,
                site.clock.instant(), Duration.ZERO);
        JWKSet relayKey = new JWKSet(checkout.document().relayKey());
        JWTClaimsSet claims = JwsVerifier.verify(a.token(), relayKey, LeaseClaims.TYP).claims();
        assertEquals("nonce-1", claims.getStringClaim("nonce"));
        assertEquals("node-1", claims.getStringClaim("fingerprint"));
        assertEquals(a.lease().id().toString(), claims.getJWTID());
        assertEquals(TestSite.T0.plus(TTL).getEpochSecond(), claims.getLongClaim("lease_until"));
        assertEquals(q("cuda.device", "8", "cuda.shares", "2.5"), LeaseClaims.fromClaims(claims).quantities());
        assertEquals(checkout.document().checkoutId().toString(), claims.getStringClaim("chk"));
        assertEquals(TestSite.SITE, claims.getStringClaim("site"));
        // The same chain as a node checks it (license-core's LeaseVerifier: the issued checkout opened with the key).
        VerifiedLease v = new LeaseVerifier(site.vendor.licenseKey, site.vendor.keys.publicJwkSet(), TestVendor.ISSUER,
                TestVendor.PRODUCT, Duration.ZERO).verify(a.token(), a.checkoutFile(), "nonce-1", "node-1",
                site.clock.instant());
        assertEquals(a.lease().id(), v.lease().leaseId());
        assertEquals(a.lease().until(), v.lease().leaseUntil());
    }

    @Test
    void manyThreadsNeverOverAllocate() throws Exception {
        // 10.5 shares, 40 nodes allowed; 16 threads ask 250 times for 0.25 or 0.1 shares and 1 or 2 GPUs (limit 37).
        Relay relay = serving(q("cuda.shares", "10.5", "cuda.device", "37"), 40);
        int threads = 16;
        int perThread = 250;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            futures.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < perThread; i++) {
                    String node = "node-" + (id * 7 + i) % 53; // more nodes than allowed, and repeats (replacements)
                    Map<String, BigDecimal> want = i % 2 == 0 ? q("cuda.shares", "0.25", "cuda.device", "1")
                            : q("cuda.shares", "0.1", "cuda.device", "2");
                    try {
                        relay.lease(node, "n" + i, want);
                        granted.incrementAndGet();
                    } catch (PoolRefusal e) {
                        refused.incrementAndGet();
                    }
                    if (i % 5 == 4) {
                        Lease mine = relay.leases().stream().filter(l -> l.node().equals(node)).findFirst()
                                .orElse(null);
                        if (mine != null) {
                            try {
                                relay.release(mine.id(), node);
                            } catch (LeaseNotFoundException gone) {
                                // another thread's replacement came first
                            }
                        }
                    }
                    Relay.PoolView v = relay.pool();
                    if (v.used().getOrDefault("cuda.shares", BigDecimal.ZERO).compareTo(new BigDecimal("10.5")) > 0
                            || v.used().getOrDefault("cuda.device", BigDecimal.ZERO).compareTo(BigDecimal.valueOf(37)) > 0
                            || v.nodes() > 40) {
                        violations.add(v.toString());
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : futures) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertTrue(violations.isEmpty(), "over-allocated: " + violations.peek());
        assertTrue(granted.get() > 0 && refused.get() > 0, granted + " granted, " + refused + " refused");
        // The live leases add up to the pool's sums, exactly, and to at most the limits.
        BigDecimal shares = BigDecimal.ZERO;
        for (Lease l : relay.leases()) {
            shares = shares.add(l.quantities().getOrDefault("cuda.shares", BigDecimal.ZERO));
        }
        assertEquals(0, shares.compareTo(relay.pool().used().getOrDefault("cuda.shares", BigDecimal.ZERO)));
        assertTrue(shares.compareTo(new BigDecimal("10.5")) <= 0);
        // And a restart replays the log to the same pool.
        Map<String, BigDecimal> before = relay.pool().used();
        int nodesBefore = relay.pool().nodes();
        site.stop();
        Relay again = site.start(TTL);
        assertTrue(again.status().serving(), again.status().message());
        assertEquals(before, again.pool().used());
        assertEquals(nodesBefore, again.pool().nodes());
    }

    @Test
    void leasesEndWithoutHeartbeatsAreReapedAndHeartbeatsExtendThemButNeverPastTheCheckout() throws Exception {
        Relay relay = serving(q("cuda.device", "8"), 0);
        Relay.LeaseAnswer a = relay.lease("node-a", "n1", q("cuda.device", "8"));
        assertThrows(PoolRefusal.class, () -> relay.lease("node-b", "n2", q("cuda.device", "1")));
        site.clock.advance(Duration.ofSeconds(59));
        Relay.LeaseAnswer beat = relay.heartbeat(a.lease().id(), "node-a", "n3");
        assertEquals(site.clock.instant().plus(TTL), beat.lease().until());
        site.clock.advance(Duration.ofSeconds(60));
        relay.tick();
        assertTrue(relay.leases().isEmpty(), "reaped once it ended");
        assertThrows(LeaseNotFoundException.class, () -> relay.heartbeat(a.lease().id(), "node-a", "n4"));
        Relay.LeaseAnswer b = relay.lease("node-b", "n5", q("cuda.device", "8"));
        // Another node cannot extend or release it.
        assertThrows(LeaseNotFoundException.class, () -> relay.heartbeat(b.lease().id(), "node-a", "n6"));
        assertThrows(LeaseNotFoundException.class, () -> relay.release(b.lease().id(), "node-a"));
        // Close to the checkout's end a lease stops at the end.
        Instant end = relay.served().document().until();
        site.clock.set(end.minusSeconds(90));
        Relay.LeaseAnswer c = relay.lease("node-c", "n7", q("cuda.device", "1"));
        assertEquals(end.minusSeconds(30), c.lease().until());
        site.clock.set(end.minusSeconds(40));
        Relay.LeaseAnswer last = relay.heartbeat(c.lease().id(), "node-c", "n7");
        assertEquals(end, last.lease().until(), "a heartbeat near the end stops at the checkout's end");
        site.clock.set(end.minusSeconds(2));
        RelayUnavailableException e = assertThrows(RelayUnavailableException.class,
                () -> relay.lease("node-c", "n8", q("cuda.device", "1")));
        assertEquals(Code.CHECKOUT_EXPIRED, e.status().code());
        site.clock.set(end);
        relay.tick();
        assertEquals(Code.CHECKOUT_EXPIRED, relay.status().code());
        // The expiry is in the log, as the lease's end.
        List<LogRecord> records = new ArrayList<>();
        UsageLog.read(dir, relay.key(), records::add);
        assertTrue(records.stream().anyMatch(r -> r.type() == LogRecord.Type.EXPIRE
                && r.text("lease").equals(a.lease().id().toString())));
    }

    @Test
    void leasesSurviveARestartAndARenewedCheckoutReplacesTheOld() throws Exception {
        Relay relay = serving(q("cuda.device", "8"), 0);
        Relay.LeaseAnswer a = relay.lease("node-a", "n1", q("cuda.device", "6"));
        site.stop();
        site.clock.advance(Duration.ofSeconds(10));
        Relay again = site.start(TTL);
        assertTrue(again.status().serving(), again.status().message());
        assertEquals(List.of(a.lease()), again.leases());
        assertThrows(PoolRefusal.class, () -> again.lease("node-b", "n2", q("cuda.device", "3")));
        again.heartbeat(a.lease().id(), "node-a", "n3");
        // A renewed checkout with a larger pool.
        String renewed = site.vendor.relayCheckout(site.request(), site.license(q("cuda.device", "16"), 0), 2,
                site.clock.instant(), site.clock.instant().plus(Duration.ofDays(60)));
        again.installCheckout(renewed);
        again.lease("node-b", "n4", q("cuda.device", "10"));
        assertEquals(2, again.served().document().sequence());
        // The older one is refused now.
        String older = site.vendor.relayCheckout(site.request(), site.license(q("cuda.device", "99"), 0), 1,
                site.clock.instant(), site.clock.instant().plus(Duration.ofDays(60)));
        assertThrows(Relay.CheckoutRejectedException.class, () -> again.installCheckout(older));
        assertEquals(renewed + "\n", Files.readString(dir.resolve("checkout.jwe"), StandardCharsets.US_ASCII));
    }

    @Test
    void aDataDirectoryMovedToAnotherSiteRefusesToServe() {
        serving(q("cuda.device", "8"), 0);
        site.stop();
        TestSite moved = new TestSite(site.vendor, dir, site.clock, "k8s-" + "6".repeat(64));
        Relay relay = moved.start(TTL);
        try {
            assertEquals(Code.WRONG_SITE, relay.status().code());
            assertTrue(relay.status().message().contains(TestSite.SITE), relay.status().message());
            assertThrows(RelayUnavailableException.class, () -> relay.lease("n", "n", q("cuda.device", "1")));
        } finally {
            moved.stop();
        }
    }

    @Test
    void aSecondRelayOnTheSameDirectoryIsRefused() {
        serving(q("cuda.device", "8"), 0);
        Relay second = new Relay(site.settings(TTL), site.clock);
        try {
            assertEquals(Code.STORAGE_FAILED, second.start().code());
        } finally {
            second.close();
        }
    }

    @Test
    void aClockSetBackBehindTheLogStopsServingUntilItIsRight() {
        Relay relay = serving(q("cuda.device", "8"), 0);
        relay.lease("node-a", "n", q("cuda.device", "1"));
        site.clock.advance(Duration.ofHours(-1));
        relay.tick();
        assertEquals(Code.CLOCK_BEHIND, relay.status().code());
        assertThrows(RelayUnavailableException.class, () -> relay.lease("node-b", "n", q("cuda.device", "1")));
        site.clock.advance(Duration.ofHours(1));
        relay.tick();
        assertTrue(relay.status().serving(), relay.status().message());
    }
}
