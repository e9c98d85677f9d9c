package org.licensing.notification.queue;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.licensing.testsupport.ServiceTest;
import org.licensing.store.LicenseRecord;
import org.licensing.core.license.LicenseStatus;
import org.licensing.store.LicenseStore;
import org.licensing.notification.support.Fixtures;
import org.licensing.notification.support.NotificationTokens;
import org.licensing.notification.support.SesProxyResource;
import org.licensing.testsupport.LocalBackends;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** The service as deployed: consumer threads started at start-up send what an on-demand run queues. */
@ServiceTest
@TestProfile(ConsumerLoopTest.ConsumersRunning.class)
@WithTestResource(SesProxyResource.class)
class ConsumerLoopTest {

    public static class ConsumersRunning implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("licensing.reminders.consumer.enabled", "true",
                    "licensing.reminders.consumer.threads", "2",
                    "licensing.reminders.consumer.visibility-timeout-seconds", "10");
        }
    }

    @Inject
    LicenseStore store;

    @Test
    void runningConsumersSendTheRunsReminders() {
        Fixtures.purgeQueues();
        LocalDate date = Fixtures.nextDate(ConsumerLoopTest.class);
        LicenseRecord license = Fixtures.license(date.plusDays(60), LicenseStatus.ACTIVE);
        store.create(license).join();

        given().auth().oauth2(NotificationTokens.token("reminders:run"))
                .contentType(ContentType.JSON).body(Map.of("date", date.toString()))
                .when().post("/v1/reminders/runs")
                .then().statusCode(200).body("messagesQueued", equalTo(1));

        await().atMost(Duration.ofSeconds(60))
                .until(() -> !LocalBackends.shared().sentEmails().to(Fixtures.financeEmail(license.licenseId()))
                        .isEmpty());
        assertEquals(1, LocalBackends.shared().sentEmails().to(Fixtures.financeEmail(license.licenseId())).size());
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
