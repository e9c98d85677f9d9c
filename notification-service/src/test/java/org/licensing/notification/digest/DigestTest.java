package org.licensing.notification.digest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
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
import org.licensing.notification.support.NotificationTokens;
import org.licensing.notification.support.SesProxyResource;
import org.licensing.testsupport.LocalBackends;
import org.licensing.testsupport.SentEmail;

import io.quarkus.test.common.WithTestResource;
import io.restassured.http.ContentType;

@ServiceTest
@WithTestResource(SesProxyResource.class)
class DigestTest {

    @Inject
    LicenseStore store;

    @Inject
    ConsumerFactory consumers;

    @BeforeEach
    void emptyQueues() {
        Fixtures.purgeQueues();
    }

    @Test
    void theDigestListsTheNextThirtyDaysAndGoesOutOncePerDate() {
        LocalDate date = Fixtures.nextDate(DigestTest.class);
        List<LicenseRecord> listed = List.of(create(date, LicenseStatus.ACTIVE),
                create(date.plusDays(15), LicenseStatus.SUSPENDED), create(date.plusDays(29), LicenseStatus.ACTIVE));
        List<LicenseRecord> notListed = List.of(create(date.plusDays(30), LicenseStatus.ACTIVE),
                create(date.minusDays(1), LicenseStatus.ACTIVE));

        for (int i = 0; i < 2; i++) {
            given().auth().oauth2(NotificationTokens.token("reminders:run"))
                    .contentType(ContentType.JSON).body(Map.of("date", date.toString()))
                    .when().post("/v1/reminders/digests")
                    .then().statusCode(202).body("date", equalTo(date.toString())).body("queued", equalTo(true));
        }
        assertEquals(2, Fixtures.drain(consumers.create()));

        List<SentEmail> digests = LocalBackends.shared().sentEmails().to(Fixtures.VENDOR_FINANCE).stream()
                .filter(e -> e.subject().startsWith("License expiry digest " + date + ":")).toList();
        assertEquals(1, digests.size(), "one digest per date");
        SentEmail digest = digests.get(0);
        assertTrue(digest.subject().contains("3 license(s)"), digest.subject());
        for (LicenseRecord l : listed) {
            assertTrue(digest.text().contains(l.licenseId()), digest.text());
            assertTrue(digest.html().contains(l.licenseId()));
        }
        assertTrue(digest.text().contains("[SUSPENDED]"), digest.text());
        for (LicenseRecord l : notListed) {
            assertFalse(digest.text().contains(l.licenseId()));
        }
    }

    @Test
    void eachLineShowsTheDayDaysLeftAndNamesInExpiryOrderAndRevokedLicensesAreLeftOut() {
        LocalDate date = Fixtures.nextDate(DigestTest.class);
        // Stored out of order; two on one day at different hours (the index sorts a day by expiresAt).
        LicenseRecord late = create(date.plusDays(20), 12, "Zeta Compute", "Render Farm", LicenseStatus.ACTIVE);
        LicenseRecord evening = create(date.plusDays(3), 18, "Beta AI", "GPU Suite", LicenseStatus.ACTIVE);
        LicenseRecord morning = create(date.plusDays(3), 9, "Acme GPU Labs", "GPU Suite", LicenseStatus.ACTIVE);
        LicenseRecord suspended = create(date.plusDays(10), 12, "Gamma Labs", "GPU Suite", LicenseStatus.SUSPENDED);
        LicenseRecord revoked = create(date.plusDays(5), 12, "Revoked Corp", "GPU Suite", LicenseStatus.REVOKED);

        given().auth().oauth2(NotificationTokens.token("reminders:run"))
                .contentType(ContentType.JSON).body(Map.of("date", date.toString()))
                .when().post("/v1/reminders/digests").then().statusCode(202);
        assertEquals(1, Fixtures.drain(consumers.create()));

        SentEmail digest = LocalBackends.shared().sentEmails().to(Fixtures.VENDOR_FINANCE).stream()
                .filter(e -> e.subject().startsWith("License expiry digest " + date + ":")).findFirst().orElseThrow();
        assertEquals(List.of(Fixtures.VENDOR_FINANCE), digest.allRecipients());
        assertTrue(digest.subject().contains("4 license(s)"), digest.subject());
        List<String> lines = digest.text().lines().filter(l -> l.startsWith("- ")).toList();
        assertEquals(List.of(
                "- " + date.plusDays(3) + " (3 d): " + morning.licenseId() + " Acme GPU Labs / GPU Suite [ACTIVE]",
                "- " + date.plusDays(3) + " (3 d): " + evening.licenseId() + " Beta AI / GPU Suite [ACTIVE]",
                "- " + date.plusDays(10) + " (10 d): " + suspended.licenseId() + " Gamma Labs / GPU Suite [SUSPENDED]",
                "- " + date.plusDays(20) + " (20 d): " + late.licenseId() + " Zeta Compute / Render Farm [ACTIVE]"),
                lines, digest.text());
        assertTrue(digest.text().contains("Licenses expiring in the 30 days from " + date + ": 4."), digest.text());
        assertFalse(digest.text().contains(revoked.licenseId()), "a revoked license is not in the digest");
        assertFalse(digest.html().contains(revoked.licenseId()));
        for (LicenseRecord l : List.of(morning, evening, suspended, late)) {
            assertTrue(digest.html().contains(l.licenseId()), digest.html());
        }
    }

    private LicenseRecord create(LocalDate expiryDay, int hour, String customer, String product, LicenseStatus status) {
        LicenseRecord license = Fixtures.license(expiryDay, status).toBuilder().customerName(customer)
                .productName(product).expiresAt(expiryDay.atTime(hour, 0).toInstant(java.time.ZoneOffset.UTC)).build();
        store.create(license).join();
        return license;
    }

    private LicenseRecord create(LocalDate expiryDay, LicenseStatus status) {
        LicenseRecord license = Fixtures.license(expiryDay, status);
        store.create(license).join();
        return license;
    }
}
