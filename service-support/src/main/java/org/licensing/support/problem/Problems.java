package org.licensing.support.problem;

import org.licensing.core.key.LicenseKey;
import org.licensing.core.key.MalformedLicenseKeyException;
import org.licensing.core.problem.ProblemType;

import io.quarkiverse.resteasy.problem.HttpProblem;

/**
 * Builds the problem+json answers (RFC 9457) of every service from {@link ProblemType}: the status and title come
 * from the type, the detail says what was wrong and what to do. Throw the result: quarkus-resteasy-problem renders
 * it. Never a class name or a stack trace in a body.
 */
public final class Problems {

    private Problems() {
    }

    public static HttpProblem of(ProblemType type, String detail) {
        return builder(type, detail).build();
    }

    /** For problems with extension members ({@code code}, {@code reason}...) or headers ({@code Retry-After}). */
    public static HttpProblem.Builder builder(ProblemType type, String detail) {
        return HttpProblem.builder().withStatus(type.status()).withType(type.uri()).withTitle(type.title())
                .withDetail(detail);
    }

    public static HttpProblem badRequest(String detail) {
        return of(ProblemType.INVALID_REQUEST, detail);
    }

    /** 404 saying that {@code what} (e.g. "License 5f0c...") was not found. */
    public static HttpProblem notFound(String what) {
        return of(ProblemType.NOT_FOUND, what + " was not found");
    }

    public static HttpProblem forbidden(String detail) {
        return of(ProblemType.FORBIDDEN, detail);
    }

    public static HttpProblem staleVersion(String licenseId) {
        return of(ProblemType.STALE_VERSION,
                "License " + licenseId + " was changed by someone else; read it again and retry with its version");
    }

    public static HttpProblem invalidTransition(String detail) {
        return of(ProblemType.INVALID_STATE_TRANSITION, detail);
    }

    /** 400 {@code malformed-license-key} with the parser's {@code reason} (a stable name: CHECKSUM, LENGTH...). */
    public static HttpProblem.Builder malformedLicenseKey(MalformedLicenseKeyException e) {
        return builder(ProblemType.MALFORMED_LICENSE_KEY, e.getMessage()).with("reason", e.reason().name());
    }

    /**
     * The key in {@code text}.
     *
     * @throws HttpProblem 400 {@code malformed-license-key} when it is not a well-formed license key
     */
    public static LicenseKey parseLicenseKey(String text) {
        try {
            return LicenseKey.parse(text);
        } catch (MalformedLicenseKeyException e) {
            throw malformedLicenseKey(e).build();
        }
    }
}
