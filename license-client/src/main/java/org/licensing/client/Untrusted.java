package org.licensing.client;

/** A receipt, key set or license file that must not be believed; the message says why (no secrets in it). */
final class Untrusted extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean unknownKey;

    Untrusted(String message) {
        this(message, false, null);
    }

    Untrusted(String message, boolean unknownKey, Throwable cause) {
        super(message, cause);
        this.unknownKey = unknownKey;
    }

    /** Whether the only problem found is a {@code kid} that no trusted key has (a key rotation the client missed). */
    boolean unknownKey() {
        return unknownKey;
    }
}
