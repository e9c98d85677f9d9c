package org.licensing.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Trusted time on its own: raised by runs and signed iats, turned-back clocks found, reset by fresh receipts. */
class TrustedClockTest {

    final TestClock clock = new TestClock();
    final CacheStore store = CacheStore.inMemory();
    final TrustedClock trusted = new TrustedClock(store, clock, Duration.ofHours(1));

    /** A run answering from a statement without a signed end. */
    Instant turnedBack(Instant now, Instant signedIat) {
        return trusted.turnedBack(now, signedIat, null);
    }

    @Test
    void aRunRaisesTheTrustedTimeToTheLaterOfNowAndTheSignedIat() {
        Instant now = clock.instant();
        assertNull(turnedBack(now, now.minus(Duration.ofDays(1))));
        assertEquals(now, trusted.current());
        assertEquals(now, store.readTrustedTime(), "written at once: there was none");
        Instant later = now.plus(Duration.ofMinutes(30));
        assertNull(turnedBack(now, later), "a signed iat ahead of this clock within the tolerance");
        assertEquals(later, trusted.current());
        assertEquals(later.plus(Duration.ofDays(2)), turnedBack(now, later.plus(Duration.ofDays(2))),
                "a signed iat two days ahead: this clock is behind");
    }

    @Test
    void aClockBehindTheTrustedTimeByMoreThanTheToleranceIsTurnedBack() {
        Instant t = clock.instant();
        turnedBack(t, t);
        assertNull(turnedBack(t.minus(Duration.ofMinutes(59)), t.minus(Duration.ofDays(1))), "within tolerance");
        assertEquals(t, turnedBack(t.minus(Duration.ofMinutes(61)), t.minus(Duration.ofDays(1))));
        assertEquals(t, trusted.current(), "a turned-back clock does not lower it");
    }

    @Test
    void smallStepsAreWrittenAtMostOnceAMinuteAndFlushedAtClose() {
        Instant t = clock.instant();
        turnedBack(t, t);
        turnedBack(t.plusSeconds(30), t);
        assertEquals(t, store.readTrustedTime(), "30 s later: not written yet");
        turnedBack(t.plusSeconds(61), t);
        assertEquals(t.plusSeconds(61), store.readTrustedTime());
        turnedBack(t.plusSeconds(90), t);
        trusted.flush();
        assertEquals(t.plusSeconds(90), store.readTrustedTime());
    }

    @Test
    void aFreshSignedIatResetsEvenALaterTrustedTime() {
        Instant ahead = clock.instant().plus(Duration.ofDays(400));
        turnedBack(ahead, ahead);
        trusted.reset(clock.instant());
        assertEquals(clock.instant(), trusted.current());
        assertEquals(clock.instant(), store.readTrustedTime());
        assertEquals(clock.instant(), new TrustedClock(store, clock, Duration.ofHours(1)).current(), "kept");
    }

    @Test
    void aRunRaisesTheTrustedTimeNoFurtherThanTheSignedEnd() {
        Instant iat = clock.instant();
        Instant end = iat.plus(Duration.ofDays(30));
        assertNull(trusted.turnedBack(iat.plus(Duration.ofDays(400)), iat, end), "a clock 400 days ahead runs once");
        assertEquals(end, trusted.current(), "but raises the trusted time only to the checkout's end");
        assertEquals(end, trusted.turnedBack(iat.plus(Duration.ofDays(10)), iat, end), "10 days in: still behind it");
    }

    @Test
    void onlyAHigherCheckoutSequenceResetsTheTrustedTime() {
        Instant ahead = clock.instant().plus(Duration.ofDays(400));
        assertEquals(true, trusted.resetIfNewer(1, clock.instant().minus(Duration.ofDays(1))));
        turnedBack(ahead, clock.instant());
        assertEquals(ahead, trusted.current());
        assertEquals(false, trusted.resetIfNewer(1, clock.instant().minus(Duration.ofDays(1))), "the same checkout");
        assertEquals(ahead, trusted.current());
        assertEquals(true, trusted.resetIfNewer(2, clock.instant()));
        assertEquals(clock.instant(), trusted.current());
        assertEquals(false, new TrustedClock(store, clock, Duration.ofHours(1)).resetIfNewer(2, ahead),
                "the sequence seen is kept with the trusted time");
    }
}
