package org.licensing.backoffice.format;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Values as people read them (plain, unit-tested; {@link Formats} offers them to the templates): dates with how far
 * away they are, byte limits in binary units, decimals as written, a status's badge colour. Dates are UTC, the zone
 * the APIs and the licenses' days are in; the pages say so.
 */
public final class Readable {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM uuuu", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("d MMM uuuu, HH:mm 'UTC'",
            Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final String[] UNITS = { "bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    private static final BigDecimal KIB = BigDecimal.valueOf(1024);

    private Readable() {
    }

    /** "14 Dec 2027, in 372 days" (UTC days); an unreadable value as it is; null or blank: "". */
    public static String date(Object value, Instant now) {
        Instant at = instant(value);
        return at == null ? text(value).strip() : DAY.format(at) + ", " + relative(at, now);
    }

    /** "14 Dec 2027, 20:10 UTC, in 372 days": for events, where the hour matters. */
    public static String time(Object value, Instant now) {
        Instant at = instant(value);
        return at == null ? text(value).strip() : TIME.format(at) + ", " + relative(at, now);
    }

    /** "today", "tomorrow", "in 372 days", "yesterday", "3 days ago": calendar days in UTC. */
    static String relative(Instant at, Instant now) {
        long days = ChronoUnit.DAYS.between(LocalDate.ofInstant(now, ZoneOffset.UTC),
                LocalDate.ofInstant(at, ZoneOffset.UTC));
        if (days == 0) {
            return "today";
        }
        if (days == 1) {
            return "tomorrow";
        }
        if (days == -1) {
            return "yesterday";
        }
        return days > 0 ? "in " + days + " days" : -days + " days ago";
    }

    /**
     * A limit's value: in binary units where the name says it counts bytes ({@code mem}, names with "mem" or
     * "bytes", as entitlements name memory: license-core's Entitlements); else the decimal as written (cuda.shares
     * 2.5 stays 2.5). Bytes that are no whole number of a unit keep the exact figure beside the rounded one.
     */
    public static String limit(Object name, Object value) {
        BigDecimal number = decimal(value);
        if (number == null) {
            return text(value);
        }
        if (!countsBytes(text(name)) || number.signum() < 0 || number.stripTrailingZeros().scale() > 0) {
            return number.stripTrailingZeros().scale() < 0 ? number.toBigInteger().toString()
                    : number.stripTrailingZeros().toPlainString();
        }
        int unit = 0;
        BigDecimal scaled = number;
        while (unit < UNITS.length - 1 && scaled.compareTo(KIB) >= 0) {
            scaled = scaled.divide(KIB);
            unit++;
        }
        if (unit == 0) {
            return number.toBigInteger() + " bytes";
        }
        if (scaled.stripTrailingZeros().scale() <= 2) {
            return plain(scaled) + " " + UNITS[unit];
        }
        return "≈ " + plain(scaled.setScale(2, RoundingMode.HALF_EVEN)) + " " + UNITS[unit] + " ("
                + String.format(Locale.ENGLISH, "%,d", number.toBigInteger()) + " bytes)";
    }

    static boolean countsBytes(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.equals("mem") || n.contains("mem") || n.contains("bytes");
    }

    /** The badge class of a license, checkout or reminder status: ok, warn, bad or neutral (colour plus text). */
    public static String tone(Object status) {
        return switch (text(status).toUpperCase(Locale.ROOT)) {
            case "ACTIVE", "VALID", "SENT", "DELIVERED", "SUCCEEDED", "ENABLED", "COMMITTED" -> "ok";
            case "SUSPENDED", "PENDING", "RETRYING", "EXPIRING", "CLAIMED", "DISABLED" -> "warn";
            case "REVOKED", "EXPIRED", "FAILED", "DEAD", "DEAD_LETTERED", "REFUSED" -> "bad";
            default -> "neutral";
        };
    }

    static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        String s = text(value).strip();
        if (s.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static BigDecimal decimal(Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        String s = text(value).strip();
        if (s.isEmpty()) {
            return null;
        }
        try {
            // a Double from a JSON tree prints its shortest form (2.5, 0.1), which is what was written
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String plain(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        return s.scale() < 0 ? s.toBigInteger().toString() : s.toPlainString();
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }
}
