package org.licensing.notification.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.licensing.notification.config.RemindersConfig;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Starts {@code licensing.reminders.consumer.threads} consumers at start-up (unless disabled) on dedicated threads,
 * and stops them on shutdown: each finishes the message in hand and its current long poll.
 */
@ApplicationScoped
public class ConsumerLifecycle {

    private static final Logger LOG = Logger.getLogger(ConsumerLifecycle.class);

    private final ConsumerFactory factory;
    private final RemindersConfig config;
    private final List<ReminderConsumer> consumers = new ArrayList<>();
    private ExecutorService executor;

    public ConsumerLifecycle(ConsumerFactory factory, RemindersConfig config) {
        this.factory = factory;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        if (!config.consumer().enabled()) {
            LOG.info("reminder consumer disabled (licensing.reminders.consumer.enabled=false)");
            return;
        }
        int threads = Math.max(1, config.consumer().threads());
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "reminder-consumer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < threads; i++) {
            ReminderConsumer consumer = factory.create();
            consumers.add(consumer);
            executor.submit(consumer);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor == null) {
            return;
        }
        consumers.forEach(ReminderConsumer::stop);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(config.consumer().waitTimeSeconds() + 5L, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
