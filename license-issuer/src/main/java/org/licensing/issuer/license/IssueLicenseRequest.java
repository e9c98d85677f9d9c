package org.licensing.issuer.license;

import java.time.Instant;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.licensing.issuer.catalog.CatalogDtos;
import org.licensing.issuer.catalog.EntitlementsDto;
import org.licensing.issuer.openapi.Examples;

@Schema(name = "IssueLicenseRequest", description = "Issue a license from a policy; every field after policyId"
        + " overrides the policy default for this license only.",
        example = Examples.ISSUE_LICENSE_REQUEST)
public record IssueLicenseRequest(
        @NotNull UUID customerId,
        @NotNull UUID policyId,
        @Schema(description = "Optional check: must be the policy's product")
        @Pattern(regexp = CatalogDtos.PRODUCT_CODE) String productCode,
        @Schema(description = "Default: now") Instant notBefore,
        @Schema(description = "Absolute expiry; exclusive with durationDays") Instant expiresAt,
        @Schema(description = "Days from notBefore; default: the policy's duration") @Min(1) @Max(3650) Integer durationDays,
        @Min(0) @Max(365) Integer graceDays,
        @Schema(description = "0 = unlimited") @Min(0) @Max(100000) Integer maxActivations,
        @Schema(description = "Entries replace the policy's entries of the same name") @Valid EntitlementsDto entitlements) {
}
