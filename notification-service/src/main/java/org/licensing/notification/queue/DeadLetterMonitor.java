package org.licensing.notification.queue;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

/**
 * Reads the dead-letter queue's depth into the {@code reminders.dead.letters} gauge every
 * {@code licensing.reminders.dead-letter-poll-interval}, with a WARN line while it is not empty.
 */
@ApplicationScoped
public class DeadLetterMonitor {

    private static final Logger LOG = Logger.getLogger(DeadLetterMonitor.class);

    private final ReminderQueue queue;
    private final QueueMetrics metrics;

    public DeadLetterMonitor(ReminderQueue queue, QueueMetrics metrics) {
        this.queue = queue;
        this.metrics = metrics;
    }

    @Scheduled(identity = "reminders-dead-letter-depth", every = "${licensing.reminders.dead-letter-poll-interval}",
            delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warnf("could not read the dead-letter queue depth: %s", e.toString());
        }
    }

    /** Reads the depth now, updates the gauge and logs a WARN when dead letters wait. */
    public long refresh() {
        long depth = queue.deadLetterDepth();
        metrics.deadLetters(depth);
        if (depth > 0) {
            LOG.warnf("%d reminder message(s) in the dead-letter queue %s; inspect them and redrive with "
                    + "POST /v1/reminders/dead-letters/redrive", depth, queue.deadLetterQueueUrl());
        }
        return depth;
    }

    /** Moves dead letters back to the reminder queue; returns how many. */
    public int redrive(int max) {
        int moved = queue.redrive(max);
        LOG.infof("redrove %d dead letter(s) to %s", moved, queue.queueUrl());
        refresh();
        return moved;
    }
}
