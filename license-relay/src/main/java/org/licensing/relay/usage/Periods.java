package org.licensing.relay.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Report period bounds as people write them: an ISO-8601 instant, a UTC date (its midnight) or epoch seconds. */
public final class Periods {

    private Periods() {
    }

    /**
     * The instant {@code text} names, or null for null/blank.
     *
     * @throws IllegalArgumentException naming {@code what} when it is none of the forms
     */
    public static Instant parse(String text, String what) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip();
        try {
            if (t.matches("\\d{1,12}")) {
                return Instant.ofEpochSecond(Long.parseLong(t));
            }
            if (t.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            Instant i = Instant.parse(t);
            if (i.getNano() != 0) {
                throw new IllegalArgumentException(what + " must be a whole second");
            }
            return i;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(what + " must be an ISO-8601 instant (2026-12-01T00:00:00Z), a date"
                    + " (2026-12-01, UTC midnight) or epoch seconds, not \"" + t + "\"");
        }
    }
}
