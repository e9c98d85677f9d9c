package org.licensing.relay.engine;

/**
 * Whether the relay serves and, if not, why: a stable {@code code} for machines and a {@code message} that tells
 * the site's operator what to do.
 */
public record RelayStatus(boolean serving, Code code, String message) {

    /** Why a relay serves or not. */
    public enum Code {
        /** Serving on a verified checkout. */
        SERVING,
        /** No checkout installed yet: the checkout request waits to be carried to the vendor. */
        NO_CHECKOUT,
        /** The checkout does not open or verify (another license key, machine, vendor key, relay key, product). */
        CHECKOUT_INVALID,
        /** The checkout has not started yet. */
        CHECKOUT_NOT_YET_VALID,
        /** The checkout ended: a renewed one is needed. */
        CHECKOUT_EXPIRED,
        /** The data directory was made on another site (fingerprint), or for another license or product. */
        WRONG_SITE,
        /** The data directory's usage log, reports or key were changed, removed or reordered. */
        DATA_TAMPERED,
        /** The site's clock is behind the log's last record or the checkout's signing time. */
        CLOCK_BEHIND,
        /** The site fingerprint cannot be determined (machine id, Kubernetes API). */
        FINGERPRINT_UNAVAILABLE,
        /** The data directory cannot be used (permissions, another relay holds it, a failed write). */
        STORAGE_FAILED
    }

    public static RelayStatus serving(String message) {
        return new RelayStatus(true, Code.SERVING, message);
    }

    public static RelayStatus down(Code code, String message) {
        return new RelayStatus(false, code, message);
    }
}
