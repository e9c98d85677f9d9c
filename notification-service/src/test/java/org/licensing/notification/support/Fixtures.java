package org.licensing.notification.support;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.licensing.core.license.Entitlements;
import org.licensing.store.LicenseRecord;
import org.licensing.core.license.LicenseStatus;
import org.licensing.notification.queue.ReminderConsumer;
import org.licensing.testsupport.LocalBackends;
import org.licensing.testsupport.QueueUrls;

import software.amazon.awssdk.services.sqs.SqsClient;

/** Licenses, dates and queue helpers shared by the tests. */
public final class Fixtures {

    public static final String VENDOR_FINANCE = "finance@vendor.example";

    private Fixtures() {
    }

    /**
     * A run date no other test uses: expiry buckets are shared by the whole test JVM, so each test reads its own
     * stretch of the calendar (years 2100-8999, 100-day windows).
     */
    public static LocalDate uniqueDate() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return LocalDate.of(r.nextInt(2100, 9000), 1, 1).plusDays(r.nextInt(0, 200));
    }

    public static String financeEmail(String licenseId) {
        return "finance-" + licenseId + "@customer.example";
    }

    public static LicenseRecord license(LocalDate expiryDay, LicenseStatus status) {
        String id = UUID.randomUUID().toString();
        Instant issued = Instant.parse("2026-01-01T00:00:00Z");
        return LicenseRecord.builder().licenseId(id).keyHash("hash-" + id).customerId("cust-" + id.substring(0, 8))
                .customerName("Acme GPU Labs").productCode("gpu-suite").productName("GPU Suite").policyId("policy-1")
                .status(status).issuedAt(issued).notBefore(issued)
                .expiresAt(expiryDay.atTime(12, 0).toInstant(ZoneOffset.UTC)).graceDays(14).maxActivations(5)
                .entitlements(Entitlements.NONE).financeEmails(List.of(financeEmail(id))).updatedAt(issued).build();
    }

    public static QueueUrls queues() {
        return LocalBackends.shared().reminderQueues();
    }

    /** Empties the reminder queue and the dead-letter queue. */
    public static void purgeQueues() {
        try (SqsClient sqs = LocalBackends.shared().sqsClient()) {
            sqs.purgeQueue(b -> b.queueUrl(queues().queueUrl()));
            sqs.purgeQueue(b -> b.queueUrl(queues().deadLetterQueueUrl()));
        }
    }

    public static void sendRaw(String body) {
        try (SqsClient sqs = LocalBackends.shared().sqsClient()) {
            sqs.sendMessage(b -> b.queueUrl(queues().queueUrl()).messageBody(body));
        }
    }

    /** Messages in a queue, visible or in flight. */
    public static long depth(String queueUrl) {
        try (SqsClient sqs = LocalBackends.shared().sqsClient()) {
            var attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings(
                    "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
            return Long.parseLong(attributes.getOrDefault("ApproximateNumberOfMessages", "0"))
                    + Long.parseLong(attributes.getOrDefault("ApproximateNumberOfMessagesNotVisible", "0"));
        }
    }

    /** Polls until a receive comes back empty; returns the messages handled. */
    public static int drain(ReminderConsumer consumer) {
        int total = 0;
        for (int n = consumer.pollOnce(1); n > 0; n = consumer.pollOnce(1)) {
            total += n;
        }
        return total;
    }

    public static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
