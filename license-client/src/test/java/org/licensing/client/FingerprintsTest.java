package org.licensing.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The fingerprint memo on its own: computed once, checked, and required where a machine must be named. */
class FingerprintsTest {

    @Test
    void computedOnceAndRemembered() {
        AtomicInteger calls = new AtomicInteger();
        Fingerprints f = new Fingerprints(product -> "host-" + product + "-" + calls.incrementAndGet(), "p");
        assertEquals("host-p-1", f.get());
        assertEquals("host-p-1", f.get());
        assertEquals(1, calls.get());
    }

    @Test
    void anUnusableFingerprintIsAClearException() {
        assertThrows(LicenseClientException.class, () -> new Fingerprints(p -> "", "p").get());
        assertThrows(LicenseClientException.class, () -> new Fingerprints(p -> "x".repeat(129), "p").get());
        assertThrows(LicenseClientException.class, () -> new Fingerprints(p -> "tab\there", "p").get());
        LicenseClientException e = assertThrows(LicenseClientException.class, () -> new Fingerprints(p -> {
            throw new java.io.IOException("no machine id");
        }, "p").get());
        assertTrue(e.getMessage().contains("no machine id"), e.getMessage());
    }

    @Test
    void noneGivesNullButCannotNameAMachine() {
        Fingerprints f = new Fingerprints(FingerprintStrategy.none(), "p");
        assertNull(f.get());
        LicenseClientException e = assertThrows(LicenseClientException.class, () -> f.require("Machine activation"));
        assertTrue(e.getMessage().contains("none()"), e.getMessage());
    }
}
