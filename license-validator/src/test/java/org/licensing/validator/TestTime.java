package org.licensing.validator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Frozen time for the @QuarkusTests: the wall clock and the cache/rate-limit ticker move only when a test calls
 * {@link #advance}, together. Each test starts its own clock at a fixed instant of its class ({@link #startAt}
 * from {@code @BeforeEach}), so what a test sees never depends on the day it runs or on the tests before it. Tests
 * compute instants from {@link #now()}, never from the system clock.
 */
public class TestTime {

    /** Where a clock starts when no test started one: fixed, not the day the build runs. */
    static final Instant DEFAULT_START = Instant.parse("2026-01-15T10:00:00Z");

    /**
     * Each start moves the ticker this far ahead: cache entries and token buckets of earlier tests are then stale
     * or full again, so no test inherits another's state. The ticker itself only ever moves forward (Caffeine and
     * the buckets need a monotonic source).
     */
    static final Duration JUMP_BETWEEN_TESTS = Duration.ofHours(1);

    private record State(long tickerNanos, Instant start, long tickerAtStart) {
        Instant now() {
            return start.plusNanos(tickerNanos - tickerAtStart);
        }
    }

    private static final AtomicReference<State> STATE = new AtomicReference<>(new State(0, DEFAULT_START, 0));

    /** Starts a fresh clock at {@code start} (the wall clock jumps there; the ticker jumps ahead). */
    public static void startAt(Instant start) {
        STATE.updateAndGet(s -> {
            long ticker = s.tickerNanos() + JUMP_BETWEEN_TESTS.toNanos();
            return new State(ticker, start, ticker);
        });
    }

    public static void startAt(String isoInstant) {
        startAt(Instant.parse(isoInstant));
    }

    public static Instant now() {
        return STATE.get().now();
    }

    public static void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time only moves forward: " + d);
        }
        STATE.updateAndGet(s -> new State(s.tickerNanos() + d.toNanos(), s.start(), s.tickerAtStart()));
    }

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    Clock testClock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now();
            }
        };
    }

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    Ticker testTicker() {
        return () -> 1_000_000_000_000L + STATE.get().tickerNanos();
    }
}
