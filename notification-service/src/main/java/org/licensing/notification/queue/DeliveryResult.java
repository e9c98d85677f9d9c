package org.licensing.notification.queue;

import java.time.Instant;

/**
 * What handling one delivered message came to, and so what the consumer does with the message: {@code DONE}
 * messages are deleted; {@code BUSY} ones become visible again at {@code retryAt} (another sender holds the work);
 * {@code FAILED} ones become visible again after the retry delay, counted as a failure with {@code result} as its
 * reason.
 *
 * @param result what happened: {@code sent}, {@code skipped:<reason>}, {@code busy}, or the failure's reason
 * @param detail for a failure, what went wrong (logged); otherwise null
 */
public record DeliveryResult(Status status, String result, Instant retryAt, String detail) {

    public enum Status {
        DONE,
        BUSY,
        FAILED
    }

    public static DeliveryResult sent() {
        return new DeliveryResult(Status.DONE, "sent", null, null);
    }

    public static DeliveryResult skipped(String reason) {
        return new DeliveryResult(Status.DONE, "skipped:" + reason, null, null);
    }

    public static DeliveryResult busyUntil(Instant retryAt) {
        return new DeliveryResult(Status.BUSY, "busy", retryAt, null);
    }

    /** A failure worth retrying soon (the email service failed): {@code reason} tags the failure metric. */
    public static DeliveryResult failed(String reason, String detail) {
        return new DeliveryResult(Status.FAILED, reason, null, detail);
    }

    /** The message is dealt with and can be deleted. */
    public boolean done() {
        return status == Status.DONE;
    }
}
