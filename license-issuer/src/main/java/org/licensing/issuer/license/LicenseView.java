package org.licensing.issuer.license;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.licensing.issuer.catalog.EntitlementsDto;
import org.licensing.issuer.openapi.Examples;
import org.licensing.store.Activation;
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
        Instant updatedAt,
        @Schema(description = "The machines activated now, oldest first: only in the answer of GET /v1/licenses/{id}"
                + " (the validator keeps them current; audit events and other answers carry the count only)")
        List<MachineView> activationDetails) {

    /** One activated machine as the validator last recorded it. */
    @Schema(name = "ActivatedMachine")
    public record MachineView(String fingerprint, Instant activatedAt, Instant lastSeenAt) {
    }

    public static LicenseView of(LicenseRecord r, String licenseKey) {
        return new LicenseView(r.licenseId(), licenseKey, r.customerId(), r.customerName(), r.productCode(),
                r.productName(), r.policyId(), r.status(), r.issuedAt(), r.notBefore(), r.expiresAt(), r.graceDays(),
                r.maxActivations(), r.heartbeatHours(), r.maxDeactivationsPerDay(), r.overagePercent(),
                EntitlementsDto.of(r.entitlements()), r.activations().size(), r.financeEmails(), r.version(),
                r.updatedAt(), null);
    }

    /** The single-license view: also lists the activated machines (fingerprint, activated, last seen). */
    public static LicenseView withMachines(LicenseRecord r) {
        LicenseView v = of(r, null);
        List<MachineView> machines = r.activations().values().stream()
                .sorted(Comparator.comparing(Activation::activatedAt).thenComparing(Activation::fingerprint))
                .map(a -> new MachineView(a.fingerprint(), a.activatedAt(), a.lastSeenAt()))
                .toList();
        return new LicenseView(v.licenseId, null, v.customerId, v.customerName, v.productCode, v.productName,
                v.policyId, v.status, v.issuedAt, v.notBefore, v.expiresAt, v.graceDays, v.maxActivations,
                v.heartbeatHours, v.maxDeactivationsPerDay, v.overagePercent, v.entitlements, v.activations,
                v.financeEmails, v.version, v.updatedAt, machines);
    }

    public static LicenseView of(LicenseRecord r) {
        return of(r, null);
    }
}
