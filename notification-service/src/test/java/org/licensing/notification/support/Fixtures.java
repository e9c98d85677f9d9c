package org.licensing.notification.support;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.Year;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

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
     * Expiry buckets are shared by the whole test JVM (one table), so each test class owns a block of
     * {@link #YEARS_PER_CLASS} years, by its place in this fixed table, and each call of {@link #nextDate} or
     * {@link #nextYear} hands out a year of the block with an empty year after it (a test that renews a license by a
     * year lands there, not in another test's year): a test reads only its own stretch of the calendar, the same in
     * every run.
     */
    private static final List<String> CALENDAR_OWNERS = List.of("ReminderRunTest", "DigestTest", "ExactlyOnceTest",
            "FailureTest", "ConsumerLoopTest", "ScaleTest", "LicenseRemindersTest", "LicenseEventsTest");
    static final int FIRST_YEAR = 2100;
    static final int YEARS_PER_CLASS = 50;
    private static final Map<String, AtomicInteger> YEARS_USED = new ConcurrentHashMap<>();

    /**
     * A run date in a year only this call uses (1 March: the day before, the thresholds' 60 days and the digest's
     * 30 days all stay inside that year).
     */
    public static LocalDate nextDate(Class<?> testClass) {
        return nextYear(testClass).atMonth(3).atDay(1);
    }

    /** A whole year only this call uses, from {@code testClass}'s block. */
    public static Year nextYear(Class<?> testClass) {
        int owner = CALENDAR_OWNERS.indexOf(testClass.getSimpleName());
        if (owner < 0) {
            throw new IllegalArgumentException(testClass.getSimpleName() + " has no block of years: add it to "
                    + "Fixtures.CALENDAR_OWNERS");
        }
        int offset = 2 * YEARS_USED.computeIfAbsent(testClass.getName(), k -> new AtomicInteger()).getAndIncrement();
        if (offset >= YEARS_PER_CLASS) {
            throw new IllegalStateException(testClass.getSimpleName() + " used all " + YEARS_PER_CLASS + " years of"
                    + " its block: raise Fixtures.YEARS_PER_CLASS");
        }
        return Year.of(FIRST_YEAR + owner * YEARS_PER_CLASS + offset);
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

    /** Messages in a queue that a receive would get now (not in flight). */
    public static long visible(String queueUrl) {
        try (SqsClient sqs = LocalBackends.shared().sqsClient()) {
            return Long.parseLong(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                    .attributeNamesWithStrings("ApproximateNumberOfMessages")).attributesAsStrings()
                    .getOrDefault("ApproximateNumberOfMessages", "0"));
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
}
