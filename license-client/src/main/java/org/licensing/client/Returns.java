package org.licensing.client;

import java.io.IOException;
import java.time.Instant;
import org.licensing.core.checkout.CheckoutDocument;
import org.licensing.core.checkout.CheckoutReturn;
import org.licensing.core.checkout.CheckoutRequest;
import org.licensing.core.key.LicenseKey;

/**
 * What an air-gapped machine hands a person to carry to the vendor: a checkout request (no secret) and, when the
 * machine is retired, the return of its checkout (authenticated with the license key, so only this machine can free
 * its seat), after which the returned checkout is not used here again ({@link CacheStore#RETURNED}). Thread-safe.
 */
final class Returns {

    private final CacheStore store;
    private final Object lock = new Object();
    private long returnedSeq = -1; // -1: not read yet

    Returns(CacheStore store) {
        this.store = store;
    }

    /** A checkout request for this machine ({@link CheckoutRequest#toJson()}). */
    static String request(LicenseKey key, String productCode, String fingerprint, Instant now, String label) {
        try {
            return CheckoutRequest.of(key.licenseId(), productCode, fingerprint, now, label).toJson();
        } catch (IllegalArgumentException e) {
            throw new LicenseClientException("Cannot write a checkout request: " + e.getMessage(), e);
        }
    }

    /**
     * The return of {@code checkout}, recorded first so the machine stops using it even if the text never reaches
     * the vendor.
     *
     * @throws LicenseClientException when the checkout is unbound (it holds no seat) or the record cannot be written
     */
    String giveBack(CheckoutDocument checkout, LicenseKey key, Instant now) {
        CheckoutReturn r;
        try {
            r = CheckoutReturn.create(checkout, key, now);
        } catch (IllegalArgumentException e) {
            throw new LicenseClientException("Cannot return this checkout: " + e.getMessage(), e);
        }
        synchronized (lock) {
            try {
                if (checkout.sequence() > returnedSeq()) {
                    store.writeReturnedSeq(checkout.sequence());
                    returnedSeq = checkout.sequence();
                }
            } catch (IOException e) {
                throw new LicenseClientException("Cannot record the return in " + store.directory() + ": " + e, e);
            }
        }
        return r.toJson();
    }

    /** Whether {@code checkout} (or a later one) was returned from this machine. */
    boolean isReturned(CheckoutDocument checkout) {
        synchronized (lock) {
            return checkout.sequence() <= returnedSeq();
        }
    }

    private long returnedSeq() {
        if (returnedSeq < 0) {
            returnedSeq = store.readReturnedSeq();
        }
        return returnedSeq;
    }
}
