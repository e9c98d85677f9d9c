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
        LocalDate date = Fixtures.uniqueDate();
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

    private LicenseRecord create(LocalDate expiryDay, LicenseStatus status) {
        LicenseRecord license = Fixtures.license(expiryDay, status);
        store.create(license).join();
        return license;
    }
}
