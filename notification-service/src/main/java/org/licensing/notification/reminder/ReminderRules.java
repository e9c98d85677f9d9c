package org.licensing.notification.reminder;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.licensing.core.license.LicenseStatus;
import org.licensing.notification.email.DigestView;
import org.licensing.notification.email.ReminderView;
import org.licensing.store.LicenseRecord;

/**
 * The reminder rules, without I/O: which licenses the run queues, which queued reminders still apply when they are
 * delivered, who receives a reminder and the digest, what they show. Plain (no CDI), so tests build it directly.
 */
public final class ReminderRules {

    /** Who an email goes to. */
    public record Recipients(List<String> to, List<String> cc) {

        public Recipients {
            to = List.copyOf(to);
            cc = List.copyOf(cc);
        }
    }

    private final String vendorFinanceEmail;
    private final String renewalContact;
    private final int digestDays;

    /**
     * @param vendorFinanceEmail copied on every reminder (its only recipient when the license names no finance
     *     contact) and the digest's recipient
     * @param renewalContact who to contact to renew, printed in every reminder
     * @param digestDays days the digest covers, starting with its date
     */
    public ReminderRules(String vendorFinanceEmail, String renewalContact, int digestDays) {
        this.vendorFinanceEmail = vendorFinanceEmail;
        this.renewalContact = renewalContact;
        this.digestDays = digestDays;
    }

    /** The run queues reminders for active licenses only: suspended and revoked ones get none. */
    public static boolean isRemindable(LicenseRecord license) {
        return license.status() == LicenseStatus.ACTIVE;
    }

    /**
     * Why a reminder queued for a license expiring on {@code queuedExpiryDay} no longer applies to the license as it
     * is now ({@code current}, empty when it is gone), or empty when it should be sent.
     */
    public Optional<SkipReason> skipReason(LocalDate queuedExpiryDay, Optional<LicenseRecord> current) {
        if (current.isEmpty()) {
            return Optional.of(SkipReason.DELETED);
        }
        LicenseRecord license = current.get();
        if (!license.expiryDay().equals(queuedExpiryDay)) {
            return Optional.of(SkipReason.RENEWED);
        }
        if (license.status() == LicenseStatus.REVOKED) {
            return Optional.of(SkipReason.REVOKED);
        }
        if (license.status() == LicenseStatus.SUSPENDED) {
            return Optional.of(SkipReason.SUSPENDED);
        }
        return Optional.empty();
    }

    /**
     * A reminder goes to the license's finance contacts with the vendor's finance address in copy (unless it is one
     * of them), or to the vendor's finance address alone when the license names none.
     */
    public Recipients reminderRecipients(LicenseRecord license) {
        List<String> to = new ArrayList<>(license.financeEmails());
        List<String> cc = new ArrayList<>();
        if (to.isEmpty()) {
            to.add(vendorFinanceEmail);
        } else if (to.stream().noneMatch(vendorFinanceEmail::equalsIgnoreCase)) {
            cc.add(vendorFinanceEmail);
        }
        return new Recipients(to, cc);
    }

    /** The digest goes to the vendor's finance address. */
    public Recipients digestRecipients() {
        return new Recipients(List.of(vendorFinanceEmail), List.of());
    }

    /** What the reminder for {@code license}, {@code thresholdDays} before {@code expiryDay}, shows. */
    public ReminderView reminderView(LicenseRecord license, LocalDate expiryDay, int thresholdDays) {
        return new ReminderView(license.licenseId(), license.customerId(),
                nameOr(license.customerName(), license.customerId()), license.productCode(),
                nameOr(license.productName(), license.productCode()), expiryDay.toString(), thresholdDays,
                renewalContact);
    }

    /** The expiry days the digest of {@code date} covers: {@code date} and the days after it. */
    public List<LocalDate> digestDaysFrom(LocalDate date) {
        List<LocalDate> days = new ArrayList<>(digestDays);
        for (int d = 0; d < digestDays; d++) {
            days.add(date.plusDays(d));
        }
        return days;
    }

    /**
     * The digest of {@code date}: one line per license expiring on each of its days, in the order of
     * {@code expiringByDay} (and of each day's list), except revoked licenses: they end for good, there is nothing
     * to renew. A suspended license is listed, and its line says so.
     */
    public DigestView digest(LocalDate date, Map<LocalDate, List<LicenseRecord>> expiringByDay) {
        List<DigestView.Line> lines = new ArrayList<>();
        expiringByDay.forEach((day, licenses) -> {
            int daysLeft = (int) ChronoUnit.DAYS.between(date, day);
            for (LicenseRecord l : licenses) {
                if (l.status() == LicenseStatus.REVOKED) {
                    continue;
                }
                lines.add(new DigestView.Line(l.licenseId(), nameOr(l.customerName(), l.customerId()),
                        nameOr(l.productName(), l.productCode()), day.toString(), daysLeft, l.status().name()));
            }
        });
        return new DigestView(date.toString(), digestDays, lines);
    }

    private static String nameOr(String name, String fallback) {
        return name == null || name.isBlank() ? fallback : name;
    }
}
