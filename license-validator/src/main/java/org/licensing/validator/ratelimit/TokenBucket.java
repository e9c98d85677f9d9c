package org.licensing.validator.ratelimit;

/** A token bucket on a caller-supplied nanosecond clock. Thread-safe. */
final class TokenBucket {

    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last;

    TokenBucket(double perSecond, int burst, long now) {
        this.perNano = perSecond / 1e9;
        this.capacity = Math.max(1, burst);
        this.tokens = capacity;
        this.last = now;
    }

    /** 0 when a token was taken; otherwise nanoseconds until one is available. */
    synchronized long tryTake(long now) {
        if (now > last) {
            tokens = Math.min(capacity, tokens + (now - last) * perNano);
            last = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return perNano <= 0 ? Long.MAX_VALUE : (long) Math.ceil((1 - tokens) / perNano);
    }
}
