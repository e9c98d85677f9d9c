package org.licensing.issuer.license;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.licensing.issuer.catalog.EntitlementsDto;
import org.licensing.issuer.openapi.Examples;
import org.licensing.store.LicenseRecord;
import org.licensing.core.license.LicenseStatus;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A license as the API shows it. {@code licenseKey} appears only in the issue and regenerate-key answers. */
@Schema(name = "License", example = Examples.LICENSE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LicenseView(
        String licenseId,
        @Schema(description = "Shown once; only a hash is stored") String licenseKey,
        String customerId,
        String customerName,
        String productCode,
        String productName,
        String policyId,
        LicenseStatus status,
        Instant issuedAt,
        Instant notBefore,
        Instant expiresAt,
        int graceDays,
        int maxActivations,
        int heartbeatHours,
        int maxDeactivationsPerDay,
        int overagePercent,
        EntitlementsDto entitlements,
        @Schema(description = "Machines currently activated") int activations,
        List<String> financeEmails,
        long version,
        Instant updatedAt) {

    public static LicenseView of(LicenseRecord r, String licenseKey) {
        return new LicenseView(r.licenseId(), licenseKey, r.customerId(), r.customerName(), r.productCode(),
                r.productName(), r.policyId(), r.status(), r.issuedAt(), r.notBefore(), r.expiresAt(), r.graceDays(),
                r.maxActivations(), r.heartbeatHours(), r.maxDeactivationsPerDay(), r.overagePercent(),
                EntitlementsDto.of(r.entitlements()), r.activations().size(), r.financeEmails(), r.version(),
                r.updatedAt());
    }

    public static LicenseView of(LicenseRecord r) {
        return of(r, null);
    }
}
