package org.licensing.issuer.license;

import java.time.Instant;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.licensing.issuer.catalog.EntitlementsDto;
import org.licensing.issuer.openapi.Examples;

@Schema(name = "RenewLicenseRequest", description = "Give exactly one of expiresAt or extendDays. If entitlements"
        + " is given it replaces the license's entitlements.",
        example = Examples.RENEW_LICENSE_REQUEST)
public record RenewLicenseRequest(
        @Schema(description = "The version the change is based on; or send If-Match") @PositiveOrZero Long expectedVersion,
        @Schema(description = "New expiry; must be later than the current one") Instant expiresAt,
        @Schema(description = "Days added to the current expiry") @Min(1) @Max(3650) Integer extendDays,
        @Valid EntitlementsDto entitlements,
        @Schema(description = "Why; kept in the audit log") @Size(max = 500) String reason) {
}
