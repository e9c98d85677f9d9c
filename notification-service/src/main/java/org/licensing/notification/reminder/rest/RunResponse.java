package org.licensing.notification.reminder.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.licensing.notification.reminder.RunSummary;

@Schema(description = "What the run read and queued")
public record RunResponse(
        @Schema(example = "2026-12-01") String date,
        @Schema(example = "[60, 30, 7, 1, 0]") List<Integer> thresholdsDays,
        @Schema(description = "Licenses found in the thresholds' expiry-day buckets", example = "42") long licensesRead,
        @Schema(description = "Items DynamoDB read (ScannedCount): only the queried buckets", example = "42")
        long itemsRead,
        @Schema(description = "Reminder messages queued (active licenses)", example = "40") long messagesQueued) {

    static RunResponse of(RunSummary s) {
        return new RunResponse(s.date().toString(), s.thresholdsDays(), s.licensesRead(), s.itemsRead(),
                s.messagesQueued());
    }
}
