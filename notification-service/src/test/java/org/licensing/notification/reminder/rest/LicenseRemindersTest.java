package org.licensing.notification.reminder.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.licensing.core.license.LicenseStatus;
import org.licensing.notification.ledger.SendLedgerStore;
import org.licensing.notification.queue.ConsumerFactory;
import org.licensing.notification.reminder.ReminderRunService;
import org.licensing.notification.support.Fixtures;
import org.licensing.notification.support.NotificationTokens;
import org.licensing.notification.support.SesProxyResource;
import org.licensing.store.LicenseRecord;
import org.licensing.store.LicenseStore;
import org.licensing.testsupport.ServiceTest;

import io.quarkus.test.common.WithTestResource;
import io.restassured.response.ValidatableResponse;

/** {@code GET /v1/licenses/{id}/reminders}: the send ledger of one license, for the back office. */
@ServiceTest
@WithTestResource(SesProxyResource.class)
class LicenseRemindersTest {

    @Inject
    LicenseStore store;

    @Inject
    ReminderRunService runs;

    @Inject
    ConsumerFactory consumers;

    @Inject
    SendLedgerStore ledger;

    @BeforeEach
    void emptyQueues() {
        Fixtures.purgeQueues();
    }

    static ValidatableResponse reminders(String licenseId, String... roles) {
        return given().auth().oauth2(NotificationTokens.token(roles)).when()
                .get("/v1/licenses/{id}/reminders", licenseId).then();
    }

    @Test
    void eachLicenseSeesItsOwnSentRemindersWithDateStateAndRecipients() {
        LocalDate date = Fixtures.nextDate(LicenseRemindersTest.class);
        LicenseRecord own = create(date.plusDays(30));
        LicenseRecord other = create(date.plusDays(7));
        assertEquals(2, runs.run(date).messagesQueued());
        // A week later the own license is due again (7 days left): two reminders, furthest first.
        assertEquals(1, runs.run(date.plusDays(23)).messagesQueued());
        Instant before = Instant.now();
        assertEquals(3, Fixtures.drain(consumers.create()));

        ValidatableResponse mine = reminders(own.licenseId(), "reminders:read").statusCode(200)
                .body("items", hasSize(2))
                .body("items[0].thresholdDays", equalTo(30)).body("items[1].thresholdDays", equalTo(7))
                .body("items.state", equalTo(List.of("SENT", "SENT")))
                .body("items.expiresAt", equalTo(List.of(own.expiresAt().toString(), own.expiresAt().toString())))
                .body("items[0].recipients", equalTo(List.of(Fixtures.financeEmail(own.licenseId()),
                        Fixtures.VENDOR_FINANCE)));
        Instant sentAt = Instant.parse(mine.extract().path("items[0].sentAt"));
        assertTrue(!sentAt.isBefore(before.minusSeconds(1)) && !sentAt.isAfter(Instant.now()), sentAt.toString());

        reminders(other.licenseId(), "reminders:read").statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].thresholdDays", equalTo(7))
                .body("items[0].recipients", equalTo(List.of(Fixtures.financeEmail(other.licenseId()),
                        Fixtures.VENDOR_FINANCE)));
    }

    @Test
    void aReminderBeingSentIsClaimedAndAfterAFailedSendRetrying() {
        LocalDate date = Fixtures.nextDate(LicenseRemindersTest.class);
        LicenseRecord license = create(date.plusDays(60));
        String key = SendLedgerStore.reminderKey(license.licenseId(), license.expiryDay(), 60);
        ledger.claim(key, "sender-1", Instant.now(), Duration.ofMinutes(5));

        reminders(license.licenseId(), "reminders:run").statusCode(200)
                .body("items", hasSize(1)).body("items[0].thresholdDays", equalTo(60))
                .body("items[0].state", equalTo("CLAIMED"))
                .body("items[0].sentAt", nullValue())
                .body("items[0].recipients", equalTo(List.of()));
        ledger.release(key, "sender-1");
        reminders(license.licenseId(), "reminders:read").statusCode(200)
                .body("items[0].state", equalTo("RETRYING"));
    }

    @Test
    void aLicenseWithoutRemindersHasAnEmptyList() {
        LicenseRecord license = create(Fixtures.nextDate(LicenseRemindersTest.class).plusDays(45));
        reminders(license.licenseId(), "reminders:read").statusCode(200)
                .contentType(containsString("application/json"))
                .body("items", equalTo(List.of()));
    }

    @Test
    void anUnknownLicenseIs404() {
        reminders(UUID.randomUUID().toString(), "reminders:read").statusCode(404)
                .contentType(containsString("application/problem+json"))
                .body("type", equalTo("https://licensing.dev/problems/not-found"));
        reminders("not an id", "reminders:read").statusCode(404)
                .body("type", equalTo("https://licensing.dev/problems/not-found"));
    }

    @Test
    void readingNeedsReminderReadOrRunAndTheDeadLetterDepthIsReadableToo() {
        LicenseRecord license = create(Fixtures.nextDate(LicenseRemindersTest.class).plusDays(45));
        given().when().get("/v1/licenses/{id}/reminders", license.licenseId()).then().statusCode(401)
                .contentType(containsString("application/problem+json"));
        reminders(license.licenseId(), "licenses:read").statusCode(403)
                .contentType(containsString("application/problem+json"))
                .body("type", equalTo("https://licensing.dev/problems/forbidden"));
        reminders(license.licenseId(), "reminders:run").statusCode(200);

        given().auth().oauth2(NotificationTokens.token("reminders:read")).when().get("/v1/reminders/dead-letters")
                .then().statusCode(200).body("depth", equalTo(0));
        given().auth().oauth2(NotificationTokens.token("licenses:read")).when().get("/v1/reminders/dead-letters")
                .then().statusCode(403);
        // Read-only: the reader can neither redrive nor run.
        given().auth().oauth2(NotificationTokens.token("reminders:read")).contentType("application/json").body("{}")
                .when().post("/v1/reminders/dead-letters/redrive").then().statusCode(403);
        given().auth().oauth2(NotificationTokens.token("reminders:read")).contentType("application/json")
                .body(Map.of("date", "2026-12-01")).when().post("/v1/reminders/runs").then().statusCode(403);
    }

    @Test
    void theEndpointAndTheDepthAreDocumented() {
        given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .body("paths.'/v1/licenses/{licenseId}/reminders'.get.operationId", equalTo("listLicenseReminders"))
                .body("paths.'/v1/licenses/{licenseId}/reminders'.get.responses.keySet()",
                        org.hamcrest.Matchers.hasItems("200", "401", "403", "404"))
                .body("components.schemas.LicenseReminder.properties.state.enum",
                        equalTo(List.of("SENT", "CLAIMED", "RETRYING")))
                .body("components.schemas.DeadLetters.properties.depth.type", equalTo("integer"));
    }

    private LicenseRecord create(LocalDate expiryDay) {
        LicenseRecord license = Fixtures.license(expiryDay, LicenseStatus.ACTIVE);
        store.create(license).join();
        return license;
    }
}
