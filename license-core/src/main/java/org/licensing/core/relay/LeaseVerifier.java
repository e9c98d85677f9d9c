package org.licensing.core.relay;

import com.nimbusds.jose.jwk.JWKSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.licensing.core.checkout.CheckoutDocument;
import org.licensing.core.checkout.CheckoutFiles;
import org.licensing.core.checkout.VerifiedCheckout;
import org.licensing.core.crypto.JwsVerificationException;
import org.licensing.core.crypto.JwsVerifier;
import org.licensing.core.document.LicenseFileException;
import org.licensing.core.key.LicenseKey;
import org.licensing.core.relay.LeaseRejectedException.Reason;

/**
 * Verifies a relay's lease answer along the one chain a node trusts: the lease JWS ({@value LeaseClaims#TYP}) signed
 * by the relay key -> that key certified ({@code relay_key}) in a relay checkout -> the checkout signed by a pinned
 * vendor key. The checkout is checked as {@link CheckoutFiles#open} does for any machine: it must open with this
 * license key on the site it names (so it was made for this key holder, not another key of the same license id),
 * verify with the pinned keys, be for this license and product and run at {@code now}. Then the lease must name that
 * checkout, license, product and site, echo the node's nonce and fingerprint, and end within the checkout.
 *
 * <p>{@code now} is the caller's time: a product passes the time its trusted-clock rules allow, and applies them
 * again to the lease's {@code iat} (the relay's signed time). Stateless and thread-safe.
 */
public final class LeaseVerifier {

    private final LicenseKey key;
    private final JWKSet vendorKeys;
    private final String expectedIssuer;
    private final String productCode;
    private final Duration clockSkew;

    /**
     * @param key the node's license key (opens the relay checkout)
     * @param vendorKeys the pinned vendor keys (public JWK Set)
     * @param expectedIssuer the {@code iss} the checkout must carry, or null for any
     * @param productCode the product the checkout must be for
     * @param clockSkew tolerance on the checkout's times
     */
    public LeaseVerifier(LicenseKey key, JWKSet vendorKeys, String expectedIssuer, String productCode,
            Duration clockSkew) {
        this.key = Objects.requireNonNull(key, "key");
        this.vendorKeys = Objects.requireNonNull(vendorKeys, "vendorKeys");
        this.expectedIssuer = expectedIssuer;
        this.productCode = Objects.requireNonNull(productCode, "productCode");
        this.clockSkew = clockSkew == null ? Duration.ZERO : clockSkew;
    }

    /**
     * @param leaseJws the relay's signed lease
     * @param checkoutFile the relay checkout as the vendor issued it (compact JWE)
     * @param nonce the nonce the node sent with this request
     * @param fingerprint the node's fingerprint
     * @throws LeaseRejectedException naming the link that broke
     */
    public VerifiedLease verify(String leaseJws, String checkoutFile, String nonce, String fingerprint, Instant now) {
        Objects.requireNonNull(now, "now");
        VerifiedCheckout checkout = checkout(checkoutFile, now);
        CheckoutDocument doc = checkout.document();
        JwsVerifier.Verified signed;
        try {
            signed = JwsVerifier.verify(leaseJws, new JWKSet(doc.relayKey()), LeaseClaims.TYP);
        } catch (JwsVerificationException e) {
            throw new LeaseRejectedException(switch (e.reason()) {
                case UNKNOWN_KEY -> Reason.NOT_CERTIFIED_KEY;
                case BAD_SIGNATURE -> Reason.BAD_SIGNATURE;
                case UNSUPPORTED_ALGORITHM -> Reason.UNSUPPORTED_ALGORITHM;
                case MALFORMED, WRONG_TYPE -> Reason.MALFORMED;
            }, "Lease refused (the checkout certifies relay key " + doc.relayKey().getKeyID() + "): "
                    + e.getMessage(), e);
        }
        LeaseClaims lease;
        try {
            lease = LeaseClaims.fromPayload(signed.payload());
        } catch (IllegalArgumentException e) {
            throw new LeaseRejectedException(Reason.MALFORMED, "Lease claims are invalid: " + e.getMessage(), e);
        }
        if (!lease.checkoutId().equals(doc.checkoutId()) || !lease.site().equals(doc.fingerprint())
                || !lease.licenseId().equalsIgnoreCase(doc.license().licenseId())
                || !lease.productCode().equals(doc.license().productCode())) {
            throw new LeaseRejectedException(Reason.WRONG_CHECKOUT, "The lease names checkout " + lease.checkoutId()
                    + " of license " + lease.licenseId() + " on site " + lease.site() + ", but came with checkout "
                    + doc.checkoutId() + " of license " + doc.license().licenseId() + " on site " + doc.fingerprint());
        }
        if (!lease.nonce().equals(nonce)) {
            throw new LeaseRejectedException(Reason.WRONG_NONCE,
                    "The lease answers another request (its nonce is not the one sent)");
        }
        if (!lease.fingerprint().equals(fingerprint)) {
            throw new LeaseRejectedException(Reason.WRONG_FINGERPRINT, "The lease is for node " + lease.fingerprint()
                    + ", this node is " + fingerprint);
        }
        if (lease.leaseUntil().isBefore(lease.issuedAt())
                || lease.issuedAt().plus(clockSkew).isBefore(doc.issuedAt())) {
            throw new LeaseRejectedException(Reason.LEASE_TIME, "The lease (signed " + lease.issuedAt() + ", until "
                    + lease.leaseUntil() + ") does not fit its checkout (signed " + doc.issuedAt() + ")");
        }
        if (lease.leaseUntil().isAfter(doc.until())) {
            throw new LeaseRejectedException(Reason.CHECKOUT_EXPIRED, "The lease runs until " + lease.leaseUntil()
                    + ", past its checkout's end " + doc.until());
        }
        return new VerifiedLease(lease, checkout);
    }

    private VerifiedCheckout checkout(String checkoutFile, Instant now) {
        String site;
        VerifiedCheckout v;
        try {
            site = CheckoutFiles.fingerprintOf(checkoutFile);
            if (site == null) {
                throw new LeaseRejectedException(Reason.CHECKOUT_INVALID,
                        "The relay checkout names no site: a relay runs only on a checkout bound to its site");
            }
            v = CheckoutFiles.open(checkoutFile, key, site, vendorKeys, expectedIssuer, now, clockSkew);
        } catch (LicenseFileException e) {
            throw new LeaseRejectedException(Reason.CHECKOUT_INVALID, "The relay checkout is refused (" + e.reason()
                    + "): " + e.getMessage(), e);
        }
        CheckoutDocument doc = v.document();
        if (!productCode.equals(doc.license().productCode())) {
            throw new LeaseRejectedException(Reason.WRONG_PRODUCT, "The relay checkout is for product "
                    + doc.license().productCode() + ", not " + productCode);
        }
        switch (v.validity()) {
            case EXPIRED -> throw new LeaseRejectedException(Reason.CHECKOUT_EXPIRED, "The relay checkout ended at "
                    + doc.until());
            case NOT_YET_VALID -> throw new LeaseRejectedException(Reason.CHECKOUT_NOT_YET_VALID,
                    "The license starts at " + doc.license().notBefore());
            default -> {
            }
        }
        if (doc.relayKey() == null) {
            throw new LeaseRejectedException(Reason.NOT_A_RELAY_CHECKOUT,
                    "The checkout certifies no relay key: it is a machine's checkout, not a relay's");
        }
        return v;
    }
}
