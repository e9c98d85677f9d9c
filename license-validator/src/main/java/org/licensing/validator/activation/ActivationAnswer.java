package org.licensing.validator.activation;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.licensing.validator.openapi.Examples;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A machine of a license as the activation endpoints answer it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "ActivationAnswer", description = "An active machine of a license")
public record ActivationAnswer(
        @Schema(required = true, example = Examples.LICENSE_ID) String licenseId,
        @Schema(required = true, example = Examples.FINGERPRINT) String fingerprint,
        @Schema(required = true) Instant activatedAt,
        @Schema(required = true) Instant lastSeenAt,
        @Schema(description = "With heartbeats: send the next one before this instant or the seat lapses")
        Instant heartbeatDueBy,
        @Schema(description = "Machines recorded on the license now", example = Examples.ACTIVE_MACHINES)
        int activeMachines,
        @Schema(description = "0 = unlimited", example = Examples.MAX_ACTIVATIONS) int maxActivations) {
}
