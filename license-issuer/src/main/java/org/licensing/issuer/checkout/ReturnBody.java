package org.licensing.issuer.checkout;

import jakarta.validation.constraints.NotNull;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code POST /v1/licenses/{id}/checkouts/returns}.
 *
 * @param returnFile the return file the product wrote (licensing.checkout-return.v1): its text, or the object
 */
@Schema(name = "CheckoutReturn")
public record ReturnBody(
        @NotNull @Schema(description = "The return file the product wrote (licensing.checkout-return.v1): its text as"
                + " a string, or the object", implementation = Object.class) JsonNode returnFile) {
}
