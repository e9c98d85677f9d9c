package org.licensing.validator.license;

/** DynamoDB did not answer (unreachable, timed out, throttled or failing): answered as 503. */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(Throwable cause) {
        super("license store unavailable", cause);
    }
}
