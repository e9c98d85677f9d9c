package org.licensing.validator.ping;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A static answer through the same HTTP stack as {@code /v1/validate}: the benchmark divides validations/s by
 * this endpoint's requests/s, a ratio that holds on a noisy machine.
 */
@Path("/v1/ping")
@Tag(name = "ping")
public class PingResource {

    private static final String PONG = "{\"status\":\"ok\"}";

    @GET
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Trivial static answer (benchmark baseline, liveness from outside)")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "ok", value = PONG)))
    public String ping() {
        return PONG;
    }
}
