package org.licensing.issuer.checkout;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code POST /v1/licenses/{id}/checkouts}.
 *
 * @param request the checkout request the machine wrote: its JSON text as a string, or the JSON object itself
 * @param durationDays how long the checkout runs from now; at most the policy's {@code maxCheckoutDays} and never
 *     past the license's expiry + grace
 */
@Schema(name = "CreateCheckout")
public record CheckoutBody(
        @NotNull @Schema(description = "The checkout request the machine wrote (licensing.checkout-request.v1): its"
                + " text as a string, or the object", implementation = Object.class) JsonNode request,
        @NotNull @Min(1) @Max(3650) Integer durationDays,
        @Schema(description = "Why, for the audit log") @jakarta.validation.constraints.Size(max = 500) String reason) {
}
