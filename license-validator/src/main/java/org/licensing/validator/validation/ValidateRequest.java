package org.licensing.validator.validation;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /v1/validate}. */
@Schema(name = "ValidateRequest")
public record ValidateRequest(
        @Schema(required = true, description = "The license key as pasted by the customer",
                example = "LK1-0A1B2-C3D4E-F5G6H-J7K8M-N9P0Q-R1S2T-V3W4X-Y5Z6A-B7C8D-E9F0G-H1J2K-M3N4P") String key,
        @Schema(required = true, description = "Product code the product was built for", example = "gpu-orchestrator") String productCode,
        @Schema(required = true, description = "Client nonce, echoed in the signed receipt (1-128 printable ASCII)",
                example = "b7c1e9a2f04d4f0c") String nonce,
        @Schema(description = "Machine fingerprint (optional; when given it must be an activated machine)",
                example = "host-7f3a9c") String fingerprint,
        @Schema(description = "Reported usage by limit name, checked against entitlements.limits",
                example = "{\"gpus\": 8, \"nodes\": 2}") Map<String, Long> usage) {
}
