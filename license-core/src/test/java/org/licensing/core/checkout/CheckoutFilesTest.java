package org.licensing.core.checkout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWKSet;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.keys.AesKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.document.LicenseDocument;
import org.licensing.core.document.LicenseFileException;
import org.licensing.core.document.LicenseFileException.Reason;
import org.licensing.core.document.LicenseFiles;
import org.licensing.core.document.LicenseValidity;
import org.licensing.core.key.LicenseKey;

class CheckoutFilesTest {

    static final String ISSUER = "https://licensing.example.test";
    static final Instant LICENSE_START = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant LICENSE_END = Instant.parse("2027-01-01T00:00:00Z");
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final String MACHINE_A = "host-" + "a".repeat(64);
    static final String MACHINE_B = "host-" + "b".repeat(64);

    static SigningKeys keys;
    static JWKSet publicKeys;

    @BeforeAll
    static void keys() {
        keys = SigningKeys.generate("vendor-1");
        publicKeys = keys.publicJwkSet();
    }

    static LicenseDocument license(UUID id) {
        return new LicenseDocument(id.toString(), "cust-1", "Acme", "gpu-cluster", Map.of("mig", true),
                Map.of("cuda.device", new BigDecimal("8"), "cuda.shares", new BigDecimal("2.5")), 3, LICENSE_START,
                LICENSE_START, LICENSE_END, 7);
    }

    static CheckoutDocument checkout(LicenseKey key, String fp, long seq, Instant until) {
        return new CheckoutDocument(UUID.randomUUID(), license(key.licenseId()), fp, seq, NOW, until, null);
    }

    static String file(LicenseKey key, CheckoutDocument doc) {
        // The issuer's side: it has only the stored hash of the key.
        return CheckoutFiles.encrypt(CheckoutFiles.sign(doc, ISSUER, keys), key.licenseId(), key.secretHash(),
                doc.fingerprint());
    }

    @Test
    void opensOnTheBoundMachineWithTheKey() {
        LicenseKey key = LicenseKey.generate(UUID.randomUUID());
        CheckoutDocument doc = checkout(key, MACHINE_A, 4, NOW.plus(Duration.ofDays(30)));
        VerifiedCheckout v = CheckoutFiles.open(file(key, doc), key, MACHINE_A, publicKeys, ISSUER, NOW,
                Duration.ZERO);
        assertEquals(LicenseValidity.VALID, v.validity());
        assertEquals(doc, v.document());
        assertEquals("vendor-1", v.kid());
        assertEquals(new BigDecimal("2.5"), v.document().license().limits().get("cuda.shares"));
        assertEquals(MACHINE_A, CheckoutFiles.fingerprintOf(file(key, doc)));
    }

    @Test
    void anotherKeyOfTheSameLicenseIdOpensNothing() {
        LicenseKey key = LicenseKey.generate(UUID.randomUUID());
        String jwe = file(key, checkout(key, MACHINE_A, 1, NOW.plus(Duration.ofDays(30))));
        LicenseKey forged = LicenseKey.generate(key.licenseId()); // the license id is public; the secret is not
        LicenseFileException e = assertThrows(LicenseFileException.class,
                () -> CheckoutFiles.open(jwe, forged, MACHINE_A, publicKeys, ISSUER, NOW, Duration.ZERO));
        assertEquals(Reason.DECRYPTION_FAILED, e.reason());
    }

    @Test
    void aCheckoutForMachineAIsRefusedOnMachineB() {
        LicenseKey key = LicenseKey.generate(UUID.randomUUID());
        String jwe = file(key, checkout(key, MACHINE_A, 1, NOW.plus(Duration.ofDays(30))));
        LicenseFileException e = assertThrows(LicenseFileException.class,
                () -> CheckoutFiles.open(jwe, key, MACHINE_B, publicKeys, ISSUER, NOW, Duration.ZERO));
        assertEquals(Reason.WRONG_MACHINE, e.reason());
        assertTrue(e.getMessage().contains(MACHINE_A) && e.getMessage().contains(MACHINE_B), e.getMessage());
    }

    @Test
    void rewritingTheHeaderFingerprintBreaksTheFile() {
        LicenseKey key = LicenseKey.generate(UUID.randomUUID());
        String jwe = file(key, checkout(key, MACHINE_A, 1, NOW.plus(Duration.ofDays(30))));
        String[] parts = jwe.split("\\.");
        String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        parts[0] = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(header.replace(MACHINE_A, MACHINE_B).getBytes(StandardCharsets.UTF_8));
        String altered = String.join(".", parts);
        assertEquals(Reason.DECRYPTION_FAILED, assertThrows(LicenseFileException.class,
                () -> CheckoutFiles.open(altered, key, MACHINE_B, publicKeys, ISSUER, NOW, Duration.ZERO)).reason());
    }

    @Test
    void anUnboundCheckoutOpensAnywhereButOnlyWithTheKey() {
        LicenseKey key = LicenseKey.generate(UUID.randomUUID());
        CheckoutDocument doc = checkout(key, null, 2, NOW.plus(Duration.ofDays(30)));
        String jwe = file(key, doc);
        assertNull(CheckoutFiles.fingerprintOf(jwe));
        VerifiedCheckout v = CheckoutFiles.open(jwe, key, MACHINE_B, publicKeys, ISSUER, NOW, Duration.ZERO);
        assertFalse(v.document().bound());
        assertEquals(Reason.DECRYPTION_FAILED, assertThrows(LicenseFileException.class, () -> CheckoutFiles.open(
                jwe, LicenseKey.generate(key.licenseId()), MACHINE_B, publicKeys, ISSUER, NOW, Duration.ZERO))
                .reason());
    }

    @Test
    void aPlainLicenseFileIsNotACheckout() {
        LicenseKey key = LicenseKey.generate(UUID.randomUUID());
        String plain = LicenseFiles.sign(license(key.licenseId()), ISSUER, keys);
        String jwe = CheckoutFiles.encrypt(plain, key.licenseId(), key.secretHash(), MACHINE_A);
        assertEquals(Reason.WRONG_TYPE, assertThrows(LicenseFileException.class,
                () -> CheckoutFiles.open(jwe, key, MACHINE_A, publicKeys, ISSUER, NOW, Duration.ZERO)).reason());
        assertEquals(Reason.MALFORMED, assertThrows(LicenseFileException.class,
                () -> CheckoutFiles.open(plain, key, MACHINE_A, publicKeys, ISSUER, NOW, Duration.ZERO)).reason());
    }

    @Test
    void aSignedFingerprintThatDisagreesWithTheHeaderIsRefused() {
        LicenseKey key = LicenseKey.generate(UUID.randomUUID());
        // Signed for B, encrypted (by a careless or hostile party holding the hash) for A.
        String jws = CheckoutFiles.sign(checkout(key, MACHINE_B, 1, NOW.plus(Duration.ofDays(3))), ISSUER, keys);
        String jwe = CheckoutFiles.encrypt(jws, key.licenseId(), key.secretHash(), MACHINE_A);
        assertEquals(Reason.WRONG_MACHINE, assertThrows(LicenseFileException.class,
                () -> CheckoutFiles.open(jwe, key, MACHINE_A, publicKeys, ISSUER, NOW, Duration.ZERO)).reason());
    }

    @Test
    void validityFollowsTheLicenseAndTheCheckout() {
        LicenseKey key = LicenseKey.generate(UUID.randomUUID());
        Instant graceEnd = LICENSE_END.plus(Duration.ofDays(7));
        CheckoutDocument doc = checkout(key, MACHINE_A, 1, graceEnd);
        String jwe = file(key, doc);
        assertEquals(LicenseValidity.NOT_YET_VALID, CheckoutFiles.open(jwe, key, MACHINE_A, publicKeys, ISSUER,
                LICENSE_START.minusSeconds(60), Duration.ZERO).validity());
        assertEquals(LicenseValidity.EXPIRED_IN_GRACE, CheckoutFiles.open(jwe, key, MACHINE_A, publicKeys, ISSUER,
                LICENSE_END.plusSeconds(1), Duration.ZERO).validity());
        assertEquals(LicenseValidity.EXPIRED, CheckoutFiles.open(jwe, key, MACHINE_A, publicKeys, ISSUER, graceEnd,
                Duration.ZERO).validity());
        CheckoutDocument shortOne = checkout(key, MACHINE_A, 2, NOW.plus(Duration.ofDays(1)));
        assertEquals(LicenseValidity.EXPIRED, CheckoutFiles.open(file(key, shortOne), key, MACHINE_A, publicKeys,
                ISSUER, NOW.plus(Duration.ofDays(2)), Duration.ZERO).validity());
    }

    @Test
    void aCheckoutNeverRunsPastTheLicensesGrace() {
        LicenseKey key = LicenseKey.generate(UUID.randomUUID());
        assertThrows(IllegalArgumentException.class,
                () -> checkout(key, MACHINE_A, 1, LICENSE_END.plus(Duration.ofDays(7)).plusSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> checkout(key, MACHINE_A, 0, LICENSE_END));
        assertThrows(IllegalArgumentException.class, () -> checkout(key, "has space", 1, LICENSE_END));
    }

    @Test
    void anotherJoseLibraryOpensItFromTheDocumentedDerivation() throws Exception {
        LicenseKey key = LicenseKey.generate(UUID.randomUUID());
        CheckoutDocument doc = checkout(key, MACHINE_A, 1, NOW.plus(Duration.ofDays(30)));
        String jwe = file(key, doc);
        // HKDF-SHA256 written out from RFC 5869 with the JDK's HMAC, not the project's Hkdf.
        byte[] ikm = java.security.MessageDigest.getInstance("SHA-256").digest(key.secret());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.licenseId().toString().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] prk = mac.doFinal(ikm);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update(("licensing/checkout/v1\0" + MACHINE_A).getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 1);
        byte[] cek = mac.doFinal();
        JsonWebEncryption jose4j = new JsonWebEncryption();
        jose4j.setAlgorithmConstraints(new org.jose4j.jwa.AlgorithmConstraints(
                org.jose4j.jwa.AlgorithmConstraints.ConstraintType.PERMIT, "dir"));
        jose4j.setCompactSerialization(jwe);
        jose4j.setKey(new AesKey(cek));
        String jws = jose4j.getPayload();
        assertEquals(doc, CheckoutFiles.verify(jws, publicKeys, ISSUER, NOW, Duration.ZERO).document());
    }
}
