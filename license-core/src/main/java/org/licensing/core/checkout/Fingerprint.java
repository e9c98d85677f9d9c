package org.licensing.core.checkout;

/**
 * The rule for a machine or cluster fingerprint, shared by the SDK, the issuer and the relay: 1 to
 * {@value #MAX_LENGTH} printable ASCII characters without spaces (what the SDK's host and Kubernetes strategies
 * produce: {@code host-<64 hex>}, {@code k8s-<64 hex>}).
 */
public final class Fingerprint {

    public static final int MAX_LENGTH = 128;

    private Fingerprint() {
    }

    /** Whether {@code value} is a well-formed fingerprint. */
    public static boolean isWellFormed(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code value} when well-formed.
     *
     * @throws IllegalArgumentException naming {@code what} and the rule otherwise
     */
    public static String require(String value, String what) {
        if (!isWellFormed(value)) {
            throw new IllegalArgumentException(what + " must be 1-" + MAX_LENGTH
                    + " printable ASCII characters without spaces");
        }
        return value;
    }
}
