package org.licensing.notification.email;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/** Exponential backoff with full jitter: a random delay in [0, min(max, initial * 2^retry)]. */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final LongUnaryOperator random;

    /** @param random returns a value in [0, bound] for a bound */
    public Backoff(Duration initial, Duration max, LongUnaryOperator random) {
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /** Delay before retry number {@code retry} (0 for the first retry). */
    public Duration delay(int retry) {
        return Duration.ofMillis(random.applyAsLong(ceiling(retry)));
    }

    /** The upper bound of the jittered delay of retry number {@code retry}. */
    public long ceiling(int retry) {
        long base = Math.max(1, initial.toMillis());
        long cap = Math.max(base, max.toMillis());
        int shift = Math.min(Math.max(0, retry), 30);
        long grown = base << shift;
        return grown <= 0 || grown > cap ? cap : grown;
    }
}
