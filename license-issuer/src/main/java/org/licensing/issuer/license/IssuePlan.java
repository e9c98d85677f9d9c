package org.licensing.issuer.license;

import java.util.UUID;

import org.licensing.store.LicenseRecord;

/**
 * Everything an issue will write, decided before anything is written (see {@code Idempotency}). Holds the license
 * key, so it is only ever stored encrypted.
 */
public record IssuePlan(UUID auditEventId, String licenseKey, LicenseRecord record) {
}
