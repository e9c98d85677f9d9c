package org.licensing.notification.queue;

/** A queued body that is not a valid {@link ReminderMessage}: a poison message, left for the dead-letter queue. */
public class MalformedMessageException extends RuntimeException {

    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
