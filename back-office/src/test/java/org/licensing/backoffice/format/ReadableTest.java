package org.licensing.backoffice.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class ReadableTest {

    static final Instant NOW = Instant.parse("2026-12-07T09:00:00Z");

    @Test
    void datesSayTheDayAndHowFarAway() {
        assertEquals("14 Dec 2027, in 372 days", Readable.date("2027-12-14T20:10:23Z", NOW));
        assertEquals("7 Dec 2026, today", Readable.date("2026-12-07T23:59:59Z", NOW));
        assertEquals("8 Dec 2026, tomorrow", Readable.date("2026-12-08T00:00:00Z", NOW));
        assertEquals("6 Dec 2026, yesterday", Readable.date("2026-12-06T23:59:59Z", NOW));
        assertEquals("1 Dec 2026, 6 days ago", Readable.date("2026-12-01T00:00:00Z", NOW));
        assertEquals("1 Jan 2027, in 25 days", Readable.date("2027-01-01", NOW), "a plain date is its UTC day");
        assertEquals("7 Dec 2026, 08:05 UTC, today", Readable.time("2026-12-07T08:05:30.123Z", NOW));
    }

    @Test
    void unreadableOrMissingDatesStayAsTheyAre() {
        assertEquals("", Readable.date(null, NOW));
        assertEquals("", Readable.date(" ", NOW));
        assertEquals("soon", Readable.date("soon", NOW));
    }

    @Test
    void byteLimitsInBinaryUnits() {
        assertEquals("2 TiB", Readable.limit("mem", 2199023255552L));
        assertEquals("2 TiB", Readable.limit("mem", "2199023255552"));
        assertEquals("1.5 GiB", Readable.limit("mem", 1610612736L));
        assertEquals("512 bytes", Readable.limit("disk.bytes", 512));
        assertEquals("64 GiB", Readable.limit("gpu.mem", 68719476736L));
        assertEquals("≈ 1.46 GiB (1,572,864,000 bytes)", Readable.limit("mem", 1572864000L));
    }

    @Test
    void otherLimitsAsWritten() {
        assertEquals("2.5", Readable.limit("cuda.shares", 2.5d));
        assertEquals("0.1", Readable.limit("cuda.shares", 0.1d));
        assertEquals("2.25", Readable.limit("cuda.shares", new BigDecimal("2.25")));
        assertEquals("8", Readable.limit("cuda.device", 8));
        assertEquals("10000000", Readable.limit("cpu", 1.0e7d), "never 1.0E7");
        assertEquals("2048", Readable.limit("nodes", 2048), "only byte limits get units");
        assertEquals("lots", Readable.limit("nodes", "lots"));
    }

    @Test
    void statusesHaveATone() {
        assertEquals("ok", Readable.tone("ACTIVE"));
        assertEquals("warn", Readable.tone("SUSPENDED"));
        assertEquals("bad", Readable.tone("REVOKED"));
        assertEquals("bad", Readable.tone("FAILED"));
        assertEquals("neutral", Readable.tone("RETURNED"));
        assertEquals("neutral", Readable.tone(null));
    }
}
