package org.licensing.notification.queue;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.licensing.testsupport.ServiceTest;
import org.licensing.store.LicenseRecord;
import org.licensing.core.license.LicenseStatus;
import org.licensing.store.LicenseStore;
import org.licensing.store.ReminderQueues;
import org.licensing.notification.ledger.SendLedgerStore;
import org.licensing.notification.reminder.ReminderRunService;
import org.licensing.notification.support.Fixtures;
import org.licensing.notification.support.Metrics;
import org.licensing.notification.support.NotificationTokens;
import org.licensing.notification.support.SesProxy;
import org.licensing.notification.support.SesProxyResource;
import org.licensing.testsupport.LocalBackends;
import org.licensing.testsupport.SentEmails;

import io.quarkus.test.common.WithTestResource;
import io.restassured.http.ContentType;

/** Poison messages, the dead-letter queue and its redrive, SES outages and throttling. */
@ServiceTest
@WithTestResource(SesProxyResource.class)
class FailureTest {

    @Inject
    LicenseStore store;

    @Inject
    ReminderRunService runs;

    @Inject
    ConsumerFactory consumers;

    @Inject
    ReminderQueue queue;

    @Inject
    SendLedgerStore ledger;

    @ConfigProperty(name = "licensing.ses.endpoint-override")
    String sesEndpoint;

    final SentEmails mail = LocalBackends.shared().sentEmails();

    @BeforeEach
    void emptyQueues() {
        Fixtures.purgeQueues();
    }

    @AfterEach
    void sesUp() {
        SesProxy.command(sesEndpoint, "up", null);
    }

    @Test
    void aPoisonMessageEndsInTheDeadLetterQueueAndCanBeRedriven() {
        double malformed = Metrics.value("reminders_failed_total", "reason", "malformed");
        Fixtures.sendRaw("{\"type\":\"REMINDER\",\"licenseId\":");
        ReminderConsumer consumer = consumers.create();
        // Never deleted: each receive counts, and after the fifth SQS moves it to the dead-letter queue.
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            consumer.pollOnce(1);
            return Fixtures.depth(queue.deadLetterQueueUrl()) == 1;
        });
        assertEquals(0, Fixtures.depth(queue.queueUrl()));

        String token = NotificationTokens.token("reminders:run");
        given().auth().oauth2(token).when().get("/v1/reminders/dead-letters")
                .then().statusCode(200).body("depth", equalTo(1));
        assertEquals(1, Metrics.value("reminders_dead_letters"), "the gauge follows the depth just read");
        assertEquals(malformed + ReminderQueues.MAX_RECEIVE_COUNT,
                Metrics.value("reminders_failed_total", "reason", "malformed"), "one failure per receive");

        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"max\": 0}")
                .when().post("/v1/reminders/dead-letters/redrive")
                .then().statusCode(400).contentType(containsString("application/problem+json"))
                .body("type", equalTo("https://licensing.dev/problems/invalid-request"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{}")
                .when().post("/v1/reminders/dead-letters/redrive")
                .then().statusCode(200).body("moved", equalTo(1)).body("remaining", equalTo(0));
        assertEquals(1, Fixtures.depth(queue.queueUrl()), "back in the reminder queue");
        assertEquals(0, Fixtures.depth(queue.deadLetterQueueUrl()));
    }

    @Test
    void whenSesIsDownTheReminderIsSentOnceItReturns() {
        LocalDate date = Fixtures.nextDate(FailureTest.class);
        LicenseRecord license = create(date.plusDays(30));
        assertEquals(1, runs.run(date).messagesQueued());
        String key = SendLedgerStore.reminderKey(license.licenseId(), license.expiryDay(), 30);
        double sesFailures = Metrics.value("reminders_failed_total", "reason", "ses");
        double sent = Metrics.value("reminders_sent_total", "kind", "reminder");

        SesProxy.command(sesEndpoint, "down", null);
        ReminderConsumer consumer = consumers.create();
        assertEquals(1, consumer.pollOnce(1));
        assertEquals(List.of(), mail.to(Fixtures.financeEmail(license.licenseId())));
        assertEquals(1, Fixtures.depth(queue.queueUrl()), "kept for a retry");
        assertEquals(SendLedgerStore.PENDING, ledger.state(key), "claim released, not marked sent");

        SesProxy.command(sesEndpoint, "up", null);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Fixtures.drain(consumer);
            return Fixtures.depth(queue.queueUrl()) == 0;
        });
        assertEquals(1, mail.to(Fixtures.financeEmail(license.licenseId())).size());
        assertEquals(SendLedgerStore.SENT, ledger.state(key));
        assertEquals(sesFailures + 1, Metrics.value("reminders_failed_total", "reason", "ses"), "the one failed try");
        assertEquals(sent + 1, Metrics.value("reminders_sent_total", "kind", "reminder"));
    }

    @Test
    void throttlingIsRetriedWithBackoff() {
        LocalDate date = Fixtures.nextDate(FailureTest.class);
        LicenseRecord license = create(date.plusDays(1));
        runs.run(date);
        int refusedBefore = SesProxy.command(sesEndpoint, "throttle", 2);

        assertEquals(1, consumers.create().pollOnce(1));

        assertEquals(refusedBefore + 2, SesProxy.command(sesEndpoint, "refused", null));
        assertEquals(1, mail.to(Fixtures.financeEmail(license.licenseId())).size(), "sent on the third attempt");
        assertEquals(0, Fixtures.depth(queue.queueUrl()));
    }

    @Test
    void aMissingLicenseIsSkipped() {
        LocalDate expiryDay = Fixtures.nextDate(FailureTest.class);
        queue.sendAll(List.of(ReminderMessage.reminder("no-such-license", expiryDay, 7)));
        assertEquals(1, Fixtures.drain(consumers.create()));
        assertEquals(0, Fixtures.depth(queue.queueUrl()));
        assertNull(ledger.state(SendLedgerStore.reminderKey("no-such-license", expiryDay, 7)));
    }

    private LicenseRecord create(LocalDate expiryDay) {
        LicenseRecord license = Fixtures.license(expiryDay, LicenseStatus.ACTIVE);
        store.create(license).join();
        return license;
    }
}
