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

    @Test
    void aRunRaisesTheTrustedTimeToTheLaterOfNowAndTheSignedIat() {
        Instant now = clock.instant();
        assertNull(trusted.turnedBack(now, now.minus(Duration.ofDays(1))));
        assertEquals(now, trusted.current());
        assertEquals(now, store.readTrustedTime(), "written at once: there was none");
        Instant later = now.plus(Duration.ofMinutes(30));
        assertNull(trusted.turnedBack(now, later), "a signed iat ahead of this clock within the tolerance");
        assertEquals(later, trusted.current());
        assertEquals(later.plus(Duration.ofDays(2)), trusted.turnedBack(now, later.plus(Duration.ofDays(2))),
                "a signed iat two days ahead: this clock is behind");
    }

    @Test
    void aClockBehindTheTrustedTimeByMoreThanTheToleranceIsTurnedBack() {
        Instant t = clock.instant();
        trusted.turnedBack(t, t);
        assertNull(trusted.turnedBack(t.minus(Duration.ofMinutes(59)), t.minus(Duration.ofDays(1))), "within tolerance");
        assertEquals(t, trusted.turnedBack(t.minus(Duration.ofMinutes(61)), t.minus(Duration.ofDays(1))));
        assertEquals(t, trusted.current(), "a turned-back clock does not lower it");
    }

    @Test
    void smallStepsAreWrittenAtMostOnceAMinuteAndFlushedAtClose() {
        Instant t = clock.instant();
        trusted.turnedBack(t, t);
        trusted.turnedBack(t.plusSeconds(30), t);
        assertEquals(t, store.readTrustedTime(), "30 s later: not written yet");
        trusted.turnedBack(t.plusSeconds(61), t);
        assertEquals(t.plusSeconds(61), store.readTrustedTime());
        trusted.turnedBack(t.plusSeconds(90), t);
        trusted.flush();
        assertEquals(t.plusSeconds(90), store.readTrustedTime());
    }

    @Test
    void aFreshSignedIatResetsEvenALaterTrustedTime() {
        Instant ahead = clock.instant().plus(Duration.ofDays(400));
        trusted.turnedBack(ahead, ahead);
        trusted.reset(clock.instant());
        assertEquals(clock.instant(), trusted.current());
        assertEquals(clock.instant(), store.readTrustedTime());
        assertEquals(clock.instant(), new TrustedClock(store, clock, Duration.ofHours(1)).current(), "kept");
    }
}
