package org.licensing.notification.reminder;

import java.time.Instant;
import java.time.LocalDate;

import org.licensing.core.license.LicenseStatus;
import org.licensing.notification.ledger.SendLedgerStore;
import org.licensing.store.LicensePage;
import org.licensing.store.LicenseRecord;
import org.licensing.store.LicenseStore;

/**
 * Finds licenses past their expiry and writes each one's {@code license.expired} event, once per expiry
 * ({@link SendLedgerStore#markExpired}: a conditional write of an {@code EXPIRED#} marker carrying the event). Reads the
 * expiry index's buckets of the last {@code lookbackDays} days and today (never a scan), so a run missed for up to
 * that many days still finds them. A revoked license does not expire: it ended before. Blocking.
 */
public class ExpiredLicenses {

    private final LicenseStore store;
    private final SendLedgerStore ledger;
    private final int lookbackDays;

    public ExpiredLicenses(LicenseStore store, SendLedgerStore ledger, int lookbackDays) {
        if (lookbackDays < 0) {
            throw new IllegalArgumentException("expired-lookback-days must be >= 0: " + lookbackDays);
        }
        this.store = store;
        this.ledger = ledger;
        this.lookbackDays = lookbackDays;
    }

    /** The events written by this run (licenses already recorded are not counted). */
    public int run(LocalDate date, Instant now) {
        int published = 0;
        for (int back = lookbackDays; back >= 0; back--) {
            LocalDate day = date.minusDays(back);
            String cursor = null;
            do {
                LicensePage page = store.pageByExpiryDay(day, ReminderPlanner.PAGE_SIZE, cursor).join();
                for (LicenseRecord license : page.licenses()) {
                    if (!license.expiresAt().isAfter(now) && license.status() != LicenseStatus.REVOKED
                            && ledger.markExpired(SendLedgerStore.expiredKey(license.licenseId(), license.expiresAt()),
                                    LicenseEvents.expired(license, now), now)) {
                        published++;
                    }
                }
                cursor = page.nextCursor();
            } while (cursor != null);
        }
        return published;
    }
}
