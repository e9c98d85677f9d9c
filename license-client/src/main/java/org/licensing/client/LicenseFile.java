package org.licensing.client;

import java.time.Duration;
import java.time.Instant;
import org.licensing.core.checkout.CheckoutDocument;
import org.licensing.core.checkout.CheckoutFiles;
import org.licensing.core.document.LicenseFileException;
import org.licensing.core.document.LicenseFiles;
import org.licensing.core.key.LicenseKey;

/**
 * The license file of an air-gapped install: a <em>checkout</em> (license-core's {@link CheckoutFiles}) bound to this
 * machine's fingerprint and opened with the license key, verified against the <em>pinned</em> keys only (keys from a
 * signed key set are for receipts). A file for another machine, one that another key of the license does not open,
 * or one that names no machine (a plain signed license file, or a license file encrypted for the key alone) is
 * refused, and the reason says which. A checkout without a fingerprint is accepted: the vendor signs one only where
 * the license's policy allows unbound files.
 */
record LicenseFile(CheckoutDocument checkout, Entitlements entitlements) {

    static LicenseFile read(String text, LicenseKey key, String fingerprint, Trust trust, Instant now)
            throws Untrusted {
        if (text == null || text.isBlank()) {
            throw new Untrusted("license file is empty");
        }
        String s = text.strip();
        int dots = (int) s.chars().filter(c -> c == '.').count();
        if (dots == 2) {
            throw new Untrusted("it names no machine: a plain signed license file opens with any key of the license"
                    + " on any machine, so it is not accepted; send the vendor a checkout request from this machine");
        }
        if (dots != 4) {
            throw new Untrusted("license file is neither a compact JWS nor a compact JWE");
        }
        CheckoutDocument doc;
        try {
            doc = CheckoutFiles.open(s, key, fingerprint, trust.pinnedKeys(), null, now, Duration.ZERO).document();
        } catch (LicenseFileException e) {
            throw new Untrusted(why(e, s, key, fingerprint), false, e);
        }
        return new LicenseFile(doc, new Entitlements(doc.license().features(), doc.license().limits()));
    }

    /** A detail that says which: another machine, another key, no machine, or what else. */
    private static String why(LicenseFileException e, String jwe, LicenseKey key, String fingerprint) {
        return switch (e.reason()) {
            case WRONG_MACHINE -> "it is for another machine: " + e.getMessage()
                    + (fingerprint == null ? " (configure the fingerprint strategy the checkout was requested with)"
                            : "");
            case DECRYPTION_FAILED -> namesNoMachine(jwe, key)
                    ? "it names no machine: a license file encrypted for the key alone is not accepted; send the"
                            + " vendor a checkout request from this machine"
                    : "it cannot be opened with this license key (" + e.reason() + "): " + e.getMessage();
            default -> e.reason() + ": " + e.getMessage();
        };
    }

    /** Whether {@code jwe} is a license file encrypted for the key alone (the format before checkouts). */
    private static boolean namesNoMachine(String jwe, LicenseKey key) {
        try {
            LicenseFiles.decrypt(jwe, key);
            return true;
        } catch (LicenseFileException e) {
            return false;
        }
    }
}
