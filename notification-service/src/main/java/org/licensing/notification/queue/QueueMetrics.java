package org.licensing.notification.queue;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Micrometer meters of the queue (Prometheus names in brackets): {@code reminders.failed} (reminders_failed_total,
 * tag reason=ses|malformed|error) and {@code reminders.dead.letters} (reminders_dead_letters, gauge). The reminder
 * feature's own meters are in {@code ReminderMetrics}.
 */
public class QueueMetrics {

    private final MeterRegistry registry;
    private final AtomicLong deadLetters = new AtomicLong();

    public QueueMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("reminders.dead.letters", deadLetters, AtomicLong::get)
                .description("Messages in the reminder dead-letter queue (ApproximateNumberOfMessages)")
                .register(registry);
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
