package org.licensing.validator.validation;

/**
 * The one machine-readable outcome of a validation (the module README lists them in check order), plus
 * {@link #LIMIT_EXCEEDED} for typed usage limits (the answer names the limit). The same codes appear as the
 * {@code code} member of the activation endpoints' problems.
 */
public enum ValidationCode {
    VALID,
    /** Past expiry. With grace remaining the product keeps working (the receipt carries a lease); after it, refused. */
    EXPIRED,
    SUSPENDED,
    REVOKED,
    /** Unknown license id or wrong secret: the two are indistinguishable to the caller. */
    NOT_FOUND,
    /** More machines count against the license than it allows (e.g. the limit was lowered). */
    TOO_MANY_ACTIVATIONS,
    /** The fingerprint is not an active machine of this license. */
    FINGERPRINT_MISMATCH,
    PRODUCT_MISMATCH,
    NOT_YET_VALID,
    /** A reported usage (e.g. {@code gpus}) is above its entitlement limit plus the overage allowance. */
    LIMIT_EXCEEDED,
    /** Answered as HTTP 400 problem+json, never as a 200 answer. */
    MALFORMED_KEY
}
