package org.licensing.notification.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.licensing.testsupport.ServiceTest;
import org.licensing.store.LicenseRecord;
import org.licensing.core.license.LicenseStatus;
import org.licensing.store.LicenseStore;
import org.licensing.notification.ledger.SendLedgerStore;
import org.licensing.notification.reminder.ReminderProcessor;
import org.licensing.notification.reminder.ReminderRunService;
import org.licensing.notification.support.Fixtures;
import org.licensing.notification.support.NotificationTokens;
import org.licensing.notification.support.SesProxyResource;
import org.licensing.testsupport.LocalBackends;
import org.licensing.testsupport.SentEmails;

import io.quarkus.test.common.WithTestResource;

/** Exactly one email per (license, threshold, expiry day) under double runs, redelivery and concurrent consumers. */
@ServiceTest
@WithTestResource(SesProxyResource.class)
class ExactlyOnceTest {

    @Inject
    LicenseStore store;

    @Inject
    ReminderRunService runs;

    @Inject
    ConsumerFactory consumers;

    @Inject
    ReminderQueue queue;

    @Inject
    ReminderProcessor processor;

    @Inject
    SendLedgerStore ledger;

    final SentEmails mail = LocalBackends.shared().sentEmails();

    @BeforeEach
    void emptyQueues() {
        Fixtures.purgeQueues();
    }

    @Test
    void aDoubleRunSendsEachReminderOnce() {
        LocalDate date = Fixtures.nextDate(ExactlyOnceTest.class);
        List<LicenseRecord> licenses = create(date, 3, 7, 30);

        assertEquals(6, runs.run(date).messagesQueued());
        assertEquals(6, runs.run(date).messagesQueued());
        assertEquals(12, Fixtures.drain(consumers.create()));

        for (LicenseRecord license : licenses) {
            assertEquals(1, mail.to(Fixtures.financeEmail(license.licenseId())).size(), license.licenseId());
            assertEquals(SendLedgerStore.SENT, ledger.state(SendLedgerStore.reminderKey(license.licenseId(),
                    license.expiryDay(), (int) (license.expiryDay().toEpochDay() - date.toEpochDay()))));
        }
    }

    @Test
    void aRedeliveredMessageIsNotSentAgain() {
        LocalDate date = Fixtures.nextDate(ExactlyOnceTest.class);
        LicenseRecord license = create(date, 1, 1).get(0);
        runs.run(date);

        // A consumer that sent the email and crashed before deleting the message: SQS delivers it again.
        var received = queue.receive(1, 1, 1);
        assertEquals(1, received.size());
        assertEquals(DeliveryResult.sent(), processor.handle(queue.decode(received.get(0).body())));
        // Its 1 s visibility timeout runs out: wait until SQS shows it again, not for a guessed time.
        await().atMost(Duration.ofSeconds(30)).until(() -> Fixtures.visible(queue.queueUrl()) == 1);

        assertEquals(1, Fixtures.drain(consumers.create()), "the message came back");
        assertEquals(1, mail.to(Fixtures.financeEmail(license.licenseId())).size());
        assertEquals(0, Fixtures.depth(queue.queueUrl()), "the duplicate was deleted");
    }

    @Test
    void twoConsumersAtOnceSendEachReminderOnce() throws Exception {
        LocalDate date = Fixtures.nextDate(ExactlyOnceTest.class);
        List<LicenseRecord> licenses = create(date, 10, 0, 1, 7);
        runs.run(date);
        runs.run(date);
        runs.run(date);

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            ReminderConsumer a = consumers.create();
            ReminderConsumer b = consumers.create();
            CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> Fixtures.drain(a), pool);
            CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> Fixtures.drain(b), pool);
            first.get();
            second.get();
        } finally {
            pool.shutdownNow();
        }
        // A duplicate that met a live claim was put back for a second look; it finds the reminder sent.
        ReminderConsumer c = consumers.create();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Fixtures.drain(c);
            return Fixtures.depth(queue.queueUrl()) == 0;
        });
        for (LicenseRecord license : licenses) {
            assertEquals(1, mail.to(Fixtures.financeEmail(license.licenseId())).size(), license.licenseId());
        }
    }

    private List<LicenseRecord> create(LocalDate date, int perThreshold, int... thresholds) {
        List<LicenseRecord> created = new ArrayList<>();
        for (int t : thresholds) {
            for (int i = 0; i < perThreshold; i++) {
                LicenseRecord license = Fixtures.license(date.plusDays(t), LicenseStatus.ACTIVE);
                store.create(license).join();
                created.add(license);
            }
        }
        return created;
    }
}
