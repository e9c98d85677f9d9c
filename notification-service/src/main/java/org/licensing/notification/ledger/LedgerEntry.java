package org.licensing.notification.ledger;

import java.time.Instant;
import java.util.List;

/**
 * One send-ledger item as stored.
 *
 * @param key the item's key ({@code REMINDER#<licenseId>#<expiryDay>#<threshold>}, {@code DIGEST#<date>})
 * @param state {@link SendLedgerStore#PENDING} or {@link SendLedgerStore#SENT}
 * @param leaseUntil end of the current claim while PENDING (epoch 0 once a failed send released it); null when SENT
 * @param sentAt when SES accepted the email; null until then
 * @param recipients whom the email went to (to, then cc); empty until sent, and for items sent before they were
 *     recorded
 * @param attempts claims taken so far (one per delivery that tried to send)
 */
public record LedgerEntry(String key, String state, Instant leaseUntil, Instant sentAt, List<String> recipients,
        int attempts) {

    public LedgerEntry {
        recipients = List.copyOf(recipients);
    }
}
