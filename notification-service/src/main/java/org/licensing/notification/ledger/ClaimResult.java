package org.licensing.notification.ledger;

/** The answer of the send ledger to a claim on one email. */
public enum ClaimResult {
    /** The caller holds the claim and should send. */
    CLAIMED,
    /** Someone already sent it: do nothing. */
    ALREADY_SENT,
    /** Another sender holds a live claim: try again after {@link SendClaim#leaseUntil()}. */
    BUSY
}
