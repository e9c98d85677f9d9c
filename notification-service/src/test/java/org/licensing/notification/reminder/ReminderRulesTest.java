package org.licensing.notification.reminder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.licensing.core.license.LicenseStatus;
import org.licensing.notification.email.DigestView;
import org.licensing.notification.email.ReminderView;
import org.licensing.notification.support.Fixtures;
import org.licensing.store.LicenseRecord;

/** The reminder rules without any back end: plain objects in, decisions out. */
class ReminderRulesTest {

    static final String VENDOR = Fixtures.VENDOR_FINANCE;
    static final LocalDate EXPIRY = LocalDate.of(2031, 3, 1);

    final ReminderRules rules = new ReminderRules(VENDOR, "renewals@vendor.example", 3);

    @Test
    void onlyActiveLicensesAreQueued() {
        assertTrue(ReminderRules.isRemindable(Fixtures.license(EXPIRY, LicenseStatus.ACTIVE)));
        assertFalse(ReminderRules.isRemindable(Fixtures.license(EXPIRY, LicenseStatus.SUSPENDED)));
        assertFalse(ReminderRules.isRemindable(Fixtures.license(EXPIRY, LicenseStatus.REVOKED)));
    }

    @Test
    void aReminderStillAppliesOnlyToTheSameActiveLicenseWithTheSameExpiryDay() {
        LicenseRecord active = Fixtures.license(EXPIRY, LicenseStatus.ACTIVE);
        assertEquals(Optional.empty(), rules.skipReason(EXPIRY, Optional.of(active)));
        assertEquals(Optional.of(SkipReason.DELETED), rules.skipReason(EXPIRY, Optional.empty()));
        LicenseRecord renewed = active.withExpiry(active.expiresAt().plusSeconds(365L * 86_400), null, Instant.now());
        assertEquals(Optional.of(SkipReason.RENEWED), rules.skipReason(EXPIRY, Optional.of(renewed)));
        assertEquals(Optional.of(SkipReason.REVOKED),
                rules.skipReason(EXPIRY, Optional.of(active.withStatus(LicenseStatus.REVOKED, Instant.now()))));
        assertEquals(Optional.of(SkipReason.SUSPENDED),
                rules.skipReason(EXPIRY, Optional.of(active.withStatus(LicenseStatus.SUSPENDED, Instant.now()))));
        assertEquals("renewed", SkipReason.RENEWED.tag());
    }

    @Test
    void remindersGoToFinanceContactsWithTheVendorInCopy() {
        LicenseRecord license = Fixtures.license(EXPIRY, LicenseStatus.ACTIVE);
        ReminderRules.Recipients recipients = rules.reminderRecipients(license);
        assertEquals(List.of(Fixtures.financeEmail(license.licenseId())), recipients.to());
        assertEquals(List.of(VENDOR), recipients.cc());

        LicenseRecord vendorListed = license.toBuilder().financeEmails(List.of("FINANCE@vendor.example"))
                .build();
        assertEquals(List.of(), rules.reminderRecipients(vendorListed).cc(), "not copied twice");

        LicenseRecord noContact = license.toBuilder().financeEmails(List.of()).build();
        assertEquals(List.of(VENDOR), rules.reminderRecipients(noContact).to());
        assertEquals(List.of(), rules.reminderRecipients(noContact).cc());

        assertEquals(new ReminderRules.Recipients(List.of(VENDOR), List.of()), rules.digestRecipients());
    }

    @Test
    void aReminderShowsNamesOrTheirCodesAndTheRenewalContact() {
        LicenseRecord license = Fixtures.license(EXPIRY, LicenseStatus.ACTIVE);
        ReminderView view = rules.reminderView(license, EXPIRY, 30);
        assertEquals("Acme GPU Labs", view.customerName());
        assertEquals("GPU Suite", view.productName());
        assertEquals("2031-03-01", view.expiryDate());
        assertEquals(30, view.daysLeft());
        assertEquals("renewals@vendor.example", view.renewalContact());

        LicenseRecord unnamed = license.toBuilder().customerName(" ").productName(null).build();
        ReminderView fallback = rules.reminderView(unnamed, EXPIRY, 30);
        assertEquals(license.customerId(), fallback.customerName());
        assertEquals(license.productCode(), fallback.productName());
    }

    @Test
    void theDigestCoversItsDaysWithOneLinePerLicenseWhateverItsStatus() {
        LocalDate date = LocalDate.of(2031, 1, 10);
        assertEquals(List.of(date, date.plusDays(1), date.plusDays(2)), rules.digestDaysFrom(date));

        LicenseRecord today = Fixtures.license(date, LicenseStatus.ACTIVE);
        LicenseRecord suspended = Fixtures.license(date.plusDays(2), LicenseStatus.SUSPENDED);
        Map<LocalDate, List<LicenseRecord>> expiring = new LinkedHashMap<>();
        expiring.put(date, List.of(today));
        expiring.put(date.plusDays(1), List.of());
        expiring.put(date.plusDays(2), List.of(suspended));

        DigestView digest = rules.digest(date, expiring);
        assertEquals("2031-01-10", digest.date());
        assertEquals(3, digest.days());
        assertEquals(List.of(
                new DigestView.Line(today.licenseId(), "Acme GPU Labs", "GPU Suite", "2031-01-10", 0, "ACTIVE"),
                new DigestView.Line(suspended.licenseId(), "Acme GPU Labs", "GPU Suite", "2031-01-12", 2,
                        "SUSPENDED")), digest.licenses());
    }
}
