package org.licensing.core.document;

import java.util.Objects;

/** A license file (JWS) or encrypted license file (JWE) that cannot be used. Unchecked; {@link #reason()} is stable. */
public final class LicenseFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** Not a compact JWS/JWE, not canonical base64url, too large, or not JSON. */
        MALFORMED,
        /** Any {@code alg} but {@code EdDSA} (JWS), or any {@code alg}/{@code enc} but {@code dir}/{@code A256GCM} (JWE). */
        UNSUPPORTED_ALGORITHM,
        /** The {@code kid} is missing or not in the trusted key set. */
        UNKNOWN_KEY,
        /** The signature does not match: the file was changed or signed by someone else. */
        BAD_SIGNATURE,
        /** The {@code typ} header is not the expected one ({@code license+jwt}, {@code checkout+jwt}). */
        WRONG_TYPE,
        /** Signed correctly but the claims are not a license document (missing or mistyped claim). */
        INVALID_CLAIMS,
        /** The {@code iss} claim is not the expected issuer. */
        WRONG_ISSUER,
        /** The JWE was made for another license key, or was changed (AES-GCM tag check failed). */
        DECRYPTION_FAILED,
        /** A checkout bound to another machine or cluster fingerprint than this one. */
        WRONG_MACHINE
    }

    private final Reason reason;

    public LicenseFileException(Reason reason, String message) {
        this(reason, message, null);
    }

    public LicenseFileException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
