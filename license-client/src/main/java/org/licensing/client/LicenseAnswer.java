package org.licensing.client;

import java.time.Instant;
import java.util.Objects;

/**
 * The answer of {@link LicenseClient#validate}, {@link LicenseClient#check} and the license-file mode. Immutable.
 * Every field but {@link #detail()} and {@link #limit()} comes from signed content verified against the pinned
 * keys, or from the client itself.
 *
 * @param code the outcome; {@link #usable()} says whether the product may run
 * @param detail a human-readable explanation (for logs and support, not for parsing)
 * @param source where the answer came from
 * @param licenseId the license's id when a signed statement named it, else null
 * @param entitlements the signed features and limits ({@link Entitlements#NONE} when none were signed)
 * @param issuedAt {@code iat} of the receipt or license file behind the answer, else null
 * @param leaseUntil with a usable answer, the end of the lease: the product may run offline until then (for a
 *     license file, the end of its grace period); null when the answer is not usable
 * @param expiresAt the license's expiry, when a signed statement gave it (license files), else null
 * @param limit with {@link LicenseCode#LIMIT_EXCEEDED}, the name of the limit that was exceeded, else null
 */
public record LicenseAnswer(LicenseCode code, String detail, Source source, String licenseId,
        Entitlements entitlements, Instant issuedAt, Instant leaseUntil, Instant expiresAt, String limit) {

    /** Where an answer came from. */
    public enum Source {
        /** A receipt the validator signed for this request (fresh nonce). */
        NETWORK,
        /** A lease the site's relay signed for this request (fresh nonce), verified up to the pinned keys. */
        RELAY,
        /**
         * The receipt kept in the cache directory, re-verified, or the lease held from the relay: the validator or
         * relay was not asked or not reachable.
         */
        CACHE,
        /** A license file (air-gapped installs), decrypted and verified locally. */
        LICENSE_FILE,
        /** No signed statement at all (a malformed key, or nothing to go on). */
        NONE
    }

    public LicenseAnswer {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(source, "source");
        detail = Objects.requireNonNullElse(detail, "");
        entitlements = Objects.requireNonNullElse(entitlements, Entitlements.NONE);
    }

    /** Whether the product may run ({@link LicenseCode#VALID} or {@link LicenseCode#EXPIRED_IN_GRACE}). */
    public boolean usable() {
        return code.usable();
    }

    /** The same answer with another code and detail (a refusal derived from it: no lease). */
    LicenseAnswer refused(LicenseCode newCode, String newDetail, String limitName) {
        return new LicenseAnswer(newCode, newDetail, source, licenseId, entitlements, issuedAt,
                newCode.usable() ? leaseUntil : null, expiresAt, limitName);
    }

    /** An answer without any signed statement behind it. */
    static LicenseAnswer unsigned(LicenseCode code, String detail) {
        return new LicenseAnswer(code, detail, Source.NONE, null, Entitlements.NONE, null, null, null, null);
    }
}
