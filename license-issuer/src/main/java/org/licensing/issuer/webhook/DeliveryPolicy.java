package org.licensing.issuer.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * What follows an attempt (plain rules, unit-tested): a 2xx answer delivers; anything else is retried after an
 * exponential backoff with jitter (first, doubled per attempt, capped; then a random point in its upper half, so
 * receivers coming back from an outage are not hit by every sender at once) until the delivery is {@code retryFor}
 * old, then dead-lettered. The endpoint is disabled on a 410 Gone (the receiver says it is gone for good), and on a
 * dead letter when not a single attempt at it succeeded since that delivery's first attempt (it failed for the
 * whole retry window).
 */
public final class DeliveryPolicy {

    public enum State { PENDING, DELIVERED, DEAD }

    /** One attempt: the receiver's status code (null: no answer, see {@code error}) and the time it took. */
    public record Attempt(Integer status, long latencyMillis, String error) {
        public boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }
    }

    /** The delivery's next state, when it is tried again (PENDING), and a reason to disable the endpoint, if any. */
    public record Outcome(State state, Instant nextAttemptAt, String disableReason) {
    }

    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final Duration retryFor;
    private final RandomGenerator random;

    public DeliveryPolicy(Duration firstBackoff, Duration maxBackoff, Duration retryFor, RandomGenerator random) {
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.retryFor = retryFor;
        this.random = random;
    }

    /**
     * @param attempts the attempts made before this one
     * @param createdAt when the delivery was queued
     * @param firstAttemptAt when it was first tried (null: this is its first attempt)
     * @param failingSince since when the endpoint has failed without success (null: its last attempt succeeded)
     */
    public Outcome decide(Attempt attempt, int attempts, Instant createdAt, Instant firstAttemptAt,
            Instant failingSince, Instant now) {
        if (attempt.delivered()) {
            return new Outcome(State.DELIVERED, null, null);
        }
        String disable = null;
        if (attempt.status() != null && attempt.status() == 410) {
            disable = "the endpoint answered 410 Gone at " + now;
        }
        Instant next = now.plus(backoff(attempts + 1));
        if (!next.isBefore(createdAt.plus(retryFor))) {
            // every attempt at this endpoint failed since this delivery's first one: it kept failing for the window
            Instant streak = failingSince == null ? now : failingSince;
            Instant first = firstAttemptAt == null ? now : firstAttemptAt;
            if (disable == null && !streak.isAfter(first)) {
                disable = "no successful delivery since " + streak + " (" + retryFor + " of retries); last attempt: "
                        + describe(attempt);
            }
            return new Outcome(State.DEAD, null, disable);
        }
        return new Outcome(State.PENDING, next, disable);
    }

    /** The wait after the {@code n}th failed attempt (n >= 1): jittered in the upper half of the doubled delay. */
    Duration backoff(int n) {
        long first = firstBackoff.toMillis();
        long cap = maxBackoff.toMillis();
        long delay = n >= 40 ? cap : Math.min(cap, first << Math.min(n - 1, 40));
        long half = delay / 2;
        return Duration.ofMillis(half + (half > 0 ? random.nextLong(half + 1) : 0));
    }

    static String describe(Attempt a) {
        return a.status() != null ? "answered " + a.status() : a.error();
    }
}
