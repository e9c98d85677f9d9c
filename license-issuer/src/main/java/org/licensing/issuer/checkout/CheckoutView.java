package org.licensing.issuer.checkout;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.licensing.store.Checkout;

/**
 * A checkout as the API answers it (never the file: that is answered once, by the checkout itself).
 *
 * @param state ACTIVE (holds a seat), RETURNED, or ENDED (ran out)
 */
@Schema(name = "Checkout")
public record CheckoutView(String licenseId, String checkoutId, String fingerprint, long sequence, Instant issuedAt,
        Instant until, Instant returnedAt, String label, State state) {

    public enum State { ACTIVE, RETURNED, ENDED }

    static CheckoutView of(String licenseId, Checkout c, Instant now) {
        State state = c.returnedAt() != null ? State.RETURNED : c.holdsSeat(now) ? State.ACTIVE : State.ENDED;
        return new CheckoutView(licenseId, c.checkoutId(), c.fingerprint(), c.sequence(), c.issuedAt(), c.until(),
                c.returnedAt(), c.label(), state);
    }
}
