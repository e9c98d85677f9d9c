package org.licensing.issuer.license;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.licensing.store.LicenseRecord;
import org.licensing.core.license.LicenseStatus;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A license as the API shows it. {@code licenseKey} appears only in the issue and regenerate-key answers. */
@Schema(name = "License", example = "{\"licenseId\":\"0b8e7f7a-3c1d-4d2e-9f10-6a5b4c3d2e1f\","
        + "\"licenseKey\":\"LK1-0BGQY-...\",\"customerId\":\"3f0f6f7e-5a47-4f0e-9a43-0d3f2f1f9b10\","
        + "\"customerName\":\"Acme GPU Cloud\",\"productCode\":\"gpu-cluster\",\"productName\":\"GPU Cluster Manager\","
        + "\"policyId\":\"9d7c2c0e-7a1b-4c55-8f0e-2b6a1d3c4e5f\",\"status\":\"ACTIVE\","
        + "\"issuedAt\":\"2026-01-01T00:00:00Z\",\"notBefore\":\"2026-01-01T00:00:00Z\","
        + "\"expiresAt\":\"2027-01-01T00:00:00Z\",\"graceDays\":14,\"maxActivations\":3,\"heartbeatHours\":0,"
        + "\"maxDeactivationsPerDay\":5,\"overagePercent\":0,\"entitlements\":{\"features\":{\"sso\":true},"
        + "\"limits\":{\"gpus\":16,\"nodes\":4}},\"activations\":0,\"version\":1,"
        + "\"updatedAt\":\"2026-01-01T00:00:00Z\"}")
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
