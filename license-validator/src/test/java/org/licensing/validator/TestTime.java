package org.licensing.validator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Frozen time for every @QuarkusTest: the wall clock and the cache/rate-limit ticker move only when a test
 * calls {@link #advance}, together. Tests compute instants from {@link #now()}, never from the system clock.
 */
public class TestTime {

    private static final Instant START = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final AtomicLong OFFSET_NANOS = new AtomicLong();

    public static Instant now() {
        return START.plusNanos(OFFSET_NANOS.get());
    }

    public static void advance(Duration d) {
        OFFSET_NANOS.addAndGet(d.toNanos());
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
        return () -> 1_000_000_000_000L + OFFSET_NANOS.get();
    }
}
