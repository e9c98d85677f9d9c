package org.licensing.validator.validation;

import java.time.Instant;

/**
 * The outcome of the check list: a code, a human-readable detail, and for some codes extra facts.
 *
 * @param limit the limit name for {@link ValidationCode#LIMIT_EXCEEDED}
 * @param allowed the most the limit allows including overage, for {@link ValidationCode#LIMIT_EXCEEDED}
 * @param leaseCap the latest instant a lease may reach: grace end for VALID / EXPIRED-in-grace, null when refused
 */
public record CheckResult(ValidationCode code, String detail, String limit, Long allowed, Instant leaseCap) {

    public static CheckResult refuse(ValidationCode code, String detail) {
        return new CheckResult(code, detail, null, null, null);
    }

    /** The product may run (with a lease up to {@code leaseCap}). */
    public boolean permitsUse() {
        return leaseCap != null;
    }
}
