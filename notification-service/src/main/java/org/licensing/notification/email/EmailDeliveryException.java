package org.licensing.notification.email;

/** SES did not accept an email (after retries when the failure was transient). */
public class EmailDeliveryException extends RuntimeException {

    private final boolean transientFailure;

    public EmailDeliveryException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
