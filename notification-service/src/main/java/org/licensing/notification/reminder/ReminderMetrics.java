package org.licensing.notification.reminder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Micrometer meters of the reminders (Prometheus names in brackets): {@code reminders.queued}
 * (reminders_queued_total), {@code reminders.sent} (reminders_sent_total, tag kind=reminder|digest),
 * {@code reminders.skipped} (reminders_skipped_total, tag reason=renewed|revoked|suspended|deleted|duplicate). The
 * queue's meters ({@code reminders.failed}, {@code reminders.dead.letters}) are in {@code QueueMetrics}.
 */
public class ReminderMetrics {

    private final MeterRegistry registry;
    private final Counter queued;

    public ReminderMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.queued = Counter.builder("reminders.queued").description("Reminder messages queued by runs")
                .register(registry);
    }

    public void queued(int count) {
        queued.increment(count);
    }

    public void sent(String kind) {
        Counter.builder("reminders.sent").description("Emails SES accepted").tag("kind", kind)
                .register(registry).increment();
    }

    public void skipped(SkipReason reason) {
        Counter.builder("reminders.skipped").description("Reminders not sent because they no longer apply")
                .tag("reason", reason.tag()).register(registry).increment();
    }
}
