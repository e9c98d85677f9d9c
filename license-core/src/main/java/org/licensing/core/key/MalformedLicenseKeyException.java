package org.licensing.core.key;

import java.util.Objects;

/**
 * A string that is not a well-formed license key. Thrown by {@link LicenseKey#parse(String)} before any lookup, so
 * a typo is reported without a network call. The {@link #reason()} is stable (map it to {@code MALFORMED_KEY});
 * the message is plain words for a human and never echoes the secret part of the input.
 */
public final class MalformedLicenseKeyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Why a key was rejected. Names are stable API. */
    public enum Reason {
        /** Null, empty or only whitespace. */
        EMPTY,
        /** Longer than {@link LicenseKey#MAX_INPUT_LENGTH} characters (checked before anything else). */
        TOO_LONG,
        /** Looks like a license key ({@code LK<n>-}) of a version this code does not know. */
        UNKNOWN_VERSION,
        /** Does not start with the {@code LK1-} prefix, or the decoded content is not canonical. */
        BAD_FORMAT,
        /** A character outside Crockford base32 (and the {@code -} separator), including any non-ASCII character. */
        BAD_CHARACTER,
        /** Wrong number of base32 characters after the prefix (for example a truncated key). */
        BAD_LENGTH,
        /** The check characters do not match: a mistyped or swapped character. */
        BAD_CHECKSUM
    }

    private final Reason reason;

    public MalformedLicenseKeyException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    /** No stack trace: this is a cheap answer to bad user input (and to floods of it), not a programming error. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
