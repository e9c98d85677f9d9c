package org.licensing.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting on a condition instead of sleeping: the e2e tests' one copy. */
final class Await {

    /** The validator's cache bound ({@code licensing.validator.cache.ttl}, 5 s by default). */
    static final Duration CACHE_BOUND = Duration.ofSeconds(5);

    private Await() {
    }

    /** Polls every 100 ms until {@code condition} holds; fails after {@code within}. */
    static void until(BooleanSupplier condition, Duration within, String what) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("waited " + within + " for " + what);
            }
            sleep(Duration.ofMillis(100));
        }
    }

    /**
     * Probes until {@code wanted}, every 100 ms and once more when {@link #CACHE_BOUND} after {@code sinceNanos}
     * (a {@link System#nanoTime()} taken just before the change was sent) is over: a probe that starts after the
     * bound must answer {@code wanted}. Returns the milliseconds from the change to the start of the first probe
     * that did.
     */
    static long withinCacheBound(long sinceNanos, Supplier<String> probe, String wanted) {
        long deadline = sinceNanos + CACHE_BOUND.toNanos();
        while (true) {
            long probeStart = System.nanoTime();
            String answer = probe.get();
            if (wanted.equals(answer)) {
                return Duration.ofNanos(probeStart - sinceNanos).toMillis();
            }
            if (probeStart >= deadline) {
                fail("a probe that started " + Duration.ofNanos(probeStart - sinceNanos).toMillis()
                        + " ms after the change, past the " + CACHE_BOUND.toSeconds() + " s bound, answered " + answer
                        + " instead of " + wanted);
            }
            long untilDeadline = deadline - System.nanoTime();
            sleep(Duration.ofNanos(Math.max(0, Math.min(Duration.ofMillis(100).toNanos(), untilDeadline))));
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
