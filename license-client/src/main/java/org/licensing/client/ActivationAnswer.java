package org.licensing.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The answer of {@link LicenseClient#activate}, {@link LicenseClient#heartbeat} and {@link LicenseClient#deactivate}.
 * Activation answers are not signed (they grant nothing: only a verified receipt lets the product run); they say
 * whether this machine holds a seat.
 *
 * @param outcome what happened
 * @param code with {@link Outcome#REFUSED}, why (for example {@link LicenseCode#TOO_MANY_ACTIVATIONS},
 *     {@link LicenseCode#NOT_FOUND}, {@link LicenseCode#REVOKED}, {@link LicenseCode#FINGERPRINT_MISMATCH} when the
 *     machine is not active); null otherwise
 * @param detail a human-readable explanation
 * @param fingerprint this machine's fingerprint
 * @param activeMachines machines recorded on the license, when the validator said
 * @param maxActivations the license's activation limit (0 = unlimited), when the validator said
 * @param heartbeatDueBy with floating seats, the next heartbeat must come before this instant; else null
 * @param retryAfter with {@link Outcome#RETRY_LATER}, how long to wait, when the validator said; else null
 */
public record ActivationAnswer(Outcome outcome, LicenseCode code, String detail, String fingerprint,
        Integer activeMachines, Integer maxActivations, Instant heartbeatDueBy, Duration retryAfter) {

    /** What an activation, heartbeat or deactivation did. */
    public enum Outcome {
        /** The machine was added (HTTP 201). */
        ACTIVATED,
        /** The machine was already active; its last-seen time was refreshed (HTTP 200). */
        ALREADY_ACTIVE,
        /** A heartbeat was recorded. */
        SEEN,
        /** The machine's seat was freed (HTTP 204). */
        DEACTIVATED,
        /** The validator refused; {@link ActivationAnswer#code()} says why. */
        REFUSED,
        /** Rate limited, the daily deactivation bound, or the license busy: try again after {@code retryAfter}. */
        RETRY_LATER,
        /** The validator could not be reached (network error, timeout, HTTP 5xx). */
        UNAVAILABLE
    }

    public ActivationAnswer {
        Objects.requireNonNull(outcome, "outcome");
        detail = Objects.requireNonNullElse(detail, "");
    }

    /** Whether the machine holds (or, for a deactivation, released) its seat. */
    public boolean ok() {
        return outcome == Outcome.ACTIVATED || outcome == Outcome.ALREADY_ACTIVE || outcome == Outcome.SEEN
                || outcome == Outcome.DEACTIVATED;
    }
}
