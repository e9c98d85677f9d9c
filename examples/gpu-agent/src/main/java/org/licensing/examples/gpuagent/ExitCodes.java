package org.licensing.examples.gpuagent;

import org.licensing.client.ActivationAnswer;
import org.licensing.client.LicenseCode;

/**
 * The agent's exit codes: one per thing a supervisor or a job scheduler does differently, so scripts branch without
 * parsing the output.
 */
public final class ExitCodes {

    /** The license lets the product run ({@code VALID}, {@code EXPIRED_IN_GRACE}); the machine holds its seat. */
    public static final int USABLE = 0;
    /** An unexpected failure (a bug, an I/O error outside the SDK). */
    public static final int ERROR = 1;
    /** Bad command line or configuration (missing key or pinned keys, both a validator URL and a license file...). */
    public static final int USAGE = 2;
    /**
     * The license says no: a signed refusal (REVOKED, EXPIRED, SUSPENDED, NOT_FOUND, TOO_MANY_ACTIVATIONS...) or a
     * malformed key. Retrying does not help; a person must act (renew, free a seat, fix the key).
     */
    public static final int REFUSED = 3;
    /**
     * The license cannot be confirmed now: the validator is unreachable and no lease is left (UNCONFIRMED,
     * OFFLINE_EXPIRED), the clock is behind (CLOCK_TAMPERED), or an answer was not trustworthy (INVALID_RECEIPT,
     * INVALID_LEASE, INVALID_LICENSE_FILE, UNRECOGNIZED). Retry later, fix the network or the clock, or update the product.
     */
    public static final int UNCONFIRMED = 4;
    /** The license is fine, but the usage asked for exceeds a licensed limit (LIMIT_EXCEEDED): refuse that job. */
    public static final int LIMIT_EXCEEDED = 5;
    /**
     * Relay mode: the site's pool has no room for what this node asked (POOL_EXHAUSTED): other nodes hold it. Retry
     * when they release, or lease less.
     */
    public static final int POOL_EXHAUSTED = 6;

    private ExitCodes() {
    }

    /** The exit code for a license answer's code. */
    public static int of(LicenseCode code) {
        return switch (code) {
            case VALID, EXPIRED_IN_GRACE -> USABLE;
            case LIMIT_EXCEEDED -> LIMIT_EXCEEDED;
            case POOL_EXHAUSTED -> POOL_EXHAUSTED;
            case EXPIRED, NOT_FOUND, SUSPENDED, REVOKED, NOT_YET_VALID, TOO_MANY_ACTIVATIONS, FINGERPRINT_MISMATCH,
                    PRODUCT_MISMATCH, MALFORMED_KEY -> REFUSED;
            case CLOCK_TAMPERED, UNCONFIRMED, OFFLINE_EXPIRED, INVALID_RECEIPT, INVALID_LEASE, INVALID_LICENSE_FILE,
                    UNRECOGNIZED -> UNCONFIRMED;
        };
    }

    /** The exit code for an activation, heartbeat or deactivation. */
    public static int of(ActivationAnswer answer) {
        return switch (answer.outcome()) {
            case ACTIVATED, ALREADY_ACTIVE, SEEN, DEACTIVATED -> USABLE;
            case REFUSED -> REFUSED;
            case RETRY_LATER, UNAVAILABLE -> UNCONFIRMED;
        };
    }
}
