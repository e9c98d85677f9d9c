package org.licensing.validator.validation;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The outcome of the check list: a code, a human-readable detail, and for some codes extra facts. Built by
 * {@link #refuse}, {@link #permit} or {@link #limitExceeded}.
 *
 * @param limit the limit name for {@link ValidationCode#LIMIT_EXCEEDED}, else null
 * @param allowed the most the limit allows including overage, for {@link ValidationCode#LIMIT_EXCEEDED}, else null
 * @param leaseCap the latest instant a lease may reach: grace end for VALID / EXPIRED-in-grace, null when refused
 */
public record CheckResult(ValidationCode code, String detail, String limit, BigDecimal allowed, Instant leaseCap) {

    /** The product must not run. */
    public static CheckResult refuse(ValidationCode code, String detail) {
        return new CheckResult(code, detail, /* limit */ null, /* allowed */ null, /* leaseCap */ null);
    }

    /** The product may run, with a lease up to {@code leaseCap} (VALID, EXPIRED within grace). */
    public static CheckResult permit(ValidationCode code, String detail, Instant leaseCap) {
        return new CheckResult(code, detail, /* limit */ null, /* allowed */ null, leaseCap);
    }

    /** A reported usage is above {@code allowed} for {@code limit}: refused, and the answer names the limit. */
    public static CheckResult limitExceeded(String detail, String limit, BigDecimal allowed) {
        return new CheckResult(ValidationCode.LIMIT_EXCEEDED, detail, limit, allowed, /* leaseCap */ null);
    }

    /** The product may run (with a lease up to {@code leaseCap}). */
    public boolean permitsUse() {
        return leaseCap != null;
    }
}
