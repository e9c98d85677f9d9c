package org.licensing.core.search;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;

/**
 * The typed query parameters every search of the API reads (the license search, the audit log): one parser each, so
 * every endpoint accepts the same texts and names a bad one in the same words.
 */
public final class QueryValues {

    private QueryValues() {
    }

    /**
     * The ISO-8601 instant {@code text} of parameter {@code name}; null when absent or blank.
     *
     * @throws InvalidFilterException naming the parameter when it is no instant
     */
    public static Instant instant(String name, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidFilterException(name, "not an ISO-8601 instant (e.g. 2027-01-01T00:00:00Z)");
        }
    }

    /**
     * The constant of {@code type} named {@code text} (ignoring case when {@code ignoreCase}); null when absent or
     * blank.
     *
     * @throws InvalidFilterException naming the parameter and the constants when it names none
     */
    public static <E extends Enum<E>> E oneOf(Class<E> type, String name, String text, boolean ignoreCase) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String value = text.strip();
        try {
            return Enum.valueOf(type, ignoreCase ? value.toUpperCase(Locale.ROOT) : value);
        } catch (IllegalArgumentException e) {
            throw new InvalidFilterException(name, value + " is none of " + Arrays.toString(type.getEnumConstants()));
        }
    }
}
