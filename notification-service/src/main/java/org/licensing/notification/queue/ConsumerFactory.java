package org.licensing.notification.queue;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import org.licensing.notification.config.RemindersConfig;

/** Makes consumers configured from {@code licensing.reminders.consumer.*}. */
@ApplicationScoped
public class ConsumerFactory {

    private final ReminderQueue queue;
    private final MessageHandler handler;
    private final QueueMetrics metrics;
    private final Clock clock;
    private final RemindersConfig config;

    public ConsumerFactory(ReminderQueue queue, MessageHandler handler, QueueMetrics metrics, Clock clock,
            RemindersConfig config) {
        this.queue = queue;
        this.handler = handler;
        this.metrics = metrics;
        this.clock = clock;
        this.config = config;
    }

    public ReminderConsumer create() {
        RemindersConfig.Consumer c = config.consumer();
        return new ReminderConsumer(queue, handler, metrics, clock, c.maxMessages(), c.waitTimeSeconds(),
                c.visibilityTimeoutSeconds(), c.retryDelay());
    }
}
