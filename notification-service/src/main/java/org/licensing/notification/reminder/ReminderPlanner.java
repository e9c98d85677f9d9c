package org.licensing.notification.reminder;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import org.licensing.notification.queue.ReminderMessage;
import org.licensing.notification.queue.ReminderQueue;
import org.licensing.store.LicensePage;
import org.licensing.store.LicenseRecord;
import org.licensing.store.LicenseStore;

/**
 * The daily run: for each threshold, reads the one expiry-day bucket it points at (a GSI query, never a scan) and
 * queues one message per {@link ReminderRules#isRemindable remindable} (active) license. Running it twice queues
 * duplicates; the consumer's send ledger makes them harmless. Blocking.
 */
public class ReminderPlanner {

    static final int PAGE_SIZE = 500;

    private final LicenseStore store;
    private final ReminderQueue queue;
    private final List<Integer> thresholdsDays;
    private final ReminderMetrics metrics;

    public ReminderPlanner(LicenseStore store, ReminderQueue queue, List<Integer> thresholdsDays,
            ReminderMetrics metrics) {
        this.store = store;
        this.queue = queue;
        this.thresholdsDays = List.copyOf(new LinkedHashSet<>(thresholdsDays));
        this.metrics = metrics;
        if (this.thresholdsDays.stream().anyMatch(t -> t < 0)) {
            throw new IllegalArgumentException("thresholds must be >= 0 days: " + thresholdsDays);
        }
    }

    public List<Integer> thresholdsDays() {
        return thresholdsDays;
    }

    public RunSummary run(LocalDate date) {
        long licenses = 0;
        long itemsRead = 0;
        long queued = 0;
        for (int threshold : thresholdsDays) {
            LocalDate expiryDay = date.plusDays(threshold);
            String cursor = null;
            do {
                LicensePage page = store.pageByExpiryDay(expiryDay, PAGE_SIZE, cursor).join();
                licenses += page.licenses().size();
                itemsRead += page.itemsRead();
                List<ReminderMessage> messages = new ArrayList<>();
                for (LicenseRecord license : page.licenses()) {
                    if (ReminderRules.isRemindable(license)) {
                        messages.add(ReminderMessage.reminder(license.licenseId(), license.expiryDay(), threshold));
                    }
                }
                queue.sendAll(messages);
                metrics.queued(messages.size());
                queued += messages.size();
                cursor = page.nextCursor();
            } while (cursor != null);
        }
        return new RunSummary(date, thresholdsDays, licenses, itemsRead, queued);
    }
}
