package org.licensing.core.crypto;

import java.util.Objects;

/** A compact JWS that does not verify (unchecked). {@link #reason()} is stable API. */
public final class JwsVerificationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** Not a compact JWS (three base64url parts, canonical encoding, JSON header and payload), or too large. */
        MALFORMED,
        /** {@code alg} is anything but {@code EdDSA} (including {@code none} and HMAC), or unsupported {@code crit}. */
        UNSUPPORTED_ALGORITHM,
        /** No {@code kid}, or a {@code kid} that is not in the key set (or not an Ed25519 key there). */
        UNKNOWN_KEY,
        /** The signature does not match the content for the key named by {@code kid}. */
        BAD_SIGNATURE,
        /** The {@code typ} header is not the one expected (for example a receipt presented as a license file). */
        WRONG_TYPE
    }

    private final Reason reason;

    public JwsVerificationException(Reason reason, String message) {
        this(reason, message, null);
    }

    public JwsVerificationException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
