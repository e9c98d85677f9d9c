package org.licensing.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensing.core.checkout.CheckoutDocument;
import org.licensing.core.checkout.CheckoutFiles;
import org.licensing.core.checkout.CheckoutRequest;
import org.licensing.core.checkout.CheckoutReturn;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.document.LicenseDocument;
import org.licensing.core.document.LicenseFiles;
import org.licensing.core.key.LicenseKey;

/**
 * Air-gapped checkouts in the SDK: a file holds only for the key holder on the machine it names, the offline clock
 * heals with a newer checkout, and the machine writes the request and the return a person carries to the vendor.
 */
class CheckoutTest {

    static final SigningKeys VENDOR = SigningKeys.generate("issuer-2026");
    static final String MACHINE_A = "host-" + "a".repeat(64);
    static final String MACHINE_B = "host-" + "b".repeat(64);
    static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

    @TempDir
    Path tmp;
    final TestClock clock = new TestClock(T0);
    final LicenseKey key = LicenseKey.generate(UUID.randomUUID());
    final LicenseDocument license = new LicenseDocument(key.licenseId().toString(), "cust-1", null,
            FakeValidator.PRODUCT, Map.of("mig", true), Map.of("cuda.device", Fixture.dec("8")), 3,
            T0.minus(Duration.ofDays(30)), T0.minus(Duration.ofDays(30)), T0.plus(Duration.ofDays(730)), 14);

    /** The checkout the vendor's issuer would answer: signed, then encrypted for the key hash and {@code fp}. */
    String checkout(long seq, Instant iat, Duration span, String fp) {
        CheckoutDocument doc = new CheckoutDocument(UUID.randomUUID(), license, fp, seq, iat, iat.plus(span), null);
        return CheckoutFiles.encrypt(CheckoutFiles.sign(doc, "https://issuer.licensing.test", VENDOR),
                key.licenseId(), key.secretHash(), fp);
    }

    LicenseClient.Builder builder(String fingerprint) {
        return LicenseClient.builder().productCode(FakeValidator.PRODUCT).licenseKey(key.text())
                .pinnedKeys(VENDOR.publicJwkSetJson()).cacheDirectory(tmp.resolve("cache")).clock(clock)
                .fingerprint(FingerprintStrategy.supplied(fingerprint));
    }

    LicenseAnswer answer(String fingerprint, String file) {
        try (LicenseClient client = builder(fingerprint).licenseFileText(file).build()) {
            return client.check();
        }
    }

    @Test
    void aCheckoutHoldsOnItsMachineWithItsKey() {
        LicenseAnswer a = answer(MACHINE_A, checkout(1, T0, Duration.ofDays(30), MACHINE_A));
        assertEquals(LicenseCode.VALID, a.code(), a.detail());
        assertEquals(T0.plus(Duration.ofDays(30)), a.leaseUntil(), "the lease is the checkout's end");
        assertEquals(T0.plus(Duration.ofDays(730)), a.expiresAt());
        assertTrue(a.entitlements().feature("mig"));
    }

    @Test
    void aCheckoutForMachineAIsRefusedOnMachineB() {
        LicenseAnswer a = answer(MACHINE_B, checkout(1, T0, Duration.ofDays(30), MACHINE_A));
        assertEquals(LicenseCode.INVALID_LICENSE_FILE, a.code());
        assertTrue(a.detail().contains("another machine") && a.detail().contains(MACHINE_A), a.detail());
        LicenseAnswer none = LicenseClient.builder().productCode(FakeValidator.PRODUCT).licenseKey(key.text())
                .pinnedKeys(VENDOR.publicJwkSetJson()).clock(clock)
                .licenseFileText(checkout(1, T0, Duration.ofDays(30), MACHINE_A)).build().check();
        assertEquals(LicenseCode.INVALID_LICENSE_FILE, none.code());
        assertTrue(none.detail().contains("configure the fingerprint strategy"), none.detail());
    }

    @Test
    void aForgedKeyOfTheSameLicenseIdCannotOpenIt() {
        // The license id is public (receipts, e-mails, URLs): LicenseKey.generate(id) is anyone's to call.
        LicenseKey forged = LicenseKey.generate(key.licenseId());
        try (LicenseClient client = builder(MACHINE_A).licenseKey(forged.text())
                .licenseFileText(checkout(1, T0, Duration.ofDays(30), MACHINE_A)).build()) {
            LicenseAnswer a = client.check();
            assertEquals(LicenseCode.INVALID_LICENSE_FILE, a.code());
            assertTrue(a.detail().contains("cannot be opened with this license key"), a.detail());
        }
    }

    @Test
    void aFileThatNamesNoMachineIsRefused() {
        LicenseDocument doc = license;
        String plain = LicenseFiles.sign(doc, "https://issuer.licensing.test", VENDOR);
        LicenseAnswer a = answer(MACHINE_A, plain);
        assertEquals(LicenseCode.INVALID_LICENSE_FILE, a.code(), "a plain JWS used to pass with any key of the id");
        assertTrue(a.detail().contains("names no machine"), a.detail());
        LicenseAnswer b = answer(MACHINE_A, LicenseFiles.encryptFor(plain, key));
        assertEquals(LicenseCode.INVALID_LICENSE_FILE, b.code());
        assertTrue(b.detail().contains("names no machine"), b.detail());
    }

    @Test
    void anUnboundCheckoutIsAcceptedWhereTheVendorSignedOne() {
        // The issuer makes a checkout without fp only where the license's policy allows unbound files.
        LicenseAnswer a = answer(MACHINE_B, checkout(1, T0, Duration.ofDays(30), null));
        assertEquals(LicenseCode.VALID, a.code(), a.detail());
    }

    @Test
    void theCheckoutEndIsTheLease() {
        String file = checkout(1, T0, Duration.ofDays(30), MACHINE_A);
        clock.set(T0.plus(Duration.ofDays(30)));
        LicenseAnswer a = answer(MACHINE_A, file);
        assertEquals(LicenseCode.OFFLINE_EXPIRED, a.code(), a.detail());
        assertTrue(a.detail().contains("checkout request"), a.detail());
    }

    @Test
    void aClockThatRan400DaysAheadOnceHealsWithAFreshCheckoutButNotTheOldOne() {
        String first = checkout(1, T0, Duration.ofDays(30), MACHINE_A);
        assertEquals(LicenseCode.VALID, answer(MACHINE_A, first).code());
        clock.set(T0.plus(Duration.ofDays(400))); // a bad RTC, an NTP mistake: the product runs once
        assertEquals(LicenseCode.OFFLINE_EXPIRED, answer(MACHINE_A, first).code());
        clock.set(T0.plus(Duration.ofDays(1))); // corrected
        LicenseAnswer tampered = answer(MACHINE_A, first);
        assertEquals(LicenseCode.CLOCK_TAMPERED, tampered.code(), tampered.detail());
        assertTrue(tampered.detail().contains(T0.plus(Duration.ofDays(30)).toString()),
                "the run 400 days ahead raised the trusted time only to the checkout's end: " + tampered.detail());
        assertEquals(LicenseCode.CLOCK_TAMPERED, answer(MACHINE_A, first).code(), "re-presenting it heals nothing");

        String fresh = checkout(2, T0.plus(Duration.ofDays(1)), Duration.ofDays(30), MACHINE_A);
        LicenseAnswer healed = answer(MACHINE_A, fresh);
        assertEquals(LicenseCode.VALID, healed.code(), healed.detail());
        assertEquals(LicenseCode.VALID, answer(MACHINE_A, fresh).code(), "and stays healed");

        clock.set(T0.minus(Duration.ofDays(2))); // rolled back: still tampering
        assertEquals(LicenseCode.CLOCK_TAMPERED, answer(MACHINE_A, fresh).code());
    }

    @Test
    void theMachineWritesACheckoutRequestWithoutASecret() {
        try (LicenseClient client = builder(MACHINE_A).licenseFileText("x").build()) {
            String text = client.checkoutRequest("dgx-a-01");
            CheckoutRequest r = CheckoutRequest.parse(text);
            assertEquals(key.licenseId(), r.licenseId());
            assertEquals(FakeValidator.PRODUCT, r.productCode());
            assertEquals(MACHINE_A, r.fingerprint());
            assertEquals("dgx-a-01", r.label());
            assertFalse(text.contains(key.text()) || text.contains(key.secretHash()), text);
        }
        try (LicenseClient client = builder(MACHINE_A).fingerprint(FingerprintStrategy.none()).licenseFileText("x")
                .build()) {
            assertThrows(LicenseClientException.class, () -> client.checkoutRequest(null));
        }
    }

    @Test
    void aRetiredMachineReturnsItsCheckoutAndNoLongerUsesIt() throws Exception {
        String first = checkout(1, T0, Duration.ofDays(30), MACHINE_A);
        Path file = Files.writeString(tmp.resolve("checkout.jwe"), first);
        String text;
        try (LicenseClient client = builder(MACHINE_A).licenseFile(file).build()) {
            assertEquals(LicenseCode.VALID, client.check().code());
            text = client.returnCheckout();
            assertFalse(Files.exists(file), "the file is gone");
        }
        CheckoutReturn r = CheckoutReturn.parse(text);
        assertTrue(r.verify(key.secretHash()), "the vendor checks it with the stored hash of the key");
        assertEquals(MACHINE_A, r.fingerprint());
        assertEquals(1, r.sequence());
        LicenseAnswer again = answer(MACHINE_A, first);
        assertEquals(LicenseCode.INVALID_LICENSE_FILE, again.code(), "a copy of the returned file");
        assertTrue(again.detail().contains("returned"), again.detail());
        assertEquals(LicenseCode.VALID, answer(MACHINE_A, checkout(2, T0, Duration.ofDays(30), MACHINE_A)).code(),
                "a new checkout for the machine");
        try (LicenseClient client = builder(MACHINE_A).licenseFileText(checkout(3, T0, Duration.ofDays(30), null))
                .build()) {
            assertThrows(LicenseClientException.class, client::returnCheckout, "an unbound checkout holds no seat");
        }
    }
}
