package org.licensing.notification.queue;

import java.time.Instant;

/**
 * What processing a message came to. {@code done} messages are deleted; others are left in the queue and become
 * visible again at {@code retryAt}.
 */
public record Outcome(String result, boolean done, Instant retryAt) {

    public static Outcome sent() {
        return new Outcome("sent", true, null);
    }

    public static Outcome skipped(String reason) {
        return new Outcome("skipped:" + reason, true, null);
    }

    public static Outcome busyUntil(Instant retryAt) {
        return new Outcome("busy", false, retryAt);
    }
}
