package org.licensing.client;

import java.time.Instant;
import org.licensing.core.crypto.JwsVerifier;
import org.licensing.core.document.LicenseDocument;
import org.licensing.core.document.LicenseFileException;
import org.licensing.core.document.LicenseFiles;
import org.licensing.core.key.LicenseKey;

/**
 * A license file (air-gapped installs) decrypted with the license key when it is a JWE ({@link LicenseFiles#decrypt}),
 * verified against the <em>pinned</em> keys only ({@code typ license+jwt}: keys from a signed key set are for
 * receipts), and read by license-core's one parser of license claims ({@link LicenseDocument#fromPayload}, limits as
 * exact decimals).
 */
record LicenseFile(LicenseDocument document, Entitlements entitlements) {

    static LicenseFile read(String text, LicenseKey key, Trust trust) throws Untrusted {
        if (text == null || text.isBlank()) {
            throw new Untrusted("license file is empty");
        }
        String s = text.strip();
        String jws = s;
        int dots = (int) s.chars().filter(c -> c == '.').count();
        if (dots == 4) {
            try {
                jws = LicenseFiles.decrypt(s, key);
            } catch (LicenseFileException e) {
                throw new Untrusted("encrypted license file: " + e.reason() + ": " + e.getMessage(), false, e);
            }
        } else if (dots != 2) {
            throw new Untrusted("license file is neither a compact JWS nor a compact JWE");
        }
        JwsVerifier.Verified signed = trust.verifyPinned(jws, LicenseFiles.TYP);
        LicenseDocument doc;
        try {
            doc = LicenseDocument.fromPayload(signed.payload());
        } catch (IllegalArgumentException e) {
            throw new Untrusted("license file claims are invalid: " + e.getMessage(), false, e);
        }
        return new LicenseFile(doc, new Entitlements(doc.features(), doc.limits()));
    }

    String licenseId() {
        return document.licenseId();
    }

    Instant issuedAt() {
        return document.issuedAt();
    }
}
