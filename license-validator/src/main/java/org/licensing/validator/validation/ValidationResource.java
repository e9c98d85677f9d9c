package org.licensing.validator.validation;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.licensing.validator.http.JsonBodies;
import org.licensing.support.async.Async;
import org.licensing.validator.ratelimit.ClientAddress;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/** {@code POST /v1/validate}: thin; the logic is in {@link ValidationService} and {@link ValidationFlow}. */
@Path("/v1/validate")
@Tag(name = "validation")
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
    @Operation(summary = "Validate a license key",
            description = "Always 200 with one code (VALID, EXPIRED, SUSPENDED, REVOKED, NOT_FOUND, TOO_MANY_ACTIVATIONS,"
                    + " FINGERPRINT_MISMATCH, PRODUCT_MISMATCH, NOT_YET_VALID, LIMIT_EXCEEDED) and a signed receipt;"
                    + " a malformed key is 400 problem+json with code MALFORMED_KEY.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(implementation = ValidateRequest.class), examples = @ExampleObject(name = "validate",
            value = "{\"key\":\"LK1-...\",\"productCode\":\"gpu-orchestrator\",\"nonce\":\"b7c1e9a2f04d4f0c\","
                    + "\"fingerprint\":\"host-7f3a9c\",\"usage\":{\"gpus\":8}}")))
    @APIResponse(responseCode = "200", description = "Validation answer", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "valid", value = "{\"code\":\"VALID\","
                    + "\"detail\":\"License is valid.\",\"licenseId\":\"7d0f6a8e-0c2b-4d8e-9b3a-5f1e2d3c4b5a\","
                    + "\"expiresAt\":\"2027-01-01T00:00:00Z\",\"graceEndsAt\":\"2027-01-15T00:00:00Z\","
                    + "\"entitlements\":{\"features\":{\"mig\":true},\"limits\":{\"gpus\":8}},"
                    + "\"leaseUntil\":\"2026-11-27T06:00:00Z\",\"receipt\":\"eyJraWQiOi...\"}")))
    @APIResponse(responseCode = "400", description = "Malformed key or body (problem+json)")
    @APIResponse(responseCode = "429", description = "Rate limited (problem+json, Retry-After)")
    @APIResponse(responseCode = "503", description = "License store unreachable and license not cached (problem+json)")
    public Uni<ValidationAnswer> validate(byte[] body, HttpServerRequest http) {
        String client = clientAddress.of(http);
        return Uni.createFrom().deferred(() -> service.validate(bodies.read(body, ValidateRequest.class), client))
                .onFailure().transform(Async::unwrap);
    }
}
