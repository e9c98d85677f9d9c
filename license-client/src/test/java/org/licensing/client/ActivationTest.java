package org.licensing.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensing.core.json.Json;

class ActivationTest {

    private static final String FP = "host-test%2Fmachine 1"; // needs percent-encoding in the path

    @TempDir
    Path tmp;
    Fixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new Fixture(tmp);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private LicenseClient.Builder builder() {
        return f.builder().fingerprint(FingerprintStrategy.supplied(FP));
    }

    private static String machine(int active, int max) {
        return "{\"licenseId\":\"x\",\"fingerprint\":\"" + FP + "\",\"activatedAt\":\"2026-03-01T12:00:00Z\","
                + "\"lastSeenAt\":\"2026-03-01T12:00:00Z\",\"heartbeatDueBy\":\"2026-03-01T13:00:00Z\","
                + "\"activeMachines\":" + active + ",\"maxActivations\":" + max + "}";
    }

    private static FakeValidator.Reply problem(int status, String slug, String code, String detail) {
        return new FakeValidator.Reply(status, "{\"type\":\"https://licensing.dev/problems/" + slug + "\",\"status\":"
                + status + ",\"detail\":\"" + detail + "\"" + (code == null ? "" : ",\"code\":\"" + code + "\"") + "}",
                Map.of("Content-Type", "application/problem+json"));
    }

    @Test
    void activateSendsKeyFingerprintAndProduct() throws Exception {
        f.validator.handler = req -> FakeValidator.Reply.json(201, machine(3, 5));
        try (LicenseClient client = builder().build()) {
            ActivationAnswer a = client.activate();
            assertEquals(ActivationAnswer.Outcome.ACTIVATED, a.outcome());
            assertTrue(a.ok());
            assertEquals(FP, a.fingerprint());
            assertEquals(3, a.activeMachines());
            assertEquals(5, a.maxActivations());
            assertEquals(Instant.parse("2026-03-01T13:00:00Z"), a.heartbeatDueBy());
            assertFalse(client.heartbeatsRunning(), "no heartbeat interval configured");
        }
        FakeValidator.Recorded req = f.validator.requests.get(0);
        assertEquals("POST", req.method());
        assertEquals("/v1/activations", req.path());
        Map<String, Object> body = Json.parseObject(req.body());
        assertEquals(f.key.text(), body.get("key"));
        assertEquals(FP, body.get("fingerprint"));
        assertEquals(FakeValidator.PRODUCT, body.get("productCode"));

        f.validator.handler = r -> FakeValidator.Reply.json(200, machine(3, 5));
        try (LicenseClient client = builder().build()) {
            assertEquals(ActivationAnswer.Outcome.ALREADY_ACTIVE, client.activate().outcome());
        }
    }

    @Test
    void refusalsAreTyped() {
        try (LicenseClient client = builder().build()) {
            f.validator.handler = r -> problem(409, "too-many-activations", "TOO_MANY_ACTIVATIONS", "limit 5");
            ActivationAnswer a = client.activate();
            assertEquals(ActivationAnswer.Outcome.REFUSED, a.outcome());
            assertEquals(LicenseCode.TOO_MANY_ACTIVATIONS, a.code());
            assertEquals("limit 5", a.detail());
            f.validator.handler = r -> problem(404, "license-not-found", "NOT_FOUND", "No license matches this key.");
            assertEquals(LicenseCode.NOT_FOUND, client.activate().code());
            f.validator.handler = r -> problem(403, "license-not-usable", "REVOKED", "revoked");
            assertEquals(LicenseCode.REVOKED, client.activate().code());
            f.validator.handler = r -> problem(400, "malformed-license-key", "MALFORMED_KEY", "bad");
            assertEquals(LicenseCode.MALFORMED_KEY, client.activate().code());
            f.validator.handler = r -> problem(400, "invalid-request", null, "fingerprint is required.");
            assertThrows(LicenseClientException.class, client::activate);
            f.validator.handler = r -> FakeValidator.Reply.json(502, "bad gateway");
            assertEquals(ActivationAnswer.Outcome.UNAVAILABLE, client.activate().outcome());
            f.validator.handler = r -> new FakeValidator.Reply(503, "{\"detail\":\"busy\"}", Map.of("Retry-After", "1"));
            ActivationAnswer busy = client.activate();
            assertEquals(ActivationAnswer.Outcome.RETRY_LATER, busy.outcome());
            assertEquals(Duration.ofSeconds(1), busy.retryAfter());
        }
    }

    @Test
    void heartbeatAndDeactivateUseTheAuthorizationHeader() {
        try (LicenseClient client = builder().build()) {
            f.validator.handler = r -> FakeValidator.Reply.json(200, machine(1, 5));
            assertEquals(ActivationAnswer.Outcome.SEEN, client.heartbeat().outcome());
            f.validator.handler = r -> new FakeValidator.Reply(204, null, Map.of());
            assertEquals(ActivationAnswer.Outcome.DEACTIVATED, client.deactivate().outcome());
            f.validator.handler = r -> problem(404, "activation-not-found", "FINGERPRINT_MISMATCH", "not active");
            ActivationAnswer gone = client.heartbeat();
            assertEquals(ActivationAnswer.Outcome.REFUSED, gone.outcome());
            assertEquals(LicenseCode.FINGERPRINT_MISMATCH, gone.code());
            f.validator.handler = r -> new FakeValidator.Reply(429, "{\"type\":\"https://licensing.dev/problems/"
                    + "deactivation-limit\",\"status\":429,\"detail\":\"3 per day\",\"opensAt\":\"2026-03-02T00:00:00Z\"}",
                    Map.of("Retry-After", "43200"));
            ActivationAnswer limited = client.deactivate();
            assertEquals(ActivationAnswer.Outcome.RETRY_LATER, limited.outcome());
            assertEquals(Duration.ofHours(12), limited.retryAfter());
        }
        var beat = f.validator.requests.get(0);
        assertEquals("POST", beat.method());
        assertEquals("/v1/activations/host-test%252Fmachine%201/heartbeat", beat.path());
        assertEquals("License " + f.key.text(), beat.header("Authorization"));
        var delete = f.validator.requests.get(1);
        assertEquals("DELETE", delete.method());
        assertEquals("/v1/activations/host-test%252Fmachine%201", delete.path());
        assertEquals("License " + f.key.text(), delete.header("Authorization"));
    }

    @Test
    void heartbeatsRunInTheBackgroundUntilClose() throws Exception {
        AtomicInteger beats = new AtomicInteger();
        f.validator.handler = r -> {
            if (r.path().endsWith("/heartbeat")) {
                beats.incrementAndGet();
                return FakeValidator.Reply.json(200, machine(1, 5));
            }
            return FakeValidator.Reply.json(201, machine(1, 5));
        };
        LicenseClient client = builder().heartbeatInterval(Duration.ofMillis(40)).build();
        try {
            assertTrue(client.activate().ok());
            assertTrue(client.heartbeatsRunning());
            Thread heartbeat = waitForThread("license-heartbeat-" + FakeValidator.PRODUCT);
            assertTrue(heartbeat.isDaemon());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (beats.get() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(beats.get() >= 3, "heartbeats sent: " + beats.get());
        } finally {
            client.close();
        }
        assertFalse(client.heartbeatsRunning());
        Thread.sleep(200);
        int after = beats.get();
        Thread.sleep(300);
        assertEquals(after, beats.get(), "no heartbeat after close()");
        assertThrows(LicenseClientException.class, client::validate, "closed");
        client.close(); // idempotent
    }

    @Test
    void aLapsedSeatIsClaimedAgainAndDeactivateStopsHeartbeats() throws Exception {
        AtomicInteger activations = new AtomicInteger();
        f.validator.handler = r -> {
            if (r.path().endsWith("/heartbeat")) {
                return problem(404, "activation-not-found", "FINGERPRINT_MISMATCH", "lapsed");
            }
            if (r.method().equals("DELETE")) {
                return new FakeValidator.Reply(204, null, Map.of());
            }
            activations.incrementAndGet();
            return FakeValidator.Reply.json(201, machine(1, 5));
        };
        try (LicenseClient client = builder().heartbeatInterval(Duration.ofMillis(40)).build()) {
            client.activate();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (activations.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(activations.get() >= 2, "re-activated after a lapsed heartbeat");
            assertTrue(client.deactivate().ok());
            assertFalse(client.heartbeatsRunning());
        }
    }

    @Test
    void unreachableValidatorIsUnavailable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (LicenseClient client = builder().validatorUrl(URI.create("http://127.0.0.1:" + port)).build()) {
            ActivationAnswer a = client.activate();
            assertEquals(ActivationAnswer.Outcome.UNAVAILABLE, a.outcome());
            assertNull(a.code());
            assertFalse(a.ok());
        }
    }

    @Test
    void activationNeedsAFingerprint() {
        try (LicenseClient client = f.builder().fingerprint(FingerprintStrategy.none()).build()) {
            assertThrows(LicenseClientException.class, client::activate);
            assertEquals(LicenseCode.VALID, client.validate().code(), "validation without a fingerprint works");
        }
        assertFalse(f.validator.requests.get(0).body().contains("fingerprint"));
    }

    private static Thread waitForThread(String name) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals(name)) {
                    return t;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no thread " + name);
    }
}
