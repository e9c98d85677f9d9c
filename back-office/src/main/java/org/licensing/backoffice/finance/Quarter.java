package org.licensing.backoffice.finance;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import io.quarkus.qute.TemplateData;

/** A calendar quarter in UTC: [first day 00:00Z, first day of the next quarter 00:00Z). */
@TemplateData
public record Quarter(int year, int number) {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM uuuu", Locale.ENGLISH);

    public Quarter {
        if (number < 1 || number > 4) {
            throw new IllegalArgumentException("quarter " + number);
        }
    }

    public static Quarter of(Instant at) {
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        return new Quarter(day.getYear(), (day.getMonthValue() - 1) / 3 + 1);
    }

    public Quarter next() {
        return number == 4 ? new Quarter(year + 1, 1) : new Quarter(year, number + 1);
    }

    public LocalDate firstDay() {
        return LocalDate.of(year, (number - 1) * 3 + 1, 1);
    }

    /** The last day (inclusive), for people. */
    public LocalDate lastDay() {
        return next().firstDay().minusDays(1);
    }

    public Instant start() {
        return firstDay().atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Exclusive: the next quarter's start. */
    public Instant end() {
        return next().start();
    }

    /** "Q1 2027", the issuer's stats key is {@code 2027-Q1}. */
    public String label() {
        return "Q" + number + " " + year;
    }

    public String statsKey() {
        return year + "-Q" + number;
    }

    /** "1 Jan 2027 to 31 Mar 2027 (UTC)". */
    public String span() {
        return DAY.format(firstDay()) + " to " + DAY.format(lastDay()) + " (UTC)";
    }
}
