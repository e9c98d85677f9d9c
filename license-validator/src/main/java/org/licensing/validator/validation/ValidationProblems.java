package org.licensing.validator.validation;

import org.licensing.core.key.MalformedLicenseKeyException;
import org.licensing.core.problem.ProblemType;
import org.licensing.support.problem.Problems;

import io.quarkiverse.resteasy.problem.HttpProblem;

/** The problems that carry a validation {@code code} (the same codes as a 200 validation answer). */
public final class ValidationProblems {

    private ValidationProblems() {
    }

    public static HttpProblem malformedKey(MalformedLicenseKeyException e) {
        return Problems.malformedLicenseKey(e).with("code", ValidationCode.MALFORMED_KEY.name()).build();
    }

    public static HttpProblem malformedKey(String detail) {
        return Problems.builder(ProblemType.MALFORMED_LICENSE_KEY, detail)
                .with("code", ValidationCode.MALFORMED_KEY.name())
                .with("reason", MalformedLicenseKeyException.Reason.EMPTY.name())
                .build();
    }

    /** Activation endpoints: the key does not open a license (unknown id or wrong secret, indistinguishable). */
    public static HttpProblem licenseNotFound() {
        return Problems.builder(ProblemType.LICENSE_NOT_FOUND, ValidationAnswer.NOT_FOUND_DETAIL)
                .with("code", ValidationCode.NOT_FOUND.name())
                .build();
    }

    /** Activation endpoints: the license refuses (REVOKED, SUSPENDED, EXPIRED, NOT_YET_VALID, PRODUCT_MISMATCH). */
    public static HttpProblem licenseRefused(ValidationCode code, String detail) {
        return Problems.builder(ProblemType.LICENSE_NOT_USABLE, detail).with("code", code.name()).build();
    }
}
