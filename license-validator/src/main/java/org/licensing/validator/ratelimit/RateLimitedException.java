package org.licensing.validator.ratelimit;

/** Too many requests for one license id or client address; answered 429 with Retry-After. */
public class RateLimitedException extends RuntimeException {

    private final long retryAfterSeconds;

    /** {@code scope} names what is over its limit ("license key", "client address") in the message. */
    public RateLimitedException(String scope, long retryAfterSeconds) {
        super("Too many requests for this " + scope + ".", null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
