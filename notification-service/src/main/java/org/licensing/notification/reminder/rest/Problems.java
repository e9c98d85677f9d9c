package org.licensing.notification.reminder.rest;

import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

import io.quarkiverse.resteasy.problem.HttpProblem;

/** The problem types this service answers with (problem+json, RFC 9457). */
final class Problems {

    static final URI INVALID_DATE = URI.create("https://licensing.dev/problems/invalid-date");
    static final URI INVALID_REQUEST = URI.create("https://licensing.dev/problems/invalid-request");

    private Problems() {
    }

    static LocalDate parseDate(String value, LocalDate fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw HttpProblem.builder().withType(INVALID_DATE).withStatus(400).withTitle("Invalid date")
                    .withDetail("date must be an ISO day such as 2026-12-01").build();
        }
    }

    static HttpProblem invalid(String detail) {
        return HttpProblem.builder().withType(INVALID_REQUEST).withStatus(400).withTitle("Invalid request")
                .withDetail(detail).build();
    }
}
