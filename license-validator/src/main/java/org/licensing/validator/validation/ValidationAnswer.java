package org.licensing.validator.validation;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.licensing.core.license.Entitlements;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Answer of {@code POST /v1/validate} (always HTTP 200). License facts ({@code licenseId}, {@code expiresAt},
 * {@code entitlements}...) are present only when the key opened the license; a NOT_FOUND answer carries only
 * {@code code}, {@code detail} and {@code receipt}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "ValidationAnswer")
public record ValidationAnswer(
        @Schema(example = "VALID") ValidationCode code,
        @Schema(example = "License is valid.") String detail,
        @Schema(example = "7d0f6a8e-0c2b-4d8e-9b3a-5f1e2d3c4b5a") String licenseId,
        Instant expiresAt,
        @Schema(description = "End of the grace period: after it, EXPIRED refuses") Instant graceEndsAt,
        @Schema(description = "Seconds of grace left, with code EXPIRED while the product may keep running") Long graceRemainingSeconds,
        Entitlements entitlements,
        @Schema(description = "With LIMIT_EXCEEDED: the limit that was exceeded", example = "gpus") String limit,
        @Schema(description = "With LIMIT_EXCEEDED: the most that limit allows, overage included", example = "8") Long allowed,
        @Schema(description = "Run offline until then; absent when the answer permits no use") Instant leaseUntil,
        @Schema(description = "JWS (EdDSA, typ validation-receipt+jwt) over nonce, code, fingerprint, license_id, lease_until")
        String receipt) {
}
