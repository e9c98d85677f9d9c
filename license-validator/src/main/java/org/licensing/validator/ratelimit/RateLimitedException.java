package org.licensing.validator.ratelimit;

/** Too many requests for one license id or client address; answered 429 with Retry-After. */
public class RateLimitedException extends RuntimeException {

    private final String scope;
    private final long retryAfterSeconds;

    public RateLimitedException(String scope, long retryAfterSeconds) {
        super("Too many requests for this " + scope + ".", null, false, false);
        this.scope = scope;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public String scope() {
        return scope;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
