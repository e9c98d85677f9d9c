package org.licensing.validator.validation;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.licensing.core.license.LicenseStatus;
import org.licensing.store.Activation;
import org.licensing.store.LicenseRecord;

/**
 * The ordered check list (Keygen style): the first check that refuses decides the code. A plain class with no
 * I/O, unit-tested on its own. The key's secret is checked before (a wrong secret is NOT_FOUND).
 *
 * <ol>
 *   <li>REVOKED, SUSPENDED (administrative state);</li>
 *   <li>NOT_YET_VALID (before {@code notBefore});</li>
 *   <li>EXPIRED past the grace period (refused);</li>
 *   <li>PRODUCT_MISMATCH;</li>
 *   <li>TOO_MANY_ACTIVATIONS (more counting machines than allowed, e.g. after the limit was lowered);</li>
 *   <li>FINGERPRINT_MISMATCH (a machine-locked license, {@code maxActivations > 0}, and no fingerprint; or a
 *       fingerprint that is not a counting machine of a license with a limit or recorded activations);</li>
 *   <li>LIMIT_EXCEEDED (reported usage above limit + overage);</li>
 *   <li>EXPIRED within grace (product keeps working until grace ends);</li>
 *   <li>otherwise VALID.</li>
 * </ol>
 */
public final class ValidationFlow {

    private final List<Check> checks = List.of(
            ValidationFlow::status,
            ValidationFlow::notYetValid,
            ValidationFlow::expiredBeyondGrace,
            ValidationFlow::product,
            ValidationFlow::activationCount,
            ValidationFlow::fingerprint,
            ValidationFlow::usage,
            ValidationFlow::expiredInGrace);

    public CheckResult validate(LicenseRecord license, ValidationInput input) {
        for (Check check : checks) {
            Optional<CheckResult> refusal = check.apply(license, input);
            if (refusal.isPresent()) {
                return refusal.get();
            }
        }
        return CheckResult.permit(ValidationCode.VALID, "License is valid.", license.graceEndsAt());
    }

    /**
     * Seats that count against the limit: online activations (with heartbeats only those seen recently) and checkouts
     * that have not ended (license-store's {@code LicenseRecord#countingSeats}).
     */
    public static Map<String, Activation> countingActivations(LicenseRecord license, Instant now) {
        return license.countingSeats(now); // checkouts count until they end, whatever the heartbeat
    }

    static Optional<CheckResult> status(LicenseRecord license, ValidationInput input) {
        if (license.status() == LicenseStatus.REVOKED) {
            return refuse(ValidationCode.REVOKED, "License has been revoked.");
        }
        if (license.status() == LicenseStatus.SUSPENDED) {
            return refuse(ValidationCode.SUSPENDED, "License is suspended.");
        }
        return Optional.empty();
    }

    static Optional<CheckResult> notYetValid(LicenseRecord license, ValidationInput input) {
        return input.now().isBefore(license.notBefore())
                ? refuse(ValidationCode.NOT_YET_VALID, "License is not valid before " + license.notBefore() + ".")
                : Optional.empty();
    }

    static Optional<CheckResult> expiredBeyondGrace(LicenseRecord license, ValidationInput input) {
        return !input.now().isBefore(license.graceEndsAt())
                ? refuse(ValidationCode.EXPIRED, "License expired on " + license.expiresAt()
                        + (license.graceDays() > 0 ? " and its grace period has ended." : "."))
                : Optional.empty();
    }

    static Optional<CheckResult> product(LicenseRecord license, ValidationInput input) {
        return license.productCode().equals(input.productCode())
                ? Optional.empty()
                : refuse(ValidationCode.PRODUCT_MISMATCH, "License is not for this product.");
    }

    static Optional<CheckResult> activationCount(LicenseRecord license, ValidationInput input) {
        int counting = countingActivations(license, input.now()).size();
        return license.maxActivations() > 0 && counting > license.maxActivations()
                ? refuse(ValidationCode.TOO_MANY_ACTIVATIONS, counting + " machines are active; the license allows "
                        + license.maxActivations() + ". Deactivate machines.")
                : Optional.empty();
    }

    static Optional<CheckResult> fingerprint(LicenseRecord license, ValidationInput input) {
        if (input.fingerprint() == null) {
            // Without this a machine-locked license would run on any number of machines that simply omit it.
            return license.maxActivations() > 0
                    ? refuse(ValidationCode.FINGERPRINT_MISMATCH, "This license is locked to " + license.maxActivations()
                            + " activated machine(s): send the machine's fingerprint.")
                    : Optional.empty();
        }
        boolean machineLocked = license.maxActivations() > 0 || !license.activations().isEmpty();
        if (!machineLocked || countingActivations(license, input.now()).containsKey(input.fingerprint())) {
            return Optional.empty();
        }
        return refuse(ValidationCode.FINGERPRINT_MISMATCH, license.activations().containsKey(input.fingerprint())
                ? "This machine's activation lapsed (no heartbeat for " + license.heartbeatHours()
                        + " hours). Activate it again."
                : "This machine is not activated for the license.");
    }

    static Optional<CheckResult> usage(LicenseRecord license, ValidationInput input) {
        for (Map.Entry<String, BigDecimal> used : new TreeMap<>(input.usage()).entrySet()) {
            BigDecimal limit = license.entitlements().limits().get(used.getKey());
            if (limit == null) {
                continue;
            }
            BigDecimal allowed = allowedWithOverage(limit, license.overagePercent());
            if (used.getValue().compareTo(allowed) > 0) { // exact decimals: 16.5 against 16 is over
                return Optional.of(CheckResult.limitExceeded(
                        "Reported " + used.getKey() + " " + used.getValue().toPlainString() + " exceeds the licensed "
                                + limit.toPlainString() + (allowed.compareTo(limit) > 0
                                        ? " (" + allowed.toPlainString() + " with overage)" : "") + ".",
                        used.getKey(), allowed));
            }
        }
        return Optional.empty();
    }

    static Optional<CheckResult> expiredInGrace(LicenseRecord license, ValidationInput input) {
        if (input.now().isBefore(license.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(CheckResult.permit(ValidationCode.EXPIRED, "License expired on " + license.expiresAt()
                + "; grace period ends " + license.graceEndsAt() + ".", license.graceEndsAt()));
    }

    /**
     * {@code limit * (100 + overagePercent) / 100}, never below the limit: exact for a fractional limit, rounded down
     * to a whole number for a whole limit (as whole limits always were).
     */
    public static BigDecimal allowedWithOverage(BigDecimal limit, int overagePercent) {
        if (overagePercent <= 0) {
            return limit;
        }
        BigDecimal allowed = limit.multiply(BigDecimal.valueOf(100L + overagePercent)).movePointLeft(2);
        if (limit.stripTrailingZeros().scale() <= 0) {
            allowed = allowed.setScale(0, RoundingMode.FLOOR);
        }
        BigDecimal shortest = allowed.max(limit).stripTrailingZeros();
        return shortest.scale() < 0 ? shortest.setScale(0) : shortest;
    }

    private static Optional<CheckResult> refuse(ValidationCode code, String detail) {
        return Optional.of(CheckResult.refuse(code, detail));
    }
}
