package org.licensing.core.checkout;

import org.licensing.core.document.LicenseValidity;

/**
 * A checkout whose signature, type, issuer, license and machine were checked, with its validity at the time given.
 *
 * @param validity VALID while both the license and the checkout run; EXPIRED_IN_GRACE after the license's expiry
 *     while the checkout still runs (it never runs past the grace end); EXPIRED once the checkout ended
 * @param kid the vendor key that signed it
 */
public record VerifiedCheckout(CheckoutDocument document, LicenseValidity validity, String kid) {
}
