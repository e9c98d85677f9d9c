package org.licensing.notification.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.licensing.store.LicenseStore;
import org.licensing.store.LicenseTable;
import org.licensing.notification.ledger.SendLedger;
import org.licensing.notification.queue.ReminderQueue;
import org.licensing.notification.reminder.ReminderMetrics;
import org.licensing.notification.reminder.ReminderPlanner;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Wires the plain domain classes (also used without CDI by the benchmark) into CDI; the clock and the license store
 * come from service-support.
 */
@ApplicationScoped
public class Producers {

    @Produces
    @Singleton
    SendLedger sendLedger(DynamoDbAsyncClient dynamo,
            @ConfigProperty(name = "licensing.table", defaultValue = LicenseTable.DEFAULT_NAME) String table) {
        return new SendLedger(dynamo, table);
    }

    @Produces
    @Singleton
    ReminderQueue reminderQueue(SqsClient sqs, RemindersConfig config, ObjectMapper json) {
        return new ReminderQueue(sqs, config.queueUrl(), config.deadLetterQueueUrl(), json);
    }

    @Produces
    @Singleton
    ReminderMetrics reminderMetrics(MeterRegistry registry) {
        return new ReminderMetrics(registry);
    }

    @Produces
    @Singleton
    ReminderPlanner reminderPlanner(LicenseStore store, ReminderQueue queue, RemindersConfig config,
            ReminderMetrics metrics) {
        return new ReminderPlanner(store, queue, config.thresholdsDays(), metrics);
    }
}
