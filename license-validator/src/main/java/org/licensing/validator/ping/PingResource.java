package org.licensing.validator.ping;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.licensing.validator.openapi.Examples;

import io.smallrye.common.annotation.NonBlocking;

/**
 * A static answer through the same HTTP stack as {@code /v1/validate}: the benchmark divides validations/s by
 * this endpoint's requests/s, a ratio that holds on a noisy machine.
 */
@Path("/v1/ping")
@Tag(name = "Ping", description = "A static answer through the full HTTP stack: the benchmark baseline and a"
        + " liveness check from outside")
public class PingResource {

    private static final String PONG = "{\"status\":\"ok\"}";

    @GET
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "ping", summary = "Trivial static answer",
            description = "Always {\"status\":\"ok\"}; reads nothing, needs no credential.")
    @SecurityRequirements
    @APIResponse(responseCode = "200", description = "The service is up",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    examples = @ExampleObject(name = "ok", value = Examples.PING)))
    @APIResponse(responseCode = "406", description = "The Accept header does not allow application/json",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "HttpProblem"),
                    examples = @ExampleObject(name = "notAcceptable", value = Examples.NOT_ACCEPTABLE_PROBLEM)))
    public String ping() {
        return PONG;
    }
}
