package org.licensing.notification.queue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.licensing.notification.config.RemindersConfig;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Makes the plain queue classes (also built without CDI by the benchmark and the codec test) beans. */
@ApplicationScoped
public class QueueProducers {

    @Produces
    @Singleton
    ReminderQueue reminderQueue(SqsClient sqs, RemindersConfig config, ObjectMapper json) {
        return new ReminderQueue(sqs, config.queueUrl(), config.deadLetterQueueUrl(), json);
    }

    @Produces
    @Singleton
    QueueMetrics queueMetrics(MeterRegistry registry) {
        return new QueueMetrics(registry);
    }
}
