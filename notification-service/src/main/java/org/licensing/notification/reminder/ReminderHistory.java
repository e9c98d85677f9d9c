package org.licensing.notification.reminder;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.licensing.notification.ledger.LedgerEntry;
import org.licensing.notification.ledger.SendLedgerStore;
import org.licensing.store.LicenseRecord;
import org.licensing.store.LicenseStore;

/**
 * The reminders of one license for its current expiry day, from the send ledger: one consistent read of the
 * license (its expiry day), then one ledger item per configured threshold. The ledger's keys hold the expiry day,
 * so a renewed license starts a new history; reminders of an earlier expiry day are not listed (they would need a
 * scan or an index of their own). Blocking.
 */
public class ReminderHistory {

    /** Where one reminder stands. */
    public enum State {
        /** SES accepted the email. */
        SENT,
        /** A sender holds a live claim: it is being sent now. */
        CLAIMED,
        /** A send failed (or its sender stopped) and the claim is free: the next delivery of the message sends it. */
        RETRYING
    }

    /** One reminder: {@code sentAt} is null until SENT; {@code recipients} (to, then cc) empty until SENT. */
    public record Entry(int thresholdDays, Instant expiresAt, State state, Instant sentAt, List<String> recipients) {
    }

    private final LicenseStore licenses;
    private final SendLedgerStore ledger;
    private final List<Integer> thresholdsDays;
    private final Clock clock;

    public ReminderHistory(LicenseStore licenses, SendLedgerStore ledger, List<Integer> thresholdsDays, Clock clock) {
        this.licenses = licenses;
        this.ledger = ledger;
        // Furthest threshold first: the order the reminders go out.
        this.thresholdsDays = thresholdsDays.stream().distinct().sorted(Comparator.reverseOrder()).toList();
        this.clock = clock;
    }

    /** The license's reminders (possibly none), or empty when no license has this id. */
    public Optional<List<Entry>> of(String licenseId) {
        Optional<LicenseRecord> found = licenses.find(licenseId).join();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        LicenseRecord license = found.get();
        LocalDate expiryDay = license.expiryDay();
        List<String> keys = thresholdsDays.stream()
                .map(t -> SendLedgerStore.reminderKey(licenseId, expiryDay, t)).toList();
        List<LedgerEntry> stored = ledger.entries(keys);
        Instant now = clock.instant();
        List<Entry> entries = new ArrayList<>();
        for (LedgerEntry e : stored) {
            int threshold = thresholdsDays.get(keys.indexOf(e.key()));
            entries.add(new Entry(threshold, license.expiresAt(), state(e, now), e.sentAt(), e.recipients()));
        }
        return Optional.of(entries);
    }

    static State state(LedgerEntry e, Instant now) {
        if (SendLedgerStore.SENT.equals(e.state())) {
            return State.SENT;
        }
        return e.leaseUntil() != null && e.leaseUntil().isAfter(now) ? State.CLAIMED : State.RETRYING;
    }
}
