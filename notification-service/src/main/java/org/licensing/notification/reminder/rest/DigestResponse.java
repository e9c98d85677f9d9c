package org.licensing.notification.reminder.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "A digest was queued; the consumer sends it once per date")
public record DigestResponse(@Schema(example = "2026-12-01") String date, @Schema(example = "true") boolean queued) {
}
