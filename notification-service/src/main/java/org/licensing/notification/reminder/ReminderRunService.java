package org.licensing.notification.reminder;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.licensing.notification.queue.ReminderMessage;
import org.licensing.notification.queue.ReminderQueue;

import io.quarkus.scheduler.Scheduled;

/**
 * The daily run (cron {@code licensing.reminders.cron}, UTC) and its on-demand twin: queue the day's reminders and
 * its digest, and write the {@code license.expired} events of licenses found past their expiry. Two replicas running it at once, or a run repeated, queue duplicates that the consumer's send
 * ledger drops.
 */
@ApplicationScoped
public class ReminderRunService {

    private static final Logger LOG = Logger.getLogger(ReminderRunService.class);

    private final ReminderPlanner planner;
    private final ReminderQueue queue;
    private final ExpiredLicenses expired;
    private final Clock clock;

    public ReminderRunService(ReminderPlanner planner, ReminderQueue queue, ExpiredLicenses expired, Clock clock) {
        this.planner = planner;
        this.queue = queue;
        this.expired = expired;
        this.clock = clock;
    }

    @Scheduled(identity = "reminders-daily", cron = "${licensing.reminders.cron}", timeZone = "UTC",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void daily() {
        LocalDate today = today();
        run(today);
        queueDigest(today);
    }

    public LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    public RunSummary run(LocalDate date) {
        long started = System.nanoTime();
        RunSummary summary = planner.run(date);
        // the licenses found past their expiry get their license.expired event (once per expiry)
        int expiredEvents = expired.run(date, clock.instant());
        LOG.infof("reminder run for %s: %d license(s) in %d bucket(s), %d item(s) read, %d message(s) queued in %d ms",
                date, summary.licensesRead(), summary.thresholdsDays().size(), summary.itemsRead(),
                summary.messagesQueued(), (System.nanoTime() - started) / 1_000_000);
        if (expiredEvents > 0) {
            LOG.infof("reminder run for %s: %d license.expired event(s) written", date, expiredEvents);
        }
        return summary;
    }

    public void queueDigest(LocalDate date) {
        queue.sendAll(List.of(ReminderMessage.digest(date)));
        LOG.infof("digest for %s queued", date);
    }
}
