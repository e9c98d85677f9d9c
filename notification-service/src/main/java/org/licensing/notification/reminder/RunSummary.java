package org.licensing.notification.reminder;

import java.time.LocalDate;
import java.util.List;

/**
 * What a daily run did.
 *
 * @param licensesRead licenses found in the queried expiry-day buckets
 * @param itemsRead items DynamoDB read for the queries (ScannedCount): equal to licensesRead, since the run reads
 *     only the buckets of the thresholds and never scans
 * @param messagesQueued reminders queued (active licenses only)
 */
public record RunSummary(LocalDate date, List<Integer> thresholdsDays, long licensesRead, long itemsRead,
        long messagesQueued) {
}
