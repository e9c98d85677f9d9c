package org.licensing.notification.queue;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import org.licensing.notification.config.RemindersConfig;
import org.licensing.notification.reminder.ReminderMetrics;

/** Makes consumers configured from {@code licensing.reminders.consumer.*}. */
@ApplicationScoped
public class ConsumerFactory {

    private final ReminderQueue queue;
    private final MessageProcessor processor;
    private final ReminderMetrics metrics;
    private final Clock clock;
    private final RemindersConfig config;

    public ConsumerFactory(ReminderQueue queue, MessageProcessor processor, ReminderMetrics metrics, Clock clock,
            RemindersConfig config) {
        this.queue = queue;
        this.processor = processor;
        this.metrics = metrics;
        this.clock = clock;
        this.config = config;
    }

    public ReminderConsumer create() {
        RemindersConfig.Consumer c = config.consumer();
        return new ReminderConsumer(queue, processor, metrics, clock, c.maxMessages(), c.waitTimeSeconds(),
                c.visibilityTimeoutSeconds(), c.retryDelay());
    }
}
