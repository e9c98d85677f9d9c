package org.licensing.core.receipt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.licensing.core.crypto.JwsVerifier;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.license.Entitlements;

/** A receipt survives signing, verification and parsing exactly, decimal limits included. */
class ValidationReceiptTest {

    private static final SigningKeys KEYS = SigningKeys.generate("r1");

    private static ValidationReceipt roundTrip(ValidationReceipt receipt) {
        String jws = KEYS.sign(receipt.toClaims("https://validator.test", "jti-1"), ValidationReceipt.TYP);
        return ValidationReceipt.fromClaims(JwsVerifier.verify(jws, KEYS.publicJwkSet(), ValidationReceipt.TYP)
                .claims());
    }

    @Test
    void aValidReceiptCarriesItsSignedEntitlements() {
        Instant now = Instant.parse("2026-12-01T10:00:00.750Z");
        Entitlements granted = new Entitlements(Map.of("mig", true), Map.of("cuda.shares", new BigDecimal("16.5"),
                "cuda.device", new BigDecimal("8"), "mem", new BigDecimal("549755813888")));
        ValidationReceipt receipt = new ValidationReceipt("n-1", "VALID", "gpu-platform", "host-1", "lic-1", now,
                now.plusSeconds(86_400), granted);
        ValidationReceipt read = roundTrip(receipt);
        assertEquals(receipt, read);
        assertEquals(new BigDecimal("16.5"), read.entitlements().limit("cuda.shares").orElseThrow());
        assertEquals(Instant.parse("2026-12-01T10:00:00Z"), read.issuedAt(), "whole seconds");
    }

    @Test
    void aNotFoundReceiptHasNoEntitlementsNorLicense() {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        ValidationReceipt read = roundTrip(new ValidationReceipt("n-2", "NOT_FOUND", "gpu-platform", null, null, now,
                now, null));
        assertNull(read.entitlements());
        assertNull(read.licenseId());
        assertNull(read.fingerprint());
        assertEquals(now, read.leaseUntil());
    }
}
