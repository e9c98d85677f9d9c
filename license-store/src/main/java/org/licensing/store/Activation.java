package org.licensing.store;

import java.time.Instant;

/** One machine activated on a license, keyed by the fingerprint the product reports. */
public record Activation(String fingerprint, Instant activatedAt, Instant lastSeenAt) {
}
