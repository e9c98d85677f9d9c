package org.licensing.notification.ledger;

import java.time.Instant;

/**
 * What {@link SendLedgerStore#claim} came to for one email.
 *
 * @param result whether the caller may send
 * @param leaseUntil when the claim ends: the caller's own for {@link ClaimResult#CLAIMED}, the other sender's for
 *     {@link ClaimResult#BUSY}; null for {@link ClaimResult#ALREADY_SENT}
 */
public record SendClaim(ClaimResult result, Instant leaseUntil) {
}
