package org.licensing.notification.reminder.rest;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.licensing.core.problem.ProblemType;
import org.licensing.notification.openapi.Examples;
import org.licensing.support.problem.Problems;

/** Body of a run or digest request; {@code date} defaults to today (UTC). */
@Schema(description = "The day to run for (UTC, yyyy-MM-dd); today when absent")
public record DateRequest(@Schema(example = Examples.DATE, format = "date") String date) {

    /**
     * The day {@code request} names, or {@code today} when it names none.
     *
     * @throws io.quarkiverse.resteasy.problem.HttpProblem 400 {@code invalid-date} for anything but an ISO day
     */
    static LocalDate dayOf(DateRequest request, LocalDate today) {
        String value = request == null ? null : request.date();
        if (value == null || value.isBlank()) {
            return today;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw Problems.of(ProblemType.INVALID_DATE, "date must be an ISO day such as 2026-12-01");
        }
    }
}
