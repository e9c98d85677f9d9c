package org.licensing.validator.activation;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /v1/activations}; the key may come in the body or in {@code Authorization: License <key>}. */
@Schema(name = "ActivationRequest")
public record ActivationRequest(
        @Schema(description = "License key (or send header Authorization: License <key>)", example = "LK1-...") String key,
        @Schema(required = true, description = "Machine fingerprint, 1-128 printable ASCII", example = "host-7f3a9c") String fingerprint,
        @Schema(description = "Product code; when given it must match the license", example = "gpu-orchestrator") String productCode) {
}
