package org.licensing.issuer.readmodel;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.licensing.issuer.openapi.Examples;

/**
 * Licenses per status at the end of each of the last N calendar months (UTC) and now, oldest first, so a chart plots
 * {@code months} in order: one point per entry, one series per status (every status, zeros included).
 */
@Schema(name = "LicenseStatusHistory", example = Examples.LICENSE_STATUS_HISTORY)
public record StatusHistory(
        @Schema(description = "The product counted, or absent for all products") String productCode,
        @Schema(description = "N + 1 points, oldest first: the N month ends, then now") List<Point> months) {

    /** The counts at one instant. */
    @Schema(name = "LicenseStatusHistoryPoint")
    public record Point(
            @Schema(description = "The calendar month (UTC), yyyy-MM", example = "2026-01") String month,
            @Schema(description = "The month's last second (UTC), or the time of the answer for the current month")
            Instant at,
            @Schema(description = "Licenses per status at that instant") Map<String, Long> counts) {
    }
}
