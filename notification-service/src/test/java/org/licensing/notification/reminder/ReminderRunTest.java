package org.licensing.notification.reminder;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.licensing.testsupport.ServiceTest;
import org.licensing.store.LicenseRecord;
import org.licensing.core.license.LicenseStatus;
import org.licensing.store.LicenseStore;
import org.licensing.notification.queue.ConsumerFactory;
import org.licensing.notification.support.Fixtures;
import org.licensing.notification.support.Metrics;
import org.licensing.notification.support.NotificationTokens;
import org.licensing.notification.support.SesProxyResource;
import org.licensing.testsupport.LocalBackends;
import org.licensing.testsupport.SentEmail;
import org.licensing.testsupport.SentEmails;
import org.licensing.testsupport.TestTokens;

import io.quarkus.test.common.WithTestResource;
import io.restassured.http.ContentType;

@ServiceTest
@WithTestResource(SesProxyResource.class)
class ReminderRunTest {

    static final List<Integer> THRESHOLDS = List.of(60, 30, 7, 1, 0);

    @Inject
    LicenseStore store;

    @Inject
    ConsumerFactory consumers;

    final SentEmails mail = LocalBackends.shared().sentEmails();

    @BeforeEach
    void emptyQueues() {
        Fixtures.purgeQueues();
    }

    static RunResponseView run(LocalDate date) {
        return given().auth().oauth2(NotificationTokens.token("reminders:run"))
                .contentType(ContentType.JSON).body(Map.of("date", date.toString()))
                .when().post("/v1/reminders/runs")
                .then().statusCode(200).extract().as(RunResponseView.class);
    }

    record RunResponseView(String date, List<Integer> thresholdsDays, long licensesRead, long itemsRead,
            long messagesQueued) {
    }

    @Test
    void remindsAtEachThresholdAndOnNoOtherDay() {
        LocalDate date = Fixtures.nextDate(ReminderRunTest.class);
        Map<Integer, LicenseRecord> due = new LinkedHashMap<>();
        for (int t : THRESHOLDS) {
            due.put(t, create(date.plusDays(t), LicenseStatus.ACTIVE));
        }
        List<LicenseRecord> notDue = List.of(create(date.plusDays(2), LicenseStatus.ACTIVE),
                create(date.plusDays(45), LicenseStatus.ACTIVE), create(date.plusDays(61), LicenseStatus.ACTIVE),
                create(date.minusDays(1), LicenseStatus.ACTIVE));

        RunResponseView summary = run(date);
        assertEquals(5, summary.licensesRead());
        assertEquals(5, summary.itemsRead());
        assertEquals(5, summary.messagesQueued());
        assertEquals(THRESHOLDS, summary.thresholdsDays());

        assertEquals(5, Fixtures.drain(consumers.create()));

        due.forEach((days, license) -> {
            List<SentEmail> emails = mail.to(Fixtures.financeEmail(license.licenseId()));
            assertEquals(1, emails.size(), "one reminder " + days + " days before");
            SentEmail email = emails.get(0);
            assertTrue(email.subject().contains(license.licenseId()), email.subject());
            assertTrue(email.subject().contains(license.expiryDay().toString()), email.subject());
            assertTrue(email.allRecipients().contains(Fixtures.VENDOR_FINANCE), "vendor finance copied");
            assertEquals("licensing@vendor.example", email.from());
            assertTrue(email.text().contains("Days left: " + days), email.text());
            assertTrue(email.text().contains("GPU Suite"), email.text());
            assertTrue(email.text().contains("Acme GPU Labs"), email.text());
            assertTrue(email.text().contains("contact " + Fixtures.VENDOR_FINANCE), email.text());
            assertTrue(email.html().contains("<strong>" + license.expiryDay() + "</strong>"), email.html());
        });
        for (LicenseRecord license : notDue) {
            assertEquals(List.of(), mail.to(Fixtures.financeEmail(license.licenseId())));
        }
    }

    @Test
    void aLicenseRenewedAfterTheRunGetsNoStaleReminder() {
        LocalDate date = Fixtures.nextDate(ReminderRunTest.class);
        LicenseRecord renewed = create(date.plusDays(7), LicenseStatus.ACTIVE);
        LicenseRecord kept = create(date.plusDays(7), LicenseStatus.ACTIVE);
        double queued = Metrics.value("reminders_queued_total");
        double renewedSkips = Metrics.value("reminders_skipped_total", "reason", "renewed");
        double sent = Metrics.value("reminders_sent_total", "kind", "reminder");
        assertEquals(2, run(date).messagesQueued());
        assertEquals(queued + 2, Metrics.value("reminders_queued_total"));

        store.update(renewed.withExpiry(renewed.expiresAt().plusSeconds(365L * 86_400), null, Instant.now())).join();
        Fixtures.drain(consumers.create());

        assertEquals(List.of(), mail.to(Fixtures.financeEmail(renewed.licenseId())));
        assertEquals(1, mail.to(Fixtures.financeEmail(kept.licenseId())).size());
        assertEquals(renewedSkips + 1, Metrics.value("reminders_skipped_total", "reason", "renewed"));
        assertEquals(sent + 1, Metrics.value("reminders_sent_total", "kind", "reminder"));
    }

    @Test
    void revokedAndSuspendedLicensesGetNoReminder() {
        LocalDate date = Fixtures.nextDate(ReminderRunTest.class);
        LicenseRecord suspended = create(date.plusDays(30), LicenseStatus.SUSPENDED);
        LicenseRecord revokedLater = create(date.plusDays(30), LicenseStatus.ACTIVE);

        double revokedSkips = Metrics.value("reminders_skipped_total", "reason", "revoked");
        double sent = Metrics.value("reminders_sent_total", "kind", "reminder");
        RunResponseView summary = run(date);
        assertEquals(2, summary.licensesRead());
        assertEquals(1, summary.messagesQueued(), "a suspended license is not queued");

        store.update(revokedLater.withStatus(LicenseStatus.REVOKED, Instant.now())).join();
        Fixtures.drain(consumers.create());

        assertEquals(List.of(), mail.to(Fixtures.financeEmail(suspended.licenseId())));
        assertEquals(List.of(), mail.to(Fixtures.financeEmail(revokedLater.licenseId())));
        assertEquals(revokedSkips + 1, Metrics.value("reminders_skipped_total", "reason", "revoked"));
        assertEquals(sent, Metrics.value("reminders_sent_total", "kind", "reminder"));
    }

    @Test
    void aLicenseWithoutFinanceContactsRemindsOnlyTheVendorsFinance() {
        LocalDate date = Fixtures.nextDate(ReminderRunTest.class);
        LicenseRecord license = Fixtures.license(date.plusDays(7), LicenseStatus.ACTIVE).toBuilder()
                .financeEmails(List.of()).build();
        store.create(license).join();
        assertEquals(1, run(date).messagesQueued());
        assertEquals(1, Fixtures.drain(consumers.create()));

        List<SentEmail> emails = mail.to(Fixtures.VENDOR_FINANCE).stream()
                .filter(e -> e.subject().contains(license.licenseId())).toList();
        assertEquals(1, emails.size(), "one reminder, to the vendor's finance address");
        assertEquals(List.of(Fixtures.VENDOR_FINANCE), emails.get(0).to());
        assertEquals(List.of(Fixtures.VENDOR_FINANCE), emails.get(0).allRecipients(), "no copy, no one else");
        assertTrue(emails.get(0).text().contains("Days left: 7"), emails.get(0).text());
    }

    @Test
    void runsNeedATokenWithTheRunRoleAndThisAudience() {
        String body = "{\"date\":\"2026-12-01\"}";
        given().contentType(ContentType.JSON).body(body).when().post("/v1/reminders/runs")
                .then().statusCode(401).contentType(containsString("application/problem+json"))
                .header("WWW-Authenticate", "Bearer")
                .body("type", equalTo("https://licensing.dev/problems/unauthorized"));
        given().auth().oauth2(NotificationTokens.token("licenses:read"))
                .contentType(ContentType.JSON).body(body).when().post("/v1/reminders/runs")
                .then().statusCode(403).contentType(containsString("application/problem+json"));
        given().auth().oauth2(TestTokens.shared().builder().roles("reminders:run").sign())
                .contentType(ContentType.JSON).body(body).when().post("/v1/reminders/runs")
                .then().statusCode(401);
        given().auth().oauth2(TestTokens.shared().builder().audience(NotificationTokens.AUDIENCE)
                        .roles("reminders:run").signedByAnotherKey().sign())
                .contentType(ContentType.JSON).body(body).when().post("/v1/reminders/runs")
                .then().statusCode(401);
        // A redrive request has no date (unknown JSON fields are refused in every service): an empty request.
        given().auth().oauth2(NotificationTokens.token("reminders:run"))
                .contentType(ContentType.JSON).body("{}").when().post("/v1/reminders/dead-letters/redrive")
                .then().statusCode(200);
    }

    @Test
    void aBadDateIsAProblem() {
        given().auth().oauth2(NotificationTokens.token("reminders:run"))
                .contentType(ContentType.JSON).body("{\"date\":\"2026-13-45\"}")
                .when().post("/v1/reminders/runs")
                .then().statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("type", equalTo("https://licensing.dev/problems/invalid-date"))
                .body("status", equalTo(400))
                .body(org.hamcrest.Matchers.not(containsString("Exception")));
    }

    @Test
    void theApiIsDocumented() {
        given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .body(containsString("/v1/reminders/runs"))
                .body(containsString("/v1/reminders/dead-letters/redrive"))
                .body(containsString("2026-12-01"));
    }

    private LicenseRecord create(LocalDate expiryDay, LicenseStatus status) {
        LicenseRecord license = Fixtures.license(expiryDay, status);
        store.create(license).join();
        return license;
    }
}
