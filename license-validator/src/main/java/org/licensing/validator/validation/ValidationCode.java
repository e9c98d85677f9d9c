package org.licensing.validator.validation;

/**
 * The one machine-readable outcome of a validation (DESIGN.md), plus {@link #LIMIT_EXCEEDED} for typed usage
 * limits (the answer names the limit).
 */
public enum ValidationCode {
    VALID(true),
    /** Past expiry. With grace remaining the product keeps working (the receipt carries a lease); after it, refused. */
    EXPIRED(false),
    SUSPENDED(false),
    REVOKED(false),
    /** Unknown license id or wrong secret: the two are indistinguishable to the caller. */
    NOT_FOUND(false),
    /** More machines count against the license than it allows (e.g. the limit was lowered). */
    TOO_MANY_ACTIVATIONS(false),
    /** The fingerprint is not an active machine of this license. */
    FINGERPRINT_MISMATCH(false),
    PRODUCT_MISMATCH(false),
    NOT_YET_VALID(false),
    /** A reported usage (e.g. {@code gpus}) is above its entitlement limit plus the overage allowance. */
    LIMIT_EXCEEDED(false),
    /** Answered as HTTP 400 problem+json, never as a 200 answer. */
    MALFORMED_KEY(false);

    private final boolean valid;

    ValidationCode(boolean valid) {
        this.valid = valid;
    }

    public boolean valid() {
        return valid;
    }
}
