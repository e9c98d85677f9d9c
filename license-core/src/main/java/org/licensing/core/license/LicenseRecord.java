package org.licensing.core.license;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A license as stored in DynamoDB ({@link LicenseTable}). The issuer owns every field except the activation
 * bookkeeping ({@code activations}, {@code deactivationDay}, {@code deactivationsOnDay}), which the validator owns.
 * {@code version} counts issuer changes only, so machine activations never make a renewal fail with a stale version.
 *
 * <p>Only {@code keyHash} (see the key package) is stored, never the license key.
 *
 * @param graceDays days after {@code expiresAt} during which validation answers EXPIRED with grace remaining
 * @param maxActivations machines that may be active at once; 0 means unlimited
 * @param heartbeatHours an activation not seen for this long stops counting (floating seats); 0 means never
 * @param maxDeactivationsPerDay deactivations allowed per license per UTC day; 0 means unlimited
 * @param overagePercent how far a reported usage may exceed a numeric limit before TOO_MANY_* (0 = none)
 * @param financeEmails the customer's FINANCE contacts at issue time, for expiry reminders
 */
public record LicenseRecord(
        String licenseId,
        String keyHash,
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
        Entitlements entitlements,
        List<String> financeEmails,
        Map<String, Activation> activations,
        String deactivationDay,
        int deactivationsOnDay,
        long version,
        Instant updatedAt) {

    public LicenseRecord {
        Objects.requireNonNull(licenseId, "licenseId");
        Objects.requireNonNull(keyHash, "keyHash");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(productCode, "productCode");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        entitlements = Objects.requireNonNullElse(entitlements, Entitlements.NONE);
        financeEmails = List.copyOf(Objects.requireNonNullElse(financeEmails, List.of()));
        activations = Map.copyOf(Objects.requireNonNullElse(activations, Map.of()));
    }

    /** The UTC day the license expires on: the key of the expiry index the reminders read. */
    public LocalDate expiryDay() {
        return expiryDayOf(expiresAt);
    }

    public static LocalDate expiryDayOf(Instant expiresAt) {
        return LocalDate.ofInstant(expiresAt, ZoneOffset.UTC);
    }

    /** End of the grace period: after it, validation refuses. */
    public Instant graceEndsAt() {
        return expiresAt.plusSeconds(86_400L * graceDays);
    }

    public LicenseRecord withStatus(LicenseStatus newStatus, Instant now) {
        return new LicenseRecord(licenseId, keyHash, customerId, customerName, productCode, productName, policyId,
                newStatus, issuedAt, notBefore, expiresAt, graceDays, maxActivations, heartbeatHours,
                maxDeactivationsPerDay, overagePercent, entitlements, financeEmails, activations, deactivationDay,
                deactivationsOnDay, version + 1, now);
    }

    public LicenseRecord withExpiry(Instant newExpiresAt, Entitlements newEntitlements, Instant now) {
        return new LicenseRecord(licenseId, keyHash, customerId, customerName, productCode, productName, policyId,
                status, issuedAt, notBefore, newExpiresAt, graceDays, maxActivations, heartbeatHours,
                maxDeactivationsPerDay, overagePercent, newEntitlements == null ? entitlements : newEntitlements,
                financeEmails, activations, deactivationDay, deactivationsOnDay, version + 1, now);
    }

    public LicenseRecord withKeyHash(String newKeyHash, Instant now) {
        return new LicenseRecord(licenseId, newKeyHash, customerId, customerName, productCode, productName, policyId,
                status, issuedAt, notBefore, expiresAt, graceDays, maxActivations, heartbeatHours,
                maxDeactivationsPerDay, overagePercent, entitlements, financeEmails, activations, deactivationDay,
                deactivationsOnDay, version + 1, now);
    }
}
