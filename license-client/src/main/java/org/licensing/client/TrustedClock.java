package org.licensing.client;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Trusted time: the latest time the client has reason to believe, kept in the cache ({@link CacheStore#CLOCK}). A
 * system clock earlier than it by more than the tolerance is a clock turned back.
 *
 * <p>It heals: the client's own runs raise it only up to what was signed (the signed statement's end: a receipt's
 * lease, a checkout's end), so a clock that ran far ahead once cannot push it past the vendor's word; and a newer
 * signed statement (a fresh receipt, a checkout with a higher sequence number) resets it to that statement's
 * {@code iat}. Re-presenting an old checkout resets nothing. Thread-safe (its own lock; it never calls out).
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
    private long checkoutSeq;
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
     * to the later of now and {@code signedIat}, but never past {@code signedEnd} (the statement's lease or
     * checkout end; null: no cap).
     */
    Instant turnedBack(Instant now, Instant signedIat, Instant signedEnd) {
        synchronized (lock) {
            load();
            Instant floor = trusted != null && trusted.isAfter(signedIat) ? trusted : signedIat;
            if (now.isBefore(floor.minus(tolerance))) {
                return floor;
            }
            Instant raised = now.isAfter(signedIat) ? now : signedIat;
            if (signedEnd != null && raised.isAfter(signedEnd)) {
                raised = signedEnd.isAfter(signedIat) ? signedEnd : signedIat;
            }
            raise(raised);
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

    /**
     * A checkout: when its sequence number is higher than any seen, its {@code iat} becomes the trusted time (the
     * vendor made it later than every checkout before); an old one changes nothing.
     *
     * @return whether it was newer
     */
    boolean resetIfNewer(long sequence, Instant iat) {
        synchronized (lock) {
            load();
            if (sequence <= checkoutSeq) {
                return false;
            }
            checkoutSeq = sequence;
            trusted = iat;
            write();
            return true;
        }
    }

    /** The trusted time now (for tests and diagnostics), or null when there is none. */
    Instant current() {
        synchronized (lock) {
            load();
            return trusted;
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

    private void load() {
        if (!loaded) {
            CacheStore.ClockState state = store.readClock();
            trusted = state.trusted();
            checkoutSeq = state.checkoutSeq();
            written = trusted;
            loaded = true;
        }
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
            store.writeClock(new CacheStore.ClockState(trusted, checkoutSeq));
            written = trusted;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot write the trusted time in " + store.directory() + ": " + e);
        }
    }
}
