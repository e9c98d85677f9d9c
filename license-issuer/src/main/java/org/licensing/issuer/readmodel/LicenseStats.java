package org.licensing.issuer.readmodel;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.licensing.issuer.openapi.Examples;

/**
 * Counts over the licenses a search matches: by status (every status, zeros included), by product (the products
 * present), the non-revoked licenses expiring within 7, 30, 60 and 90 days ({@code now <= expiresAt < now + N}), and
 * the non-revoked licenses expiring in this calendar quarter (from now) and in the next one (UTC quarters, keyed
 * {@code 2027-Q1}).
 */
@Schema(name = "LicenseStats", example = Examples.LICENSE_STATS)
public record LicenseStats(Map<String, Long> byStatus, Map<String, Long> byProduct,
        Map<String, Long> expiringWithin, Map<String, Long> expiringByQuarter) {
}
