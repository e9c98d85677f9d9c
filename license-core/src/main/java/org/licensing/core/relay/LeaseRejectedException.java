package org.licensing.core.relay;

import java.util.Objects;

/** A lease that must not be believed; {@link #reason()} names the broken link (stable API), the message says how. */
public final class LeaseRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The link of the chain lease -> relay key -> checkout -> pinned vendor key that broke. */
    public enum Reason {
        /** Not a compact JWS/JWE, wrong {@code typ}, or claims missing or of the wrong type. */
        MALFORMED,
        /** The lease's {@code alg} is not {@code EdDSA} ({@code none}, HMAC...) or it has a {@code crit} header. */
        UNSUPPORTED_ALGORITHM,
        /** The checkout does not open with this license key on its site, or is not signed by a pinned vendor key. */
        CHECKOUT_INVALID,
        /** The checkout ended (or the lease would run past it). */
        CHECKOUT_EXPIRED,
        /** The license in the checkout has not started. */
        CHECKOUT_NOT_YET_VALID,
        /** The checkout is for another product. */
        WRONG_PRODUCT,
        /** The checkout certifies no relay key (a plain machine checkout). */
        NOT_A_RELAY_CHECKOUT,
        /** The lease names a key ({@code kid}) other than the relay key the checkout certifies. */
        NOT_CERTIFIED_KEY,
        /** The lease's signature does not verify with the certified relay key. */
        BAD_SIGNATURE,
        /** The lease names another license, product, checkout or site than the checkout it came with. */
        WRONG_CHECKOUT,
        /** The lease echoes another nonce than the one sent: a replayed or misrouted answer. */
        WRONG_NONCE,
        /** The lease is for another node. */
        WRONG_FINGERPRINT,
        /** The lease ends before it was signed, or was signed before its checkout (the relay's clock is behind). */
        LEASE_TIME
    }

    private final Reason reason;

    public LeaseRejectedException(Reason reason, String message) {
        this(reason, message, null);
    }

    public LeaseRejectedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
