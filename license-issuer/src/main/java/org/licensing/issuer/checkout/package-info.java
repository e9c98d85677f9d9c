/**
 * Checkouts: license files for air-gapped machines, bound to one fingerprint and to the license key (license-core's
 * {@code org.licensing.core.checkout} format), each holding a seat of the license until it ends or is returned.
 */
package org.licensing.issuer.checkout;
