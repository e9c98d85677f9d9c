package org.licensing.notification.bench;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.licensing.store.LicensePage;
import org.licensing.core.license.LicenseStatus;
import org.licensing.store.LicenseStore;
import org.licensing.store.LicenseTable;
import org.licensing.notification.queue.ReminderQueue;
import org.licensing.notification.reminder.ReminderMetrics;
import org.licensing.notification.reminder.ReminderPlanner;
import org.licensing.notification.reminder.RunSummary;
import org.licensing.notification.support.Fixtures;
import org.licensing.notification.support.LicenseLoader;
import org.licensing.testsupport.Backend;
import org.licensing.testsupport.LocalBackends;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Loads N licenses (default 100,000) with expiries spread over a year into dynalite, then times the daily run
 * (the same ReminderPlanner the service uses: index queries of the thresholds' buckets plus SQS batches). Prints
 * figures; asserts nothing about time. Run with notification-service/bench/run.sh [N].
 */
public final class ReminderRunBenchmark {

    private ReminderRunBenchmark() {
    }

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        LocalBackends backends = LocalBackends.shared();
        try {
            backends.start(EnumSet.of(Backend.DYNAMODB, Backend.SQS));
            run(backends, count);
        } finally {
            backends.stop();
        }
        System.exit(0);
    }

    private static void run(LocalBackends backends, int count) {
        LocalDate yearStart = LocalDate.of(2031, 1, 1);
        List<LocalDate> expiries = new ArrayList<>(count);
        Map<LocalDate, Integer> perDay = new HashMap<>();
        for (int i = 0; i < count; i++) {
            LocalDate day = yearStart.plusDays((i * 7919L) % 365);
            expiries.add(day);
            perDay.merge(day, 1, Integer::sum);
        }
        long loadMs;
        try (DynamoDbClient sync = backends.dynamoDbClient()) {
            loadMs = LicenseLoader.load(sync, expiries, day -> Fixtures.license(day, LicenseStatus.ACTIVE));
        }
        System.out.printf("load: %,d licenses over 365 days with BatchWriteItem (25/request, 4 in parallel) in %,d ms "
                + "(%,.0f items/s)%n", count, loadMs, count * 1000.0 / Math.max(1, loadMs));

        try (DynamoDbAsyncClient dynamo = DynamoDbAsyncClient.builder()
                .endpointOverride(backends.dynamoDbEndpoint()).region(Region.of(LocalBackends.REGION))
                .credentialsProvider(LocalBackends.credentials()).httpClient(NettyNioAsyncHttpClient.create())
                .build();
                SqsClient sqs = backends.sqsClient()) {
            LicenseStore store = new LicenseStore(dynamo, LicenseTable.DEFAULT_NAME);
            ReminderQueue queue = new ReminderQueue(sqs, backends.reminderQueues().queueUrl(),
                    backends.reminderQueues().deadLetterQueueUrl(), new ObjectMapper());
            ReminderPlanner planner = new ReminderPlanner(store, queue, List.of(60, 30, 7, 1, 0),
                    new ReminderMetrics(new SimpleMeterRegistry()));

            LocalDate date = yearStart.plusDays(100);
            long expected = planner.thresholdsDays().stream().mapToLong(t -> perDay.getOrDefault(date.plusDays(t), 0))
                    .sum();
            for (int round = 1; round <= 3; round++) {
                sqs.purgeQueue(b -> b.queueUrl(queue.queueUrl()));
                long started = System.nanoTime();
                RunSummary summary = planner.run(date.plusDays(round - 1L));
                long ms = (System.nanoTime() - started) / 1_000_000;
                System.out.printf("daily run %d (%s): %d buckets, %,d items read (table holds %,d), %,d licenses, "
                        + "%,d messages queued, %,d ms%n", round, summary.date(), summary.thresholdsDays().size(),
                        summary.itemsRead(), count, summary.licensesRead(), summary.messagesQueued(), ms);
                if (round == 1 && summary.itemsRead() != expected) {
                    throw new IllegalStateException("expected " + expected + " items read, got " + summary.itemsRead());
                }
            }
            long started = System.nanoTime();
            LicensePage one = store.allByExpiryDay(date).join();
            System.out.printf("one day bucket (%s): %,d items read in %,d ms%n", date, one.itemsRead(),
                    (System.nanoTime() - started) / 1_000_000);
            sqs.purgeQueue(b -> b.queueUrl(queue.queueUrl()));
        }
        System.out.println("command: notification-service/bench/run.sh " + count);
    }
}
