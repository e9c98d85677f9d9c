package org.licensing.relay.usage;

import org.licensing.core.problem.ProblemType;

/**
 * A requested period does not continue the report chain (a gap or an overlap), or is no period to report (empty, or
 * ending in the future). The problem type is the one the issuer answers for the same fault, so a site's operator
 * meets one name for it whether the relay or the vendor refuses: {@code usage-report-gap},
 * {@code usage-report-overlap}, or {@code invalid-request} for a period that is not one.
 */
public final class ReportSequenceException extends RuntimeException {

    private final ProblemType type;

    public ReportSequenceException(ProblemType type, String message) {
        super(message, null, false, false);
        this.type = type;
    }

    public ProblemType type() {
        return type;
    }
}
