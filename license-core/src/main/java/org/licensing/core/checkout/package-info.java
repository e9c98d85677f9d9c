/**
 * Checkouts: license files bound to one machine or cluster and to the license key, for air-gapped sites.
 *
 * <p>A site writes a {@link org.licensing.core.checkout.CheckoutRequest} (no secret), a person carries it to the
 * vendor, the issuer answers a checkout file ({@link org.licensing.core.checkout.CheckoutFiles}): a JWS signed by
 * the vendor ({@code typ checkout+jwt}, claims {@link org.licensing.core.checkout.CheckoutDocument}) inside a JWE
 * whose key is derived from the license key and the fingerprint, so only the key holder on that machine opens it.
 * A machine that is retired writes a {@link org.licensing.core.checkout.CheckoutReturn} that frees the seat.
 */
package org.licensing.core.checkout;
