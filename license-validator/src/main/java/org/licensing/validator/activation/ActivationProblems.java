package org.licensing.validator.activation;

import java.time.Instant;

import org.licensing.core.problem.ProblemType;
import org.licensing.support.problem.Problems;
import org.licensing.validator.validation.ValidationCode;

import io.quarkiverse.resteasy.problem.HttpProblem;

/** The problems of machine activation. */
final class ActivationProblems {

    private ActivationProblems() {
    }

    static HttpProblem tooManyActivations(int max) {
        return Problems.builder(ProblemType.TOO_MANY_ACTIVATIONS,
                        "The license allows " + max + " active machines; deactivate one first.")
                .with("code", ValidationCode.TOO_MANY_ACTIVATIONS.name())
                .with("maxActivations", max)
                .build();
    }

    static HttpProblem activationNotFound() {
        return Problems.builder(ProblemType.ACTIVATION_NOT_FOUND,
                        "This machine is not an active machine of the license.")
                .with("code", ValidationCode.FINGERPRINT_MISMATCH.name())
                .build();
    }

    /** The seat is an air-gapped machine's checkout: it is freed by the checkout's return or end, not online. */
    static HttpProblem checkoutSeat() {
        return Problems.builder(ProblemType.CHECKOUT_SEAT,
                        "This machine's seat is held by a checkout; return the checkout (return file or the issuer)"
                                + " to free it.")
                .build();
    }

    static HttpProblem deactivationLimit(int max, Instant opensAt, long retryAfterSeconds) {
        return Problems.builder(ProblemType.DEACTIVATION_LIMIT, "The license allows " + max
                        + " deactivations per day; the next is possible at " + opensAt + ".")
                .with("opensAt", opensAt.toString())
                .withHeader("Retry-After", retryAfterSeconds)
                .build();
    }

    /** Too many concurrent changes to one license in a row: the client retries. */
    static HttpProblem busy() {
        return Problems.builder(ProblemType.LICENSE_BUSY,
                        "The license was changed concurrently too many times; retry.")
                .withHeader("Retry-After", 1)
                .build();
    }
}
