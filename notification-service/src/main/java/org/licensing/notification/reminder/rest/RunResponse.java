package org.licensing.notification.reminder.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.licensing.notification.openapi.Examples;
import org.licensing.notification.reminder.RunSummary;

@Schema(description = "What the run read and queued")
public record RunResponse(
        @Schema(example = Examples.DATE, format = "date") String date,
        @Schema(example = Examples.THRESHOLDS_DAYS) List<Integer> thresholdsDays,
        @Schema(description = "Licenses found in the thresholds' expiry-day buckets", example = Examples.LICENSES_READ)
        long licensesRead,
        @Schema(description = "Items DynamoDB read (ScannedCount): only the queried buckets",
                example = Examples.ITEMS_READ)
        long itemsRead,
        @Schema(description = "Reminder messages queued (active licenses)", example = Examples.MESSAGES_QUEUED)
        long messagesQueued) {

    static RunResponse of(RunSummary s) {
        return new RunResponse(s.date().toString(), s.thresholdsDays(), s.licensesRead(), s.itemsRead(),
                s.messagesQueued());
    }
}
