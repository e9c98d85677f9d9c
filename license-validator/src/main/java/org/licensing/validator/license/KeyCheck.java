package org.licensing.validator.license;

import java.util.Optional;

import org.licensing.core.key.LicenseKey;
import org.licensing.store.LicenseRecord;

/**
 * Whether a key opens the record found for its id. An unknown id and a wrong secret are indistinguishable: the
 * secret is compared in constant time, and against a dummy hash when the id is unknown, so a miss costs the same
 * hash work as a wrong secret.
 */
public final class KeyCheck {

    /** Compared against when the id is unknown (the shape of a stored hash, matching no key). */
    private static final String ABSENT_HASH = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    private KeyCheck() {
    }

    /** The record {@code key} opens: {@code found} when its secret matches, otherwise empty. */
    public static Optional<LicenseRecord> opened(LicenseKey key, Optional<LicenseRecord> found) {
        boolean matches = key.matchesHash(found.map(LicenseRecord::keyHash).orElse(ABSENT_HASH));
        return matches ? found : Optional.empty();
    }
}
