package org.licensing.backoffice.finance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class QuarterTest {

    @Test
    void calendarQuartersInUtc() {
        Quarter q = Quarter.of(Instant.parse("2026-12-31T23:59:59Z"));
        assertEquals(new Quarter(2026, 4), q);
        assertEquals(Instant.parse("2026-10-01T00:00:00Z"), q.start());
        assertEquals(Instant.parse("2027-01-01T00:00:00Z"), q.end());
        assertEquals(new Quarter(2027, 1), q.next());
        assertEquals(Instant.parse("2027-04-01T00:00:00Z"), q.next().end());
        assertEquals("1 Jan 2027 to 31 Mar 2027 (UTC)", q.next().span());
        assertEquals("Q1 2027", q.next().label());
        assertEquals("2027-Q1", q.next().statsKey());
        assertEquals(new Quarter(2027, 1), Quarter.of(Instant.parse("2027-01-01T00:00:00Z")));
        assertEquals(new Quarter(2027, 2), Quarter.of(Instant.parse("2027-04-01T00:00:00Z")));
        assertEquals(new Quarter(2027, 1), Quarter.of(Instant.parse("2027-03-31T23:59:59.999Z")));
    }
}
