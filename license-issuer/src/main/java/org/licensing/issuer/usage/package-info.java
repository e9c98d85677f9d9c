/**
 * Usage reports of air-gapped sites: a site's relay (license-relay) signs numbered, chained reports of lease-time
 * per quantity with the key the issuer certified in its relay checkout; the issuer verifies each against that key and
 * the chain (license-core's {@code org.licensing.core.usage}), stores it with its per-day figures, and a policy may
 * require a site's reports before its relay checkout is renewed.
 */
package org.licensing.issuer.usage;
