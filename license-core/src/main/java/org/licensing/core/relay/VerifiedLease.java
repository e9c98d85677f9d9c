package org.licensing.core.relay;

import org.licensing.core.checkout.VerifiedCheckout;

/**
 * A lease whose whole chain was checked by {@link LeaseVerifier}.
 *
 * @param lease what the relay granted this node
 * @param checkout the relay checkout that certifies the relay key, with its validity at the time of the check
 */
public record VerifiedLease(LeaseClaims lease, VerifiedCheckout checkout) {
}
