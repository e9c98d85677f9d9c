package org.licensing.store;

import java.time.Instant;

/**
 * One seat of a license, keyed by the fingerprint the product reports: a machine activated online, or a checkout
 * (an air-gapped machine's license file) that holds the seat until {@code checkoutUntil} or until it is returned.
 *
 * @param checkoutUntil null for an online activation; for a checkout, when it ends
 */
public record Activation(String fingerprint, Instant activatedAt, Instant lastSeenAt, Instant checkoutUntil) {

    /** An online activation. */
    public Activation(String fingerprint, Instant activatedAt, Instant lastSeenAt) {
        this(fingerprint, activatedAt, lastSeenAt, null);
    }

    /** Whether a checkout holds this seat (it is not the validator's to deactivate). */
    public boolean isCheckout() {
        return checkoutUntil != null;
    }

    /**
     * Whether the seat counts at {@code now}: a checkout until it ends; an online activation while seen at or after
     * {@code heartbeatCutoff} (null: always, the license has no heartbeat).
     */
    public boolean holds(Instant now, Instant heartbeatCutoff) {
        if (checkoutUntil != null) {
            return now.isBefore(checkoutUntil);
        }
        return heartbeatCutoff == null || !lastSeenAt.isBefore(heartbeatCutoff);
    }
}
