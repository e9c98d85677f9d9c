package org.licensing.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The latest checkout of one fingerprint, kept on the license item ({@link LicenseTable#CHECKOUTS}) so the seat, the
 * sequence number and this entry change in one conditional write. Earlier checkouts of the same fingerprint live on in
 * the audit log.
 *
 * @param returnedAt when it was returned (by an operator or a return file), null while not returned
 * @param label the request's free text for people (host or site name), or null
 */
public record Checkout(String fingerprint, String checkoutId, long sequence, Instant issuedAt, Instant until,
        Instant returnedAt, String label) {

    public Checkout {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(checkoutId, "checkoutId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(until, "until");
    }

    /** Whether it still holds a seat at {@code now}: not returned and not ended. */
    public boolean holdsSeat(Instant now) {
        return returnedAt == null && now.isBefore(until);
    }

    public Checkout returned(Instant at) {
        return new Checkout(fingerprint, checkoutId, sequence, issuedAt, until, at, label);
    }
}
