package org.licensing.validator.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.licensing.store.Activation;
import org.licensing.core.license.Entitlements;
import org.licensing.store.LicenseRecord;
import org.licensing.core.license.LicenseStatus;

class ValidationFlowTest {

    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    final ValidationFlow flow = new ValidationFlow();

    static LicenseRecord license(LicenseStatus status, Instant notBefore, Instant expiresAt, int graceDays, int max,
            int heartbeatHours, Map<String, Activation> activations) {
        return LicenseRecord.builder().licenseId("id-1").keyHash("hash").customerId("cust").productCode("prod")
                .status(status).issuedAt(NOW.minusSeconds(86_400 * 10)).notBefore(notBefore).expiresAt(expiresAt)
                .graceDays(graceDays).maxActivations(max).heartbeatHours(heartbeatHours).overagePercent(25)
                .entitlements(Entitlements.ofWholeLimits(Map.of(), Map.of("gpus", 8L))).activations(activations)
                .updatedAt(NOW).build();
    }

    static LicenseRecord active() {
        return license(LicenseStatus.ACTIVE, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)), 7, 2, 0,
                Map.of("m1", new Activation("m1", NOW, NOW)));
    }

    static ValidationInput input(String product, String fingerprint, Map<String, Long> usage) {
        Map<String, BigDecimal> decimals = new HashMap<>();
        usage.forEach((name, value) -> decimals.put(name, BigDecimal.valueOf(value)));
        return new ValidationInput(product, fingerprint, decimals, NOW);
    }

    static long allowed(long limit, int overagePercent) {
        return ValidationFlow.allowedWithOverage(BigDecimal.valueOf(limit), overagePercent).longValueExact();
    }

    @Test
    void validWithLeaseCapAtGraceEnd() {
        CheckResult r = flow.validate(active(), input("prod", "m1", Map.of("gpus", 8L)));
        assertEquals(ValidationCode.VALID, r.code());
        assertEquals(active().graceEndsAt(), r.leaseCap());
    }

    @Test
    void revokedWinsOverEverythingElse() {
        LicenseRecord l = license(LicenseStatus.REVOKED, NOW.plusSeconds(10), NOW.minus(Duration.ofDays(100)), 0, 1, 0, Map.of());
        assertEquals(ValidationCode.REVOKED, flow.validate(l, input("other", "x", Map.of())).code());
    }

    @Test
    void suspended() {
        LicenseRecord l = license(LicenseStatus.SUSPENDED, NOW.minusSeconds(10), NOW.plusSeconds(100), 0, 0, 0, Map.of());
        CheckResult r = flow.validate(l, input("prod", null, Map.of()));
        assertEquals(ValidationCode.SUSPENDED, r.code());
        assertFalse(r.permitsUse());
    }

    @Test
    void notYetValid() {
        LicenseRecord l = license(LicenseStatus.ACTIVE, NOW.plusSeconds(10), NOW.plusSeconds(100), 0, 0, 0, Map.of());
        assertEquals(ValidationCode.NOT_YET_VALID, flow.validate(l, input("prod", null, Map.of())).code());
    }

    @Test
    void expiredWithinGraceKeepsWorkingUntilGraceEnds() {
        LicenseRecord l = license(LicenseStatus.ACTIVE, NOW.minus(Duration.ofDays(40)), NOW.minus(Duration.ofDays(1)), 7, 0, 0,
                Map.of());
        CheckResult r = flow.validate(l, input("prod", null, Map.of()));
        assertEquals(ValidationCode.EXPIRED, r.code());
        assertTrue(r.permitsUse());
        assertEquals(l.graceEndsAt(), r.leaseCap());
    }

    @Test
    void expiredPastGraceIsRefused() {
        LicenseRecord l = license(LicenseStatus.ACTIVE, NOW.minus(Duration.ofDays(40)), NOW.minus(Duration.ofDays(8)), 7, 0, 0,
                Map.of());
        CheckResult r = flow.validate(l, input("prod", null, Map.of()));
        assertEquals(ValidationCode.EXPIRED, r.code());
        assertFalse(r.permitsUse());
    }

    @Test
    void productMismatch() {
        assertEquals(ValidationCode.PRODUCT_MISMATCH, flow.validate(active(), input("other", null, Map.of())).code());
    }

    @Test
    void fingerprintMismatchForUnknownMachine() {
        assertEquals(ValidationCode.FINGERPRINT_MISMATCH, flow.validate(active(), input("prod", "m2", Map.of())).code());
    }

    @Test
    void machineLockedLicenseRequiresAFingerprint() {
        CheckResult r = flow.validate(active(), input("prod", null, Map.of()));
        assertEquals(ValidationCode.FINGERPRINT_MISMATCH, r.code());
        assertEquals("This license is locked to 2 activated machine(s): send the machine's fingerprint.", r.detail());
    }

    @Test
    void noFingerprintNeededWithoutAnActivationLimit() {
        LicenseRecord unlimited = license(LicenseStatus.ACTIVE, NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(30)), 7, 0, 0, Map.of("m1", new Activation("m1", NOW, NOW)));
        assertEquals(ValidationCode.VALID, flow.validate(unlimited, input("prod", null, Map.of())).code());
    }

    @Test
    void tooManyActivationsWhenLimitLoweredBelowMachines() {
        Map<String, Activation> acts = new HashMap<>();
        for (String fp : List.of("a", "b", "c")) {
            acts.put(fp, new Activation(fp, NOW, NOW));
        }
        LicenseRecord l = license(LicenseStatus.ACTIVE, NOW.minusSeconds(10), NOW.plusSeconds(1000), 0, 2, 0, acts);
        assertEquals(ValidationCode.TOO_MANY_ACTIVATIONS, flow.validate(l, input("prod", "a", Map.of())).code());
    }

    @Test
    void lapsedActivationsStopCountingWithHeartbeats() {
        Map<String, Activation> acts = new HashMap<>();
        acts.put("old", new Activation("old", NOW.minus(Duration.ofHours(30)), NOW.minus(Duration.ofHours(25))));
        acts.put("new", new Activation("new", NOW, NOW));
        LicenseRecord l = license(LicenseStatus.ACTIVE, NOW.minusSeconds(10), NOW.plusSeconds(1000), 0, 1, 24, acts);
        assertEquals(1, ValidationFlow.countingActivations(l, NOW).size());
        assertEquals(ValidationCode.VALID, flow.validate(l, input("prod", "new", Map.of())).code());
        assertEquals(ValidationCode.FINGERPRINT_MISMATCH, flow.validate(l, input("prod", "old", Map.of())).code());
    }

    @Test
    void usageWithinOverageIsValidAboveIsLimitExceeded() {
        assertEquals(ValidationCode.VALID, flow.validate(active(), input("prod", "m1", Map.of("gpus", 10L))).code());
        CheckResult r = flow.validate(active(), input("prod", "m1", Map.of("gpus", 11L, "unknown", 99L)));
        assertEquals(ValidationCode.LIMIT_EXCEEDED, r.code());
        assertEquals("gpus", r.limit());
        assertEquals(new BigDecimal("10"), r.allowed());
        assertNull(r.leaseCap());
    }

    @Test
    void overageRoundsDownAndNeverLowersTheLimit() {
        assertEquals(8, allowed(8, 0));
        assertEquals(10, allowed(8, 25));
        assertEquals(1, allowed(1, 50));
    }

    @Test
    void fractionalLimitsAreComparedExactly() {
        LicenseRecord shares = active().toBuilder().overagePercent(0).entitlements(new Entitlements(Map.of(),
                Map.of("cuda.shares", new BigDecimal("16")))).build();
        CheckResult over = flow.validate(shares, new ValidationInput("prod", "m1", Map.of("cuda.shares",
                new BigDecimal("16.5")), NOW));
        assertEquals(ValidationCode.LIMIT_EXCEEDED, over.code());
        assertEquals("cuda.shares", over.limit());
        assertEquals(new BigDecimal("16"), over.allowed());
        assertEquals(ValidationCode.VALID, flow.validate(shares, new ValidationInput("prod", "m1",
                Map.of("cuda.shares", new BigDecimal("16.000")), NOW)).code());
        // A fractional limit's overage is exact (2.5 + 25% = 3.125); a whole limit's is still rounded down.
        assertEquals(new BigDecimal("3.125"), ValidationFlow.allowedWithOverage(new BigDecimal("2.5"), 25));
        assertEquals(new BigDecimal("8"), ValidationFlow.allowedWithOverage(new BigDecimal("7"), 25));
    }
}
