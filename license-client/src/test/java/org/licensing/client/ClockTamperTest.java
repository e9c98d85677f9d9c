package org.licensing.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clock-tamper rule: a system clock earlier than the latest trusted time (receipt iat, license file iat, the
 * client's own last run) by more than the tolerance gives CLOCK_TAMPERED instead of a usable answer.
 */
class ClockTamperTest {

    private static final Duration TOLERANCE = Duration.ofMinutes(30);

    @TempDir
    Path tmp;
    Fixture f;
    /** The product's clock; the fake validator keeps the real time in {@code f.clock}. */
    TestClock local;

    @BeforeEach
    void setUp() throws Exception {
        f = new Fixture(tmp);
        local = new TestClock(f.clock.instant());
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private LicenseClient client() {
        return f.builder().clock(local).clockTolerance(TOLERANCE).build();
    }

    private void offline() {
        f.validator.handler = req -> FakeValidator.Reply.json(503, "{}");
    }

    @Test
    void onlineALocalClockBehindTheValidatorIsTampered() {
        try (LicenseClient client = client()) {
            local.set(f.clock.instant().minus(TOLERANCE).minusSeconds(1));
            LicenseAnswer a = client.validate();
            assertEquals(LicenseCode.CLOCK_TAMPERED, a.code(), a.detail());
            assertFalse(a.usable());
            assertEquals(LicenseAnswer.Source.NETWORK, a.source());

            local.set(f.clock.instant().minus(TOLERANCE));
            assertEquals(LicenseCode.VALID, client.validate().code(), "within the tolerance");
        }
    }

    @Test
    void onlineRefusalsKeepTheirCode() {
        f.validator.onValidate = s -> {
            s.code = "REVOKED";
            s.leaseUntil = s.iat;
        };
        try (LicenseClient client = client()) {
            local.set(f.clock.instant().minus(Duration.ofDays(30)));
            assertEquals(LicenseCode.REVOKED, client.validate().code());
        }
    }

    @Test
    void offlineTurningTheClockBackBeforeTheReceiptIsTampered() {
        try (LicenseClient client = client()) {
            assertEquals(LicenseCode.VALID, client.validate().code());
            offline();
            local.set(f.clock.instant().minus(TOLERANCE));
            assertEquals(LicenseCode.VALID, client.check().code(), "within the tolerance");
            local.set(f.clock.instant().minus(TOLERANCE).minusSeconds(1));
            assertEquals(LicenseCode.CLOCK_TAMPERED, client.check().code());
            assertEquals(LicenseCode.CLOCK_TAMPERED, client.validate().code(), "fallback too");
        }
    }

    @Test
    void theClientsOwnLastRunCountsAcrossRestarts() {
        Instant t0 = f.clock.instant();
        try (LicenseClient client = client()) {
            assertEquals(LicenseCode.VALID, client.validate().code());
        }
        offline();
        local.set(t0.plus(Duration.ofHours(10)));
        try (LicenseClient client = client()) {
            assertEquals(LicenseCode.VALID, client.check().code()); // remembers t0 + 10 h
        }
        // Back to t0 + 8 h: still after the receipt's iat, still inside the lease, but before the last run.
        local.set(t0.plus(Duration.ofHours(8)));
        try (LicenseClient client = client()) {
            LicenseAnswer a = client.check();
            assertEquals(LicenseCode.CLOCK_TAMPERED, a.code(), a.detail());
            assertTrue(a.detail().contains(t0.plus(Duration.ofHours(10)).toString()), a.detail());
        }
        // Deleting the unsigned clock file only falls back to the signed iat: t0 + 8 h then passes, t0 - 1 h does not.
        try {
            Files.delete(f.cacheDir.resolve(CacheStore.CLOCK));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (LicenseClient client = client()) {
            assertEquals(LicenseCode.VALID, client.check().code());
            local.set(t0.minus(Duration.ofHours(1)));
            assertEquals(LicenseCode.CLOCK_TAMPERED, client.check().code());
        }
    }

    @Test
    void aFreshReceiptHealsATrustedTimePushedByAClockRunningAhead() {
        Instant t0 = f.clock.instant();
        try (LicenseClient client = client()) {
            assertEquals(LicenseCode.VALID, client.validate().code());
            offline();
            local.set(t0.plus(Duration.ofHours(20))); // the clock ran ahead once
            assertEquals(LicenseCode.VALID, client.check().code());
            local.set(t0.plus(Duration.ofHours(1))); // corrected
            assertEquals(LicenseCode.CLOCK_TAMPERED, client.check().code());
            f.validator.handler = null; // online again: the validator's time is the reference
            f.clock.set(t0.plus(Duration.ofHours(1)));
            assertEquals(LicenseCode.VALID, client.validate().code());
            assertEquals(LicenseCode.VALID, client.check().code());
        }
    }

    @Test
    void zeroToleranceIsStrict() {
        try (LicenseClient client = f.builder().clock(local).clockTolerance(Duration.ZERO).build()) {
            assertEquals(LicenseCode.VALID, client.validate().code());
            local.set(f.clock.instant().minusSeconds(1));
            assertEquals(LicenseCode.CLOCK_TAMPERED, client.check().code());
        }
    }

    @Test
    void theSystemClockIsTheDefault() {
        try (LicenseClient client = f.builder().clock(Clock.systemUTC()).build()) {
            f.clock.set(Instant.now());
            assertEquals(LicenseCode.VALID, client.validate().code());
        }
    }
}
