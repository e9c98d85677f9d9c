package org.licensing.notification.reminder.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.licensing.notification.openapi.Examples;

@Schema(description = "A digest was queued; the consumer sends it once per date")
public record DigestResponse(@Schema(example = Examples.DATE, format = "date") String date,
        @Schema(example = Examples.QUEUED) boolean queued) {
}
