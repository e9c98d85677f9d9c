package org.licensing.validator.validation;

import java.math.BigDecimal;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.licensing.validator.openapi.Examples;

/** Body of {@code POST /v1/validate}; unknown fields are refused (400). */
@Schema(name = "ValidateRequest", description = "A license key to validate, with the caller's nonce")
public record ValidateRequest(
        @Schema(required = true, description = "The license key as pasted by the customer: the credential of this"
                + " request", example = Examples.KEY) String key,
        @Schema(required = true, description = "Product code the product was built for (1-64 printable ASCII)",
                example = Examples.PRODUCT_CODE) String productCode,
        @Schema(required = true, description = "Client nonce, echoed in the signed receipt (1-128 printable ASCII)",
                example = Examples.NONCE) String nonce,
        @Schema(description = "Machine fingerprint (optional; when given it must be an activated machine)",
                example = Examples.FINGERPRINT) String fingerprint,
        @Schema(description = "Reported usage by limit name, checked against entitlements.limits (at most 32)",
                example = Examples.USAGE) Map<String, BigDecimal> usage) {
}
