package org.licensing.store;

import org.licensing.core.license.LicenseStatus;
import org.licensing.core.license.Entitlements;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A license as stored in DynamoDB ({@link LicenseTable}). The issuer owns every field except the activation
 * bookkeeping ({@code activations}, {@code deactivationDay}, {@code deactivationsOnDay}), which the validator owns.
 * The checkout bookkeeping ({@code checkouts}, {@code checkoutSequence}, and the checkout seats in
 * {@code activations}) is the issuer's, written by {@link CheckoutStore}.
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
 * @param activations the seats by fingerprint: online activations and unreturned checkouts
 * @param checkouts the latest checkout of each fingerprint ever checked out
 * @param checkoutSequence the sequence number of the license's latest checkout (0: none yet)
 * @param pendingEvents how many events wait in the item's outbox for the issuer's import ({@link EventOutbox});
 *        read-only here: writers append them with their change, the importer removes them
 * @param limitExceededDay the UTC day ({@code yyyy-MM-dd}) of the last {@code license.limit-exceeded} event (the
 *        validator's: at most one per license per day), null when none
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
        Map<String, Checkout> checkouts,
        long checkoutSequence,
        long version,
        Instant updatedAt,
        int pendingEvents,
        String limitExceededDay) {

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
        checkouts = Map.copyOf(Objects.requireNonNullElse(checkouts, Map.of()));
    }

    /**
     * The seats that count at {@code now} (what {@code maxActivations} limits): online activations seen within
     * {@code heartbeatHours} (all when 0) and checkouts that have not ended. A returned checkout is no longer in
     * {@code activations}.
     */
    public Map<String, Activation> countingSeats(Instant now) {
        Instant cutoff = heartbeatCutoff(now);
        return activations.entrySet().stream()
                .filter(e -> e.getValue().holds(now, cutoff))
                .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** Online activations last seen before this no longer count; null when the license has no heartbeat. */
    public Instant heartbeatCutoff(Instant now) {
        return heartbeatHours > 0 ? now.minus(java.time.Duration.ofHours(heartbeatHours)) : null;
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

    /** A record changed by the issuer: {@code version} goes up by one and {@code updatedAt} becomes {@code now}. */
    public LicenseRecord withStatus(LicenseStatus newStatus, Instant now) {
        return toBuilder().status(newStatus).changedAt(now).build();
    }

    public LicenseRecord withExpiry(Instant newExpiresAt, Entitlements newEntitlements, Instant now) {
        return toBuilder().expiresAt(newExpiresAt).entitlements(newEntitlements == null ? entitlements : newEntitlements)
                .changedAt(now).build();
    }

    public LicenseRecord withKeyHash(String newKeyHash, Instant now) {
        return toBuilder().keyHash(newKeyHash).changedAt(now).build();
    }

    /** A new record: version 1, no activations. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every field of this record. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.licenseId = licenseId;
        b.keyHash = keyHash;
        b.customerId = customerId;
        b.customerName = customerName;
        b.productCode = productCode;
        b.productName = productName;
        b.policyId = policyId;
        b.status = status;
        b.issuedAt = issuedAt;
        b.notBefore = notBefore;
        b.expiresAt = expiresAt;
        b.graceDays = graceDays;
        b.maxActivations = maxActivations;
        b.heartbeatHours = heartbeatHours;
        b.maxDeactivationsPerDay = maxDeactivationsPerDay;
        b.overagePercent = overagePercent;
        b.entitlements = entitlements;
        b.financeEmails = financeEmails;
        b.activations = activations;
        b.deactivationDay = deactivationDay;
        b.deactivationsOnDay = deactivationsOnDay;
        b.checkouts = checkouts;
        b.checkoutSequence = checkoutSequence;
        b.version = version;
        b.updatedAt = updatedAt;
        b.pendingEvents = pendingEvents;
        b.limitExceededDay = limitExceededDay;
        return b;
    }

    /** Builds a {@link LicenseRecord} by name; the record's constructor checks the required fields. */
    public static final class Builder {
        private String licenseId;
        private String keyHash;
        private String customerId;
        private String customerName;
        private String productCode;
        private String productName;
        private String policyId;
        private LicenseStatus status;
        private Instant issuedAt;
        private Instant notBefore;
        private Instant expiresAt;
        private int graceDays;
        private int maxActivations;
        private int heartbeatHours;
        private int maxDeactivationsPerDay;
        private int overagePercent;
        private Entitlements entitlements = Entitlements.NONE;
        private List<String> financeEmails = List.of();
        private Map<String, Activation> activations = Map.of();
        private String deactivationDay;
        private int deactivationsOnDay;
        private Map<String, Checkout> checkouts = Map.of();
        private long checkoutSequence;
        private long version = 1;
        private Instant updatedAt;
        private int pendingEvents;
        private String limitExceededDay;

        private Builder() {
        }

        public Builder licenseId(String value) {
            this.licenseId = value;
            return this;
        }

        public Builder keyHash(String value) {
            this.keyHash = value;
            return this;
        }

        public Builder customerId(String value) {
            this.customerId = value;
            return this;
        }

        public Builder customerName(String value) {
            this.customerName = value;
            return this;
        }

        public Builder productCode(String value) {
            this.productCode = value;
            return this;
        }

        public Builder productName(String value) {
            this.productName = value;
            return this;
        }

        public Builder policyId(String value) {
            this.policyId = value;
            return this;
        }

        public Builder status(LicenseStatus value) {
            this.status = value;
            return this;
        }

        public Builder issuedAt(Instant value) {
            this.issuedAt = value;
            return this;
        }

        public Builder notBefore(Instant value) {
            this.notBefore = value;
            return this;
        }

        public Builder expiresAt(Instant value) {
            this.expiresAt = value;
            return this;
        }

        public Builder graceDays(int value) {
            this.graceDays = value;
            return this;
        }

        public Builder maxActivations(int value) {
            this.maxActivations = value;
            return this;
        }

        public Builder heartbeatHours(int value) {
            this.heartbeatHours = value;
            return this;
        }

        public Builder maxDeactivationsPerDay(int value) {
            this.maxDeactivationsPerDay = value;
            return this;
        }

        public Builder overagePercent(int value) {
            this.overagePercent = value;
            return this;
        }

        public Builder entitlements(Entitlements value) {
            this.entitlements = value;
            return this;
        }

        public Builder financeEmails(List<String> value) {
            this.financeEmails = value;
            return this;
        }

        public Builder activations(Map<String, Activation> value) {
            this.activations = value;
            return this;
        }

        public Builder deactivationDay(String value) {
            this.deactivationDay = value;
            return this;
        }

        public Builder deactivationsOnDay(int value) {
            this.deactivationsOnDay = value;
            return this;
        }

        public Builder checkouts(Map<String, Checkout> value) {
            this.checkouts = value;
            return this;
        }

        public Builder checkoutSequence(long value) {
            this.checkoutSequence = value;
            return this;
        }

        public Builder version(long value) {
            this.version = value;
            return this;
        }

        public Builder updatedAt(Instant value) {
            this.updatedAt = value;
            return this;
        }

        public Builder pendingEvents(int value) {
            this.pendingEvents = value;
            return this;
        }

        public Builder limitExceededDay(String value) {
            this.limitExceededDay = value;
            return this;
        }

        /** An issuer change at {@code now}: the next version, stamped {@code now}. */
        public Builder changedAt(Instant now) {
            this.version = version + 1;
            this.updatedAt = now;
            return this;
        }

        public LicenseRecord build() {
            return new LicenseRecord(licenseId, keyHash, customerId, customerName, productCode, productName, policyId, status, issuedAt, notBefore, expiresAt, graceDays, maxActivations, heartbeatHours, maxDeactivationsPerDay, overagePercent, entitlements, financeEmails, activations, deactivationDay, deactivationsOnDay, checkouts, checkoutSequence, version, updatedAt, pendingEvents, limitExceededDay);
        }
    }
}
