package org.licensing.notification.reminder.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of a run or digest request; {@code date} defaults to today (UTC). */
@Schema(description = "The day to run for (UTC, yyyy-MM-dd); today when absent")
public record DateRequest(@Schema(example = "2026-12-01", format = "date") String date) {
}
