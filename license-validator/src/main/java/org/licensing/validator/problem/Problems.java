package org.licensing.validator.problem;

import java.net.URI;

import jakarta.ws.rs.core.Response;

import org.licensing.core.key.MalformedLicenseKeyException;
import org.licensing.validator.license.StoreHealth;
import org.licensing.validator.ratelimit.RateLimitedException;
import org.licensing.validator.validation.ValidationCode;

import io.quarkiverse.resteasy.problem.HttpProblem;

/**
 * Every error this service answers, as problem+json (RFC 9457) with a stable {@code type}
 * ({@value #BASE}{@code <slug>}). Never a class name or stack trace.
 */
public final class Problems {

    public static final String BASE = "https://licensing.dev/problems/";

    private Problems() {
    }

    public static HttpProblem badRequest(String detail) {
        return HttpProblem.builder()
                .withType(URI.create(BASE + "invalid-request"))
                .withTitle("Invalid request")
                .withStatus(Response.Status.BAD_REQUEST)
                .withDetail(detail)
                .build();
    }

    public static HttpProblem malformedKey(MalformedLicenseKeyException e) {
        return HttpProblem.builder()
                .withType(URI.create(BASE + "malformed-key"))
                .withTitle("Malformed license key")
                .withStatus(Response.Status.BAD_REQUEST)
                .withDetail(e.getMessage())
                .with("code", ValidationCode.MALFORMED_KEY.name())
                .with("reason", e.reason().name())
                .build();
    }

    public static HttpProblem malformedKey(String detail) {
        return HttpProblem.builder()
                .withType(URI.create(BASE + "malformed-key"))
                .withTitle("Malformed license key")
                .withStatus(Response.Status.BAD_REQUEST)
                .withDetail(detail)
                .with("code", ValidationCode.MALFORMED_KEY.name())
                .with("reason", "EMPTY")
                .build();
    }

    /** Activation endpoints: the key does not open a license (unknown id or wrong secret, indistinguishable). */
    public static HttpProblem licenseNotFound() {
        return HttpProblem.builder()
                .withType(URI.create(BASE + "license-not-found"))
                .withTitle("License not found")
                .withStatus(Response.Status.NOT_FOUND)
                .withDetail("No license matches this key.")
                .with("code", ValidationCode.NOT_FOUND.name())
                .build();
    }

    /** Activation endpoints: the license refuses (REVOKED, SUSPENDED, EXPIRED, NOT_YET_VALID, PRODUCT_MISMATCH). */
    public static HttpProblem licenseRefused(ValidationCode code, String detail) {
        return HttpProblem.builder()
                .withType(URI.create(BASE + "license-not-usable"))
                .withTitle("License cannot be used")
                .withStatus(Response.Status.FORBIDDEN)
                .withDetail(detail)
                .with("code", code.name())
                .build();
    }

    public static HttpProblem tooManyActivations(int max) {
        return HttpProblem.builder()
                .withType(URI.create(BASE + "too-many-activations"))
                .withTitle("Activation limit reached")
                .withStatus(Response.Status.CONFLICT)
                .withDetail("The license allows " + max + " active machines; deactivate one first.")
                .with("code", ValidationCode.TOO_MANY_ACTIVATIONS.name())
                .with("maxActivations", max)
                .build();
    }

    public static HttpProblem activationNotFound() {
        return HttpProblem.builder()
                .withType(URI.create(BASE + "activation-not-found"))
                .withTitle("Machine not activated")
                .withStatus(Response.Status.NOT_FOUND)
                .withDetail("This machine is not an active machine of the license.")
                .with("code", ValidationCode.FINGERPRINT_MISMATCH.name())
                .build();
    }

    public static HttpProblem deactivationLimit(int max, java.time.Instant opensAt, long retryAfterSeconds) {
        return HttpProblem.builder()
                .withType(URI.create(BASE + "deactivation-limit"))
                .withTitle("Deactivation limit reached")
                .withStatus(Response.Status.TOO_MANY_REQUESTS)
                .withDetail("The license allows " + max + " deactivations per day; the next is possible at " + opensAt + ".")
                .with("opensAt", opensAt.toString())
                .withHeader("Retry-After", retryAfterSeconds)
                .build();
    }

    public static HttpProblem rateLimited(RateLimitedException e) {
        return HttpProblem.builder()
                .withType(URI.create(BASE + "rate-limited"))
                .withTitle("Too many requests")
                .withStatus(Response.Status.TOO_MANY_REQUESTS)
                .withDetail(e.getMessage() + " Retry after " + e.retryAfterSeconds() + " s.")
                .withHeader("Retry-After", e.retryAfterSeconds())
                .build();
    }

    /** Too many concurrent changes to one license in a row: the client retries. */
    public static HttpProblem busy() {
        return HttpProblem.builder()
                .withType(URI.create(BASE + "license-busy"))
                .withTitle("License busy")
                .withStatus(Response.Status.SERVICE_UNAVAILABLE)
                .withDetail("The license was changed concurrently too many times; retry.")
                .withHeader("Retry-After", 1)
                .build();
    }

    /** Maps failures of the reactive pipelines: known ones to their problem, everything else unchanged. */
    public static Throwable translate(Throwable t) {
        Throwable cause = StoreHealth.unwrap(t);
        if (cause instanceof RateLimitedException r) {
            return rateLimited(r);
        }
        return cause;
    }
}
