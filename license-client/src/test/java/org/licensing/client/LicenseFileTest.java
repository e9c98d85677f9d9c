package org.licensing.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.licensing.client.Fixture.dec;

import com.nimbusds.jwt.JWTClaimsSet;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.checkout.CheckoutDocument;
import org.licensing.core.checkout.CheckoutFiles;
import org.licensing.core.document.LicenseDocument;
import org.licensing.core.key.LicenseKey;
import org.licensing.core.receipt.ValidationReceipt;

/** Air-gapped installs: checkout files decrypted and verified locally, no network at all. */
class LicenseFileTest {

    static final SigningKeys ISSUER_KEYS = SigningKeys.generate("issuer-2026");
    static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant EXPIRES = Instant.parse("2027-01-01T00:00:00Z");

    @TempDir
    Path tmp;
    final TestClock clock = new TestClock(Instant.parse("2026-06-01T00:00:00Z"));
    final LicenseKey key = LicenseKey.generate(UUID.randomUUID());

    static final String FP = "host-test-machine-1";

    /**
     * A checkout for this machine (license files are checkouts now: bound to a machine and the key) with decimal
     * limits, ending at the license's grace end, signed with {@code typ} and encrypted for {@link #key} on {@link #FP}.
     */
    String decimalLicense(String licenseId, String product, SigningKeys signer, String typ) {
        return CheckoutFiles.encrypt(signedDecimalLicense(licenseId, product, signer, typ), UUID.fromString(licenseId),
                key.secretHash(), FP);
    }

    String signedDecimalLicense(String licenseId, String product, SigningKeys signer, String typ) {
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("cuda.shares", new BigDecimal("2.5"));
        limits.put("cuda.device", 8L);
        limits.put("mem", new BigDecimal("68719476736"));
        Map<String, Object> lic = new LinkedHashMap<>();
        lic.put("product", product);
        lic.put("customer_name", "Acme GPU Clusters");
        lic.put("features", Map.of("mig", true));
        lic.put("limits", limits);
        lic.put("max_activations", 3L);
        lic.put("grace_days", 14L);
        lic.put("issued_at", ISSUED.getEpochSecond());
        lic.put("expires_at", EXPIRES.getEpochSecond());
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("https://issuer.licensing.test").jwtID(licenseId)
                .subject("cust-42").issueTime(Date.from(ISSUED)).notBeforeTime(Date.from(ISSUED))
                .expirationTime(Date.from(EXPIRES.plus(Duration.ofDays(14)))).claim("lic", lic)
                .claim("chk", UUID.randomUUID().toString()).claim("seq", 1L).claim("fp", FP).build();
        return signer.sign(claims, typ);
    }

    String decimalLicense() {
        return decimalLicense(key.licenseId().toString(), FakeValidator.PRODUCT, ISSUER_KEYS, CheckoutFiles.TYP);
    }

    LicenseClient.Builder builder() {
        return LicenseClient.builder().productCode(FakeValidator.PRODUCT).licenseKey(key.text())
                .pinnedKeys(ISSUER_KEYS.publicJwkSetJson()).cacheDirectory(tmp.resolve("cache")).clock(clock)
                .fingerprint(FingerprintStrategy.supplied(FP));
    }

    LicenseAnswer answer(String file) {
        try (LicenseClient client = builder().licenseFileText(file).build()) {
            return client.validate();
        }
    }

    @Test
    void signedFileWithDecimalLimits() throws Exception {
        Path file = Files.writeString(tmp.resolve("license.jwt"), decimalLicense() + "\n");
        try (LicenseClient client = builder().licenseFile(file).build()) {
            LicenseAnswer a = client.validate();
            assertEquals(LicenseCode.VALID, a.code(), a.detail());
            assertEquals(LicenseAnswer.Source.LICENSE_FILE, a.source());
            assertEquals(key.licenseId().toString(), a.licenseId());
            assertEquals(ISSUED, a.issuedAt());
            assertEquals(EXPIRES, a.expiresAt());
            assertEquals(EXPIRES.plus(Duration.ofDays(14)), a.leaseUntil());
            assertEquals(new BigDecimal("2.5"), a.entitlements().limit("cuda.shares").orElseThrow());
            assertEquals(new BigDecimal("68719476736"), a.entitlements().limit("mem").orElseThrow());
            assertTrue(a.entitlements().feature("mig"));

            assertEquals(LicenseCode.VALID, client.check(Map.of("cuda.shares", dec("2.5"))).code());
            LicenseAnswer over = client.check(Map.of("cuda.shares", dec("2.6")));
            assertEquals(LicenseCode.LIMIT_EXCEEDED, over.code());
            assertEquals("cuda.shares", over.limit());
            assertThrows(LicenseClientException.class, client::activate, "no validator in license-file mode");
        }
    }

    @Test
    void licenseDocumentFilesWork() {
        LicenseDocument doc = new LicenseDocument(key.licenseId().toString(), "cust-1", null, FakeValidator.PRODUCT,
                Map.of("mig", true), Map.of("nodes", dec("4")), 0, ISSUED, ISSUED, EXPIRES, 0);
        CheckoutDocument checkout = new CheckoutDocument(UUID.randomUUID(), doc, FP, 1, ISSUED, EXPIRES, null);
        LicenseAnswer a = answer(CheckoutFiles.encrypt(CheckoutFiles.sign(checkout, "iss", ISSUER_KEYS),
                key.licenseId(), key.secretHash(), FP));
        assertEquals(LicenseCode.VALID, a.code(), a.detail());
        assertEquals(0, dec("4").compareTo(a.entitlements().limit("nodes").orElseThrow()));
    }

    @Test
    void encryptedFileDecryptsWithTheLicenseKeyOnly() {
        String jwe = decimalLicense();
        LicenseAnswer a = answer(jwe);
        assertEquals(LicenseCode.VALID, a.code(), a.detail());
        assertEquals(new BigDecimal("2.5"), a.entitlements().limit("cuda.shares").orElseThrow());

        LicenseKey otherKey = LicenseKey.of(key.licenseId(), new byte[LicenseKey.SECRET_BYTES]); // same id, other secret
        try (LicenseClient client = builder().licenseKey(otherKey.text()).licenseFileText(jwe).build()) {
            LicenseAnswer b = client.validate();
            assertEquals(LicenseCode.INVALID_LICENSE_FILE, b.code());
            assertTrue(b.detail().contains("DECRYPTION_FAILED"), b.detail());
        }
    }

    @Test
    void tamperedFileIsRefused() {
        String jws = signedDecimalLicense(key.licenseId().toString(), FakeValidator.PRODUCT, ISSUER_KEYS,
                CheckoutFiles.TYP);
        String[] p = jws.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(p[1]), java.nio.charset.StandardCharsets.UTF_8)
                .replace("2.5", "250");
        String tampered = p[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + p[2];
        LicenseAnswer a = answer(CheckoutFiles.encrypt(tampered, key.licenseId(), key.secretHash(), FP));
        assertEquals(LicenseCode.INVALID_LICENSE_FILE, a.code());
        assertFalse(a.usable());
        assertEquals(Entitlements.NONE, a.entitlements());
        assertEquals(LicenseCode.INVALID_LICENSE_FILE, answer(decimalLicense().substring(0, 200)).code());
        assertEquals(LicenseCode.INVALID_LICENSE_FILE, answer("garbage").code());
    }

    @Test
    void fileSignedByAnUnknownKeyIsRefused() {
        String forged = decimalLicense(key.licenseId().toString(), FakeValidator.PRODUCT,
                SigningKeys.generate("issuer-2026"), CheckoutFiles.TYP);
        assertEquals(LicenseCode.INVALID_LICENSE_FILE, answer(forged).code());
    }

    @Test
    void aReceiptIsNotALicenseFile() {
        String receiptTyped = decimalLicense(key.licenseId().toString(), FakeValidator.PRODUCT, ISSUER_KEYS,
                ValidationReceipt.TYP);
        LicenseAnswer a = answer(receiptTyped);
        assertEquals(LicenseCode.INVALID_LICENSE_FILE, a.code());
        assertTrue(a.detail().contains("WRONG_TYPE"), a.detail());
    }

    @Test
    void fileForAnotherLicenseOrProduct() {
        LicenseAnswer other = answer(decimalLicense(UUID.randomUUID().toString(), FakeValidator.PRODUCT, ISSUER_KEYS,
                CheckoutFiles.TYP));
        assertEquals(LicenseCode.INVALID_LICENSE_FILE, other.code());
        assertTrue(other.detail().contains("another license"), other.detail());
        LicenseAnswer product = answer(decimalLicense(key.licenseId().toString(), "other-product", ISSUER_KEYS,
                CheckoutFiles.TYP));
        assertEquals(LicenseCode.PRODUCT_MISMATCH, product.code());
    }

    @Test
    void timeValidity() {
        String file = decimalLicense();
        clock.set(EXPIRES.plus(Duration.ofDays(3)));
        LicenseAnswer grace = answer(file);
        assertEquals(LicenseCode.EXPIRED_IN_GRACE, grace.code());
        assertTrue(grace.usable());
        assertEquals(EXPIRES.plus(Duration.ofDays(14)), grace.leaseUntil());

        clock.set(EXPIRES.plus(Duration.ofDays(14)));
        LicenseAnswer expired = answer(file);
        assertEquals(LicenseCode.EXPIRED, expired.code());
        assertNull(expired.leaseUntil());
    }

    @Test
    void notYetValidAndClockTamper() throws Exception {
        // nbf = iat: a clock before it by more than the tolerance is turned back (and not just "not yet valid").
        try (LicenseClient client = builder().licenseFileText(decimalLicense()).clockTolerance(Duration.ofHours(1))
                .build()) {
            clock.set(ISSUED.minus(Duration.ofMinutes(59)));
            assertEquals(LicenseCode.VALID, client.check().code(), "within the tolerance");
            clock.set(ISSUED.minus(Duration.ofHours(2)));
            assertEquals(LicenseCode.NOT_YET_VALID, client.check().code(), "an unusable answer keeps its code");
        }
        // A later start date, and a clock turned back after a run.
        String later = decimalLicense();
        try (LicenseClient client = builder().licenseFileText(later).build()) {
            clock.set(Instant.parse("2026-09-01T00:00:00Z"));
            assertEquals(LicenseCode.VALID, client.check().code());
        }
        try (LicenseClient client = builder().licenseFileText(later).build()) {
            clock.set(Instant.parse("2026-08-01T00:00:00Z"));
            LicenseAnswer a = client.validate();
            assertEquals(LicenseCode.CLOCK_TAMPERED, a.code(), a.detail());
            assertEquals(LicenseAnswer.Source.LICENSE_FILE, a.source());
        }
    }

    @Test
    void missingFileIsUnconfirmedAndMisuseIsAnException() {
        try (LicenseClient client = builder().licenseFile(tmp.resolve("absent.jwt")).build()) {
            assertEquals(LicenseCode.UNCONFIRMED, client.validate().code());
        }
        assertThrows(LicenseClientException.class,
                () -> builder().licenseFileText("x").validatorUrl("https://validator.example").build());
        assertThrows(LicenseClientException.class, () -> builder().build(), "neither validator nor file");
    }
}
