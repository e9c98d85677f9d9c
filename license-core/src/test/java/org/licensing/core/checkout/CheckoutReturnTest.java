package org.licensing.core.checkout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.licensing.core.key.LicenseKey;

class CheckoutReturnTest {

    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    @Test
    void onlyTheKeyHolderOnThatMachineCanReturnACheckout() {
        LicenseKey key = LicenseKey.generate(UUID.randomUUID());
        CheckoutDocument doc = CheckoutFilesTest.checkout(key, CheckoutFilesTest.MACHINE_A, 5,
                NOW.plus(Duration.ofDays(10)));
        CheckoutReturn r = CheckoutReturn.create(doc, key, NOW);
        CheckoutReturn read = CheckoutReturn.parse(r.toJson());
        assertEquals(r, read);
        assertTrue(read.verify(key.secretHash()));
        assertFalse(read.verify(LicenseKey.generate(key.licenseId()).secretHash()), "another key of the same id");
        CheckoutReturn otherSeq = new CheckoutReturn(r.licenseId(), r.checkoutId(), r.fingerprint(), 6,
                r.returnedAt(), r.mac());
        assertFalse(otherSeq.verify(key.secretHash()), "a changed field");
        CheckoutReturn otherMachine = new CheckoutReturn(r.licenseId(), r.checkoutId(), CheckoutFilesTest.MACHINE_B,
                5, r.returnedAt(), r.mac());
        assertFalse(otherMachine.verify(key.secretHash()), "another machine");
    }

    @Test
    void refusesMalformedReturns() {
        LicenseKey key = LicenseKey.generate(UUID.randomUUID());
        CheckoutDocument unbound = CheckoutFilesTest.checkout(key, null, 1, NOW.plus(Duration.ofDays(1)));
        assertThrows(IllegalArgumentException.class, () -> CheckoutReturn.create(unbound, key, NOW));
        CheckoutDocument doc = CheckoutFilesTest.checkout(key, CheckoutFilesTest.MACHINE_A, 1,
                NOW.plus(Duration.ofDays(1)));
        assertThrows(IllegalArgumentException.class,
                () -> CheckoutReturn.create(doc, LicenseKey.generate(UUID.randomUUID()), NOW));
        String json = CheckoutReturn.create(doc, key, NOW).toJson();
        assertThrows(IllegalArgumentException.class, () -> CheckoutReturn.parse(json.replace("\"seq\":1", "\"seq\":0")));
        assertThrows(IllegalArgumentException.class,
                () -> CheckoutReturn.parse(json.replace("\"seq\":1", "\"seq\":1.5")));
        assertThrows(IllegalArgumentException.class,
                () -> CheckoutReturn.parse(json.replace("checkout-return.v1", "checkout-request.v1")));
    }
}
