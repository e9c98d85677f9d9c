package org.licensing.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators type them: {@code 90s}, {@code 15m}, {@code 12h}, {@code 7d}, {@code 2w}. */
final class Durations {

    private static final Pattern FORM = Pattern.compile("(\\d{1,7})([smhdw])");
    /** About 100 years: beyond it an instant computed from now stops meaning anything. */
    private static final Duration MAX = Duration.ofDays(36_600);

    private Durations() {
    }

    /** A positive duration; IllegalArgumentException with an operator-facing message otherwise. */
    static Duration parse(String value) {
        Matcher m = FORM.matcher(value == null ? "" : value.strip().toLowerCase(java.util.Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a duration like 7d, 12h, 30m or 90s");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
        if (d.isZero() || d.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("'" + value + "' must be more than 0 and at most " + MAX.toDays()
                    + "d");
        }
        return d;
    }

    /** {@code 7d}, {@code 12h}, {@code 90s}: the largest whole unit. */
    static String format(Duration d) {
        long s = d.toSeconds();
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
