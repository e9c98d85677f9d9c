package org.licensing.notification.reminder;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Micrometer meters of the reminders (Prometheus names in brackets): {@code reminders.queued}
 * (reminders_queued_total), {@code reminders.sent} (reminders_sent_total, tag kind=reminder|digest),
 * {@code reminders.skipped} (tag reason=renewed|revoked|suspended|deleted|duplicate),
 * {@code reminders.failed} (tag reason=ses|malformed|error), {@code reminders.dead.letters} (gauge).
 */
public class ReminderMetrics {

    private final MeterRegistry registry;
    private final Counter queued;
    private final AtomicLong deadLetters = new AtomicLong();

    public ReminderMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.queued = Counter.builder("reminders.queued").description("Reminder messages queued by runs")
                .register(registry);
        Gauge.builder("reminders.dead.letters", deadLetters, AtomicLong::get)
                .description("Messages in the reminder dead-letter queue (ApproximateNumberOfMessages)")
                .register(registry);
    }

    public void queued(int count) {
        queued.increment(count);
    }

    public void sent(String kind) {
        Counter.builder("reminders.sent").description("Emails SES accepted").tag("kind", kind)
                .register(registry).increment();
    }

    public void skipped(String reason) {
        Counter.builder("reminders.skipped").description("Reminders not sent because they no longer apply")
                .tag("reason", reason).register(registry).increment();
    }

    public void failed(String reason) {
        Counter.builder("reminders.failed").description("Message processing failures (the message is retried)")
                .tag("reason", reason).register(registry).increment();
    }

    public void deadLetters(long depth) {
        deadLetters.set(depth);
    }

    public long deadLetters() {
        return deadLetters.get();
    }
}
