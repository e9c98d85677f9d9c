package org.licensing.validator.validation;

import java.time.Duration;
import java.math.BigDecimal;
import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.licensing.core.license.Entitlements;
import org.licensing.store.LicenseRecord;
import org.licensing.validator.openapi.Examples;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Answer of {@code POST /v1/validate} (always HTTP 200). License facts ({@code licenseId}, {@code expiresAt},
 * {@code entitlements}...) are present only when the key opened the license; a NOT_FOUND answer carries only
 * {@code code}, {@code detail} and {@code receipt}. Built by {@link #notFound} or {@link #of}, never positionally.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "ValidationAnswer", description = "One outcome code, the license facts when the key opened a license,"
        + " and the signed receipt")
public record ValidationAnswer(
        @Schema(required = true, example = Examples.CODE) ValidationCode code,
        @Schema(required = true, example = Examples.DETAIL) String detail,
        @Schema(example = Examples.LICENSE_ID) String licenseId,
        Instant expiresAt,
        @Schema(description = "End of the grace period: after it, EXPIRED refuses") Instant graceEndsAt,
        @Schema(description = "Seconds of grace left, with code EXPIRED while the product may keep running")
        Long graceRemainingSeconds,
        Entitlements entitlements,
        @Schema(description = "With LIMIT_EXCEEDED: the limit that was exceeded", example = Examples.LIMIT)
        String limit,
        @Schema(description = "With LIMIT_EXCEEDED: the most that limit allows, overage included",
                example = Examples.ALLOWED) BigDecimal allowed,
        @Schema(description = "Run offline until then; absent when the answer permits no use") Instant leaseUntil,
        @Schema(required = true, description = "JWS (EdDSA, typ validation-receipt+jwt) over nonce, code, product,"
                + " fingerprint, license_id, lease_until") String receipt) {

    /** The detail of every NOT_FOUND answer, and of the activation endpoints' 404. */
    public static final String NOT_FOUND_DETAIL = "No license matches this key.";

    /** The key opened no license (unknown id or wrong secret, indistinguishable): code, detail and receipt only. */
    public static ValidationAnswer notFound(String receipt) {
        return new Builder(ValidationCode.NOT_FOUND, NOT_FOUND_DETAIL, receipt).build();
    }

    /**
     * The key opened {@code license} and the check list said {@code result} at {@code now}: the license facts, the
     * limit for LIMIT_EXCEEDED, the grace left for EXPIRED within grace, and {@code leaseUntil} when the result
     * permits use.
     */
    public static ValidationAnswer of(LicenseRecord license, CheckResult result, Instant now, Instant leaseUntil,
            String receipt) {
        Builder answer = new Builder(result.code(), result.detail(), receipt);
        answer.licenseId = license.licenseId();
        answer.expiresAt = license.expiresAt();
        answer.graceEndsAt = license.graceEndsAt();
        answer.entitlements = license.entitlements();
        answer.limit = result.limit();
        answer.allowed = result.allowed();
        if (result.permitsUse()) {
            answer.leaseUntil = leaseUntil;
            if (result.code() == ValidationCode.EXPIRED) {
                answer.graceRemainingSeconds = Duration.between(now, license.graceEndsAt()).toSeconds();
            }
        }
        return answer.build();
    }

    /** The optional members by name; what is not set stays absent from the JSON. */
    private static final class Builder {
        private final ValidationCode code;
        private final String detail;
        private final String receipt;
        private String licenseId;
        private Instant expiresAt;
        private Instant graceEndsAt;
        private Long graceRemainingSeconds;
        private Entitlements entitlements;
        private String limit;
        private BigDecimal allowed;
        private Instant leaseUntil;

        private Builder(ValidationCode code, String detail, String receipt) {
            this.code = code;
            this.detail = detail;
            this.receipt = receipt;
        }

        private ValidationAnswer build() {
            return new ValidationAnswer(code, detail, licenseId, expiresAt, graceEndsAt, graceRemainingSeconds,
                    entitlements, limit, allowed, leaseUntil, receipt);
        }
    }
}
