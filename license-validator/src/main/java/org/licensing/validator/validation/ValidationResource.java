package org.licensing.validator.validation;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.licensing.support.async.Async;
import org.licensing.validator.http.JsonBodies;
import org.licensing.validator.openapi.Examples;
import org.licensing.validator.openapi.ValidatorOpenApi;
import org.licensing.validator.ratelimit.ClientAddress;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/** {@code POST /v1/validate}: thin; the logic is in {@link ValidationService} and {@link ValidationFlow}. */
@Path("/v1/validate")
@Tag(name = "Validation", description = "Is this license key good for this product on this machine? One outcome"
        + " code and a signed receipt with an offline lease")
public class ValidationResource {

    private final ValidationService service;
    private final ClientAddress clientAddress;
    private final JsonBodies bodies;

    public ValidationResource(ValidationService service, ClientAddress clientAddress, JsonBodies bodies) {
        this.service = service;
        this.clientAddress = clientAddress;
        this.bodies = bodies;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "validateLicense", summary = "Validate a license key",
            description = "Always 200 with one code (VALID, EXPIRED, SUSPENDED, REVOKED, NOT_FOUND,"
                    + " TOO_MANY_ACTIVATIONS, FINGERPRINT_MISMATCH, PRODUCT_MISMATCH, NOT_YET_VALID, LIMIT_EXCEEDED)"
                    + " and a signed receipt that echoes the nonce; a malformed key is 400 problem+json with code"
                    + " MALFORMED_KEY. The credential is the key in the body (field key): no header is read, so no"
                    + " security scheme applies.")
    @SecurityRequirements
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ValidateRequest.class),
            examples = @ExampleObject(name = "validate", value = Examples.VALIDATE_REQUEST)))
    @APIResponse(responseCode = "200", description = "The outcome code, license facts and signed receipt",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ValidationAnswer.class),
                    examples = {
                        @ExampleObject(name = "valid", value = Examples.VALID_ANSWER),
                        @ExampleObject(name = "notFound", summary = "Unknown id or wrong secret (indistinguishable)",
                                value = Examples.NOT_FOUND_ANSWER)}))
    @APIResponse(responseCode = "400", ref = ValidatorOpenApi.BAD_KEY_OR_BODY)
    @APIResponse(responseCode = "429", ref = ValidatorOpenApi.RATE_LIMITED)
    @APIResponse(responseCode = "503", ref = ValidatorOpenApi.STORE_UNAVAILABLE)
    public Uni<ValidationAnswer> validate(byte[] body, @Context HttpServerRequest http) {
        String client = clientAddress.of(http);
        return Uni.createFrom().deferred(() -> service.validate(bodies.read(body, ValidateRequest.class), client))
                .onFailure().transform(Async::unwrap);
    }
}
