package org.licensing.client;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Trusted time: the latest time the client has reason to believe, from signed {@code iat}s and its own previous
 * runs, kept in the cache ({@link CacheStore#CLOCK}). A system clock earlier than it by more than the tolerance is
 * a clock turned back. Thread-safe (its own lock; callers may hold theirs, it never calls out).
 */
final class TrustedClock {

    /** The trusted time is written again only when it advanced by this much (check() may be called very often). */
    static final Duration WRITE_STEP = Duration.ofMinutes(1);

    private static final System.Logger LOG = System.getLogger(TrustedClock.class.getName());

    private final CacheStore store;
    private final Clock clock;
    private final Duration tolerance;
    private final Object lock = new Object();
    private Instant trusted;
    private boolean loaded;
    private Instant written;

    TrustedClock(CacheStore store, Clock clock, Duration tolerance) {
        this.store = store;
        this.clock = clock;
        this.tolerance = tolerance;
    }

    Instant now() {
        return clock.instant();
    }

    Duration tolerance() {
        return tolerance;
    }

    /**
     * Checks the system clock against the trusted time and a signed {@code iat}: returns the floor it is behind by
     * more than the tolerance (a clock turned back), or null when it is not, in which case the trusted time is raised
     * to the later of now and {@code signedIat}.
     */
    Instant turnedBack(Instant now, Instant signedIat) {
        synchronized (lock) {
            Instant stored = load();
            Instant floor = stored != null && stored.isAfter(signedIat) ? stored : signedIat;
            if (now.isBefore(floor.minus(tolerance))) {
                return floor;
            }
            raise(now.isAfter(signedIat) ? now : signedIat);
            return null;
        }
    }

    /** A fresh signed statement's {@code iat} is the reference: it replaces the trusted time, even a later one. */
    void reset(Instant iat) {
        synchronized (lock) {
            load();
            trusted = iat;
            write();
        }
    }

    /** The trusted time now (for tests and diagnostics), or null when there is none. */
    Instant current() {
        synchronized (lock) {
            return load();
        }
    }

    /** Writes a trusted time not yet written (at close). */
    void flush() {
        synchronized (lock) {
            if (loaded && trusted != null && !trusted.equals(written)) {
                write();
            }
        }
    }

    private Instant load() {
        if (!loaded) {
            trusted = store.readTrustedTime();
            written = trusted;
            loaded = true;
        }
        return trusted;
    }

    private void raise(Instant t) {
        if (trusted != null && !t.isAfter(trusted)) {
            return;
        }
        trusted = t;
        if (written == null || !t.isBefore(written.plus(WRITE_STEP))) {
            write();
        }
    }

    private void write() {
        try {
            store.writeTrustedTime(trusted);
            written = trusted;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot write the trusted time in " + store.directory() + ": " + e);
        }
    }
}
