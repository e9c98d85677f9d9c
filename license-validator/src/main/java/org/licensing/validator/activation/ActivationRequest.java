package org.licensing.validator.activation;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.licensing.validator.openapi.Examples;

/**
 * Body of {@code POST /v1/activations}; the key may come in the body or in {@code Authorization: License <key>}.
 * Unknown fields are refused (400).
 */
@Schema(name = "ActivationRequest", description = "The machine to activate on the license the key opens")
public record ActivationRequest(
        @Schema(description = "License key; or send it as header Authorization: License <key>",
                example = Examples.KEY) String key,
        @Schema(required = true, description = "Machine fingerprint, 1-128 printable ASCII",
                example = Examples.FINGERPRINT) String fingerprint,
        @Schema(description = "Product code; when given it must match the license",
                example = Examples.PRODUCT_CODE) String productCode) {
}
