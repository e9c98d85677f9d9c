package org.licensing.notification.reminder.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.licensing.notification.openapi.Examples;
import org.licensing.notification.reminder.ReminderHistory;

import com.fasterxml.jackson.annotation.JsonInclude;

@Schema(description = "The reminders of a license for its current expiry day, furthest threshold first")
public record LicenseRemindersResponse(List<Item> items) {

    @Schema(name = "LicenseReminder", description = "One reminder of the license (one per threshold at most)")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(
            @Schema(description = "Days before expiry the reminder is for (0: on the day)",
                    example = Examples.THRESHOLD_DAYS) int thresholdDays,
            @Schema(description = "The license's expiry the reminder is for", format = "date-time",
                    example = Examples.EXPIRES_AT) String expiresAt,
            @Schema(description = "SENT: SES accepted it; CLAIMED: being sent now; RETRYING: a send failed, the next"
                    + " delivery sends it", enumeration = {"SENT", "CLAIMED", "RETRYING"}, example = "SENT")
            String state,
            @Schema(description = "When SES accepted it (absent until SENT)", format = "date-time",
                    example = Examples.SENT_AT) String sentAt,
            @Schema(description = "Whom it went to: the license's finance contacts, then the vendor's finance"
                    + " address in copy (empty until SENT)", example = Examples.RECIPIENTS)
            List<String> recipients) {
    }

    static LicenseRemindersResponse of(List<ReminderHistory.Entry> entries) {
        return new LicenseRemindersResponse(entries.stream().map(e -> new Item(e.thresholdDays(),
                e.expiresAt().toString(), e.state().name(), e.sentAt() == null ? null : e.sentAt().toString(),
                e.recipients())).toList());
    }
}
