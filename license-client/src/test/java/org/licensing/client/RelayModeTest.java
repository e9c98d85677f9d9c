package org.licensing.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.json.Json;
import org.licensing.core.key.LicenseKey;
import org.licensing.core.relay.LeaseClaims;

/**
 * Relay mode against a relay on a real HTTP server ({@link FakeRelay}) that signs with real keys: the lease, its
 * chain to the pinned vendor key, heartbeats, release, refusals, and the held lease answering while the relay is
 * away, until it ends.
 */
class RelayModeTest {

    static final String NODE = "host-" + "a".repeat(64);
    static final Map<String, BigDecimal> TWO_GPUS = Map.of("cuda.device", new BigDecimal("2"), "cuda.shares",
            new BigDecimal("0.5"));

    @TempDir
    Path tmp;

    final TestClock clock = new TestClock();
    final LicenseKey key = LicenseKey.generate(UUID.randomUUID());
    FakeRelay relay;

    @BeforeEach
    void start() throws Exception {
        relay = new FakeRelay(clock, key, Map.of("cuda.device", new BigDecimal("4"), "cuda.shares",
                new BigDecimal("1.5")));
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    LicenseClient.Builder builder(String node, Map<String, BigDecimal> quantities) {
        return LicenseClient.builder()
                .relayUrl(relay.url())
                .productCode(FakeValidator.PRODUCT)
                .licenseKey(key.text())
                .pinnedKeys(relay.pinnedJwks())
                .cacheDirectory(tmp.resolve(node))
                .fingerprint(FingerprintStrategy.supplied(node))
                .leaseQuantities(quantities)
                .connectTimeout(Duration.ofMillis(500))
                .requestTimeout(Duration.ofMillis(700))
                .clock(clock);
    }

    @Test
    void leasesItsQuantitiesWithItsFingerprintAndANonceAndAnswersWithThem() {
        try (LicenseClient client = builder(NODE, TWO_GPUS).build()) {
            assertEquals(Map.of(), client.leasedQuantities());
            LicenseAnswer a = client.validate();
            assertEquals(LicenseCode.VALID, a.code(), a.detail());
            assertEquals(LicenseAnswer.Source.RELAY, a.source());
            assertEquals(key.licenseId().toString(), a.licenseId());
            assertEquals(clock.instant().plus(FakeRelay.TTL), a.leaseUntil());
            assertEquals(new BigDecimal("0.5"), client.leasedQuantities().get("cuda.shares"));
            assertEquals(new BigDecimal("0.5"), a.entitlements().limit("cuda.shares").orElseThrow());
            assertTrue(a.entitlements().feature("mig"), "features come from the vendor-signed checkout");
            var sent = relay.http.requests("/v1/leases").get(0);
            assertEquals("POST", sent.method());
            Map<String, Object> body = parse(sent.body());
            assertEquals(NODE, body.get("fingerprint"));
            assertEquals(22, ((String) body.get("nonce")).length(), "16 random bytes, base64url");
            assertEquals(Map.of("cuda.device", new BigDecimal("2"), "cuda.shares", new BigDecimal("0.5")),
                    body.get("quantities"));
            // Offline, without network: usage within the lease, then past it.
            assertEquals(LicenseCode.VALID, client.check(Map.of("cuda.device", new BigDecimal("2"))).code());
            LicenseAnswer over = client.check(Map.of("cuda.device", new BigDecimal("3")));
            assertEquals(LicenseCode.LIMIT_EXCEEDED, over.code());
            assertEquals("cuda.device", over.limit());
            assertEquals(1, relay.http.requests("/v1/leases").size(), "check() never calls the relay");
        }
    }

    @Test
    void validatingAgainExtendsTheLeaseAndCloseReleasesIt() {
        LicenseClient client = builder(NODE, TWO_GPUS).build();
        LicenseAnswer first = client.validate();
        clock.advance(Duration.ofSeconds(40));
        LicenseAnswer second = client.validate();
        assertEquals(LicenseCode.VALID, second.code(), second.detail());
        assertEquals(first.leaseUntil().plusSeconds(40), second.leaseUntil());
        var requests = relay.http.requests("/v1/leases");
        assertEquals("PUT", requests.get(1).method());
        assertTrue(requests.get(1).path().startsWith("/v1/leases/"), requests.get(1).path());
        assertEquals(1, relay.liveLeases(), "extended, not a second lease");
        assertTrue(Files.isRegularFile(kept(NODE)), "the held lease is kept in the cache directory");
        client.close();
        assertEquals("DELETE", relay.http.requests("/v1/leases").get(2).method());
        assertEquals(0, relay.liveLeases(), "released on close");
        assertFalse(Files.exists(kept(NODE)), "a released lease is not kept for the next run");
    }

    Path kept(String node) {
        return tmp.resolve(node).resolve(CacheStore.LEASE);
    }

    @Test
    void aRestartedProductAnswersFromTheKeptLeaseWhileTheRelayIsAwayUntilItEnds() throws Exception {
        LicenseClient before = builder(NODE, TWO_GPUS).build();
        LicenseAnswer granted = before.validate();
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(kept(NODE)));
        relay.close();
        before.close(); // the release cannot reach the relay, which still counts the lease: it is kept
        assertTrue(Files.isRegularFile(kept(NODE)));
        clock.advance(Duration.ofSeconds(30));
        try (LicenseClient restarted = builder(NODE, TWO_GPUS).build()) {
            assertEquals(new BigDecimal("2"), restarted.leasedQuantities().get("cuda.device"));
            LicenseAnswer away = restarted.validate();
            assertEquals(LicenseCode.VALID, away.code(), away.detail());
            assertEquals(LicenseAnswer.Source.CACHE, away.source());
            assertEquals(granted.leaseUntil(), away.leaseUntil(), "the lease the relay answered, not a longer one");
            assertTrue(away.entitlements().feature("mig"), "the vendor-signed checkout, read again");
            assertEquals(LicenseCode.VALID, restarted.check().code());
            clock.set(granted.leaseUntil());
            assertEquals(LicenseCode.OFFLINE_EXPIRED, restarted.check().code(), "never past lease_until");
            assertEquals(Map.of(), restarted.leasedQuantities());
        }
    }

    @Test
    void aProductRestartedAfterACrashExtendsItsKeptLeaseInsteadOfTakingASecond() {
        LicenseClient crashed = builder(NODE, TWO_GPUS).build(); // never closed: a crash gives nothing back
        LicenseAnswer first = crashed.validate();
        clock.advance(Duration.ofSeconds(10));
        try (LicenseClient restarted = builder(NODE, TWO_GPUS).build()) {
            LicenseAnswer again = restarted.validate();
            assertEquals(LicenseCode.VALID, again.code(), again.detail());
            assertEquals(first.leaseUntil().plusSeconds(10), again.leaseUntil());
            var requests = relay.http.requests("/v1/leases");
            assertEquals(List.of("POST", "PUT"), requests.stream().map(r -> r.method()).toList());
            assertEquals(1, relay.liveLeases(), "the kept lease extended");
        }
    }

    @Test
    void aKeptLeaseThatWasChangedOrBelongsToAnotherNodeIsRefused() throws Exception {
        LicenseClient before = builder(NODE, TWO_GPUS).build();
        before.validate();
        relay.close();
        before.close();
        String text = Files.readString(kept(NODE));
        Map<String, Object> json = parse(text);
        String[] jws = ((String) json.get("lease")).split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(jws[1]), StandardCharsets.UTF_8);
        assertTrue(payload.contains("\"cuda.device\":2"), payload);
        String more = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.replace("\"cuda.device\":2",
                "\"cuda.device\":4").getBytes(StandardCharsets.UTF_8));
        Files.writeString(kept(NODE), text.replace(jws[1], more));
        try (LicenseClient restarted = builder(NODE, TWO_GPUS).build()) {
            LicenseAnswer a = restarted.validate();
            assertEquals(LicenseCode.UNCONFIRMED, a.code(), a.detail());
            assertTrue(a.detail().contains("was refused (BAD_SIGNATURE"), a.detail());
            assertEquals(Map.of(), restarted.leasedQuantities());
        }
        // The untouched file copied to another node's cache: not that node's lease.
        Files.createDirectories(tmp.resolve("node-b"));
        Files.writeString(kept("node-b"), text);
        try (LicenseClient other = builder("node-b", TWO_GPUS).build()) {
            LicenseAnswer a = other.check();
            assertEquals(LicenseCode.UNCONFIRMED, a.code(), a.detail());
            assertTrue(a.detail().contains("was refused"), a.detail());
        }
    }

    @Test
    void heartbeatsExtendTheLeaseInTheBackgroundUntilClose() throws Exception {
        LicenseClient client = builder(NODE, TWO_GPUS).heartbeatInterval(Duration.ofMillis(50)).build();
        client.validate();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (relay.http.requests("/v1/leases").stream().filter(r -> r.method().equals("PUT")).count() < 2
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(relay.http.requests("/v1/leases").stream().filter(r -> r.method().equals("PUT")).count() >= 2,
                "heartbeats sent in the background");
        client.close();
        int after = relay.http.requests("/v1/leases").size();
        Thread.sleep(300);
        assertEquals(after, relay.http.requests("/v1/leases").size(), "no heartbeat after close");
    }

    @Test
    void aForgedLeaseIsRefused() {
        relay.signer = SigningKeys.generate("relay-1"); // the certified kid, another key
        try (LicenseClient client = builder(NODE, TWO_GPUS).build()) {
            LicenseAnswer a = client.validate();
            assertEquals(LicenseCode.INVALID_LEASE, a.code());
            assertTrue(a.detail().contains("BAD_SIGNATURE"), a.detail());
            assertNull(a.leaseUntil());
            assertEquals(Map.of(), client.leasedQuantities());
            assertEquals(LicenseCode.UNCONFIRMED, client.check().code(), "nothing held");
        }
    }

    @Test
    void aLeaseAnsweringAnotherNonceOrNodeIsRefused() {
        relay.mangle = c -> new LeaseClaims(c.leaseId(), c.issuedAt(), c.leaseUntil(), "an-earlier-nonce",
                c.fingerprint(), c.quantities(), c.licenseId(), c.productCode(), c.checkoutId(), c.site());
        try (LicenseClient client = builder(NODE, TWO_GPUS).build()) {
            LicenseAnswer a = client.validate();
            assertEquals(LicenseCode.INVALID_LEASE, a.code());
            assertTrue(a.detail().contains("WRONG_NONCE"), a.detail());
        }
        relay.mangle = c -> new LeaseClaims(c.leaseId(), c.issuedAt(), c.leaseUntil(), c.nonce(),
                "host-" + "b".repeat(64), c.quantities(), c.licenseId(), c.productCode(), c.checkoutId(), c.site());
        try (LicenseClient client = builder(NODE, TWO_GPUS).build()) {
            assertTrue(client.validate().detail().contains("WRONG_FINGERPRINT"));
        }
    }

    @Test
    void theHeldLeaseAnswersWhileTheRelayIsAwayUntilItEndsThenNot() {
        try (LicenseClient client = builder(NODE, TWO_GPUS).build()) {
            LicenseAnswer granted = client.validate();
            relay.close();
            clock.advance(Duration.ofSeconds(100));
            LicenseAnswer away = client.validate();
            assertEquals(LicenseCode.VALID, away.code(), away.detail());
            assertEquals(LicenseAnswer.Source.CACHE, away.source());
            assertTrue(away.detail().startsWith("The relay could not be reached"), away.detail());
            assertEquals(granted.leaseUntil(), away.leaseUntil());
            assertEquals(new BigDecimal("2"), client.leasedQuantities().get("cuda.device"));
            clock.set(granted.leaseUntil().minusSeconds(1));
            assertEquals(LicenseCode.VALID, client.check().code());
            clock.set(granted.leaseUntil());
            assertEquals(LicenseCode.OFFLINE_EXPIRED, client.validate().code());
            assertEquals(LicenseCode.OFFLINE_EXPIRED, client.check().code());
            assertEquals(Map.of(), client.leasedQuantities());
        }
    }

    @Test
    void aClockTurnedBackBehindTheLeaseIsClockTampered() {
        try (LicenseClient client = builder(NODE, TWO_GPUS).build()) {
            client.validate();
            clock.advance(Duration.ofHours(-2));
            assertEquals(LicenseCode.CLOCK_TAMPERED, client.check().code());
        }
    }

    @Test
    void anExhaustedPoolIsAClearRefusalNamingTheQuantity() {
        Map<String, BigDecimal> gpus = Map.of("cuda.device", new BigDecimal("2"));
        try (LicenseClient a = builder("node-a", gpus).build(); LicenseClient b = builder("node-b", gpus).build();
                LicenseClient c = builder("node-c", gpus).build()) {
            assertTrue(a.validate().usable());
            assertTrue(b.validate().usable());
            LicenseAnswer third = c.validate();
            assertEquals(LicenseCode.POOL_EXHAUSTED, third.code());
            assertEquals("cuda.device", third.limit());
            assertTrue(third.detail().contains("0 available"), third.detail());
            assertFalse(third.usable());
            a.close(); // gives its two GPUs back
            assertTrue(c.validate().usable());
        }
    }

    @Test
    void aRelayThatDoesNotServeAnswersNothingWithoutAHeldLeaseAndAForgottenLeaseIsLeasedAgain() {
        relay.failWith = 503;
        try (LicenseClient client = builder(NODE, TWO_GPUS).build()) {
            LicenseAnswer a = client.validate();
            assertEquals(LicenseCode.UNCONFIRMED, a.code());
            assertTrue(a.detail().contains("HTTP 503"), a.detail());
            relay.failWith = null;
            assertTrue(client.validate().usable());
            relay.forget(); // the relay lost the lease (its data directory was replaced): the heartbeat gets 404
            int before = relay.http.requests("/v1/leases").size();
            LicenseAnswer again = client.validate();
            assertEquals(LicenseCode.VALID, again.code(), again.detail());
            assertEquals(LicenseAnswer.Source.RELAY, again.source());
            var after = relay.http.requests("/v1/leases");
            assertEquals("PUT", after.get(before).method());
            assertEquals("POST", after.get(before + 1).method(), "leased anew");
            assertEquals(1, relay.liveLeases());
        }
    }

    static Map<String, Object> parse(String json) {
        try {
            return Json.parseObject(json);
        } catch (Json.JsonException e) {
            throw new AssertionError(e);
        }
    }
}
