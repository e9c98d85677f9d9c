package org.licensing.issuer.readmodel;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.licensing.core.license.LicenseStatus;
import org.licensing.issuer.catalog.EntitlementsDto;
import org.licensing.issuer.openapi.Examples;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One license as the read model holds it (a row of {@code license_summaries}): what search, stats and export show.
 * The live record (activations included) is {@code GET /v1/licenses/{id}}.
 */
@Schema(name = "LicenseSummary", example = Examples.LICENSE_SUMMARY)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LicenseSummary(
        String licenseId,
        String customerId,
        String customerName,
        @Schema(description = "The customer's external id (CRM), when it has one") String customerExternalId,
        String productCode,
        String productName,
        String policyId,
        LicenseStatus status,
        Instant issuedAt,
        Instant notBefore,
        Instant expiresAt,
        int graceDays,
        EntitlementsDto entitlements,
        long version,
        Instant updatedAt) {
}
