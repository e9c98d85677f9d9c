package org.licensing.client;

/**
 * The one outcome of a license check. Only {@link #VALID} and {@link #EXPIRED_IN_GRACE} let the product run
 * ({@link #usable()}); every other code is a refusal, and the README says what a product should do with each.
 *
 * <p>The validator's codes come from the signed receipt (never from the unsigned JSON body). The client adds its
 * own: {@link #EXPIRED_IN_GRACE} (a receipt or license file that is past expiry but still grants a lease),
 * {@link #CLOCK_TAMPERED}, {@link #UNCONFIRMED}, {@link #OFFLINE_EXPIRED}, {@link #INVALID_RECEIPT},
 * {@link #INVALID_LICENSE_FILE}, {@link #UNRECOGNIZED} and, in relay mode, {@link #POOL_EXHAUSTED} and
 * {@link #INVALID_LEASE} (a relay's node limit is {@link #TOO_MANY_ACTIVATIONS}).
 */
public enum LicenseCode {
    /** The license is good: run. */
    VALID(true),
    /** Past expiry but within the grace period: run, and tell the customer to renew. */
    EXPIRED_IN_GRACE(true),
    /** Past expiry and the grace period. */
    EXPIRED(false),
    /** No license matches this key (unknown id or wrong secret; the validator does not say which). */
    NOT_FOUND(false),
    /** Suspended by the vendor (for example unpaid); may become valid again. */
    SUSPENDED(false),
    /** Revoked by the vendor: final. */
    REVOKED(false),
    /** Before the license's start date. */
    NOT_YET_VALID(false),
    /** More machines count against the license than it allows. */
    TOO_MANY_ACTIVATIONS(false),
    /** This machine is not an activated machine of a machine-locked license (activate it first). */
    FINGERPRINT_MISMATCH(false),
    /** The license is for another product. */
    PRODUCT_MISMATCH(false),
    /** A reported usage is above its limit; {@link LicenseAnswer#limit()} names the limit. */
    LIMIT_EXCEEDED(false),
    /** The key is not a well-formed license key (typo: its checksum fails); nothing was sent. */
    MALFORMED_KEY(false),
    /** The system clock is earlier than a time the client already trusted, by more than the tolerance. */
    CLOCK_TAMPERED(false),
    /** No verified answer: the validator could not be reached and there is no cached receipt (or it is unreadable). */
    UNCONFIRMED(false),
    /** The validator could not be reached and the cached lease has ended. */
    OFFLINE_EXPIRED(false),
    /**
     * A receipt (from the validator or the cache) failed verification: bad or unknown signature, wrong
     * {@code typ}, another nonce, product, fingerprint or license, corrupted or truncated.
     */
    INVALID_RECEIPT(false),
    /**
     * Relay mode: the site's pool has no room for a requested quantity now; {@link LicenseAnswer#limit()} names it
     * (the relay's own answer, unsigned: it grants nothing). Retry later or ask for less.
     */
    POOL_EXHAUSTED(false),
    /**
     * Relay mode: a lease failed the chain lease -> relay key -> relay checkout -> pinned vendor key, or answers
     * another request (nonce) or node.
     */
    INVALID_LEASE(false),
    /** The license file failed decryption or verification, or is for another license. */
    INVALID_LICENSE_FILE(false),
    /** A correctly signed receipt with a code this client version does not know: treated as a refusal. */
    UNRECOGNIZED(false);

    private final boolean usable;

    LicenseCode(boolean usable) {
        this.usable = usable;
    }

    /** Whether the product may run: {@link #VALID} or {@link #EXPIRED_IN_GRACE}. */
    public boolean usable() {
        return usable;
    }
}
