package org.licensing.client;

/**
 * Misuse of the client, or an environment it cannot work in: an incomplete or invalid builder, a pinned key set
 * that is not a set of public Ed25519 keys, an unusable cache directory, a fingerprint that cannot be computed,
 * negative or badly named usage, a request the validator rejects as invalid (HTTP 400 other than a malformed key),
 * a closed client. Never thrown for a license that is simply not good: that is a {@link LicenseAnswer}.
 */
public final class LicenseClientException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LicenseClientException(String message) {
        super(message);
    }

    public LicenseClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
