package org.licensing.validator.activation;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A machine of a license as the activation endpoints answer it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "ActivationAnswer")
public record ActivationAnswer(
        @Schema(example = "7d0f6a8e-0c2b-4d8e-9b3a-5f1e2d3c4b5a") String licenseId,
        @Schema(example = "host-7f3a9c") String fingerprint,
        Instant activatedAt,
        Instant lastSeenAt,
        @Schema(description = "With heartbeats: send the next one before this instant or the seat lapses") Instant heartbeatDueBy,
        @Schema(description = "Machines recorded on the license now", example = "3") int activeMachines,
        @Schema(description = "0 = unlimited", example = "5") int maxActivations) {
}
