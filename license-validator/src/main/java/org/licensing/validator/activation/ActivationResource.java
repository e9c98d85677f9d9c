package org.licensing.validator.activation;

import java.time.Duration;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.licensing.store.LicenseRecord;
import org.licensing.validator.http.JsonBodies;
import org.licensing.support.async.Async;
import org.licensing.validator.ratelimit.ClientAddress;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * Machine activations. The license key is the credential: in the body ({@code key}) of POST, or in
 * {@code Authorization: License <key>} for every endpoint.
 */
@Path("/v1/activations")
@Tag(name = "activations")
public class ActivationResource {

    static final String SCHEME = "License ";
    private static final String EXAMPLE = "{\"licenseId\":\"7d0f6a8e-0c2b-4d8e-9b3a-5f1e2d3c4b5a\",\"fingerprint\":\"host-7f3a9c\","
            + "\"activatedAt\":\"2026-11-26T06:00:00Z\",\"lastSeenAt\":\"2026-11-26T06:00:00Z\",\"activeMachines\":3,"
            + "\"maxActivations\":5}";

    private final ActivationService service;
    private final ClientAddress clientAddress;
    private final JsonBodies bodies;

    public ActivationResource(ActivationService service, ClientAddress clientAddress, JsonBodies bodies) {
        this.service = service;
        this.clientAddress = clientAddress;
        this.bodies = bodies;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Activate a machine", description = "201 when added, 200 when the machine was already active"
            + " (its lastSeenAt is refreshed). 409 TOO_MANY_ACTIVATIONS at the limit; 404 for an unknown key;"
            + " 403 when the license is revoked, suspended, expired past grace, not yet valid or for another product.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(implementation = ActivationRequest.class), examples = @ExampleObject(name = "activate",
            value = "{\"key\":\"LK1-...\",\"fingerprint\":\"host-7f3a9c\",\"productCode\":\"gpu-orchestrator\"}")))
    @APIResponse(responseCode = "201", description = "Activated", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "activated", value = EXAMPLE)))
    @APIResponse(responseCode = "200", description = "Already active")
    @APIResponse(responseCode = "409", description = "Activation limit reached (problem+json)")
    public Uni<Response> activate(byte[] body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            HttpServerRequest http) {
        String client = clientAddress.of(http);
        return Uni.createFrom().deferred(() -> {
            ActivationRequest request = bodies.read(body, ActivationRequest.class);
            String key = request.key() != null ? request.key() : keyFrom(authorization);
            return service.activate(key, request.fingerprint(), request.productCode(), client);
        }).map(a -> Response.status(a.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(answer(a)).build())
                .onFailure().transform(Async::unwrap);
    }

    @POST
    @Path("/{fingerprint}/heartbeat")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Heartbeat of an active machine", description = "Refreshes lastSeenAt. With a heartbeat policy,"
            + " a machine not seen for heartbeatHours stops counting and must activate again (404).")
    @APIResponse(responseCode = "200", description = "Seen", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "seen", value = EXAMPLE)))
    @APIResponse(responseCode = "404", description = "Not an active machine, or unknown key (problem+json)")
    public Uni<ActivationAnswer> heartbeat(@Parameter(example = "host-7f3a9c") @PathParam("fingerprint") String fingerprint,
            @Parameter(description = "License <key>", example = "License LK1-...") @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            HttpServerRequest http) {
        String client = clientAddress.of(http);
        return Uni.createFrom().deferred(() -> service.heartbeat(keyFrom(authorization), fingerprint, client))
                .map(ActivationResource::answer)
                .onFailure().transform(Async::unwrap);
    }

    @DELETE
    @Path("/{fingerprint}")
    @Operation(summary = "Deactivate a machine", description = "Frees its seat. Deactivations per license per UTC day"
            + " are bounded by the policy: past the bound, 429 with Retry-After and opensAt.")
    @APIResponse(responseCode = "204", description = "Deactivated")
    @APIResponse(responseCode = "404", description = "Not an active machine, or unknown key (problem+json)")
    @APIResponse(responseCode = "429", description = "Deactivation limit for today reached (problem+json)")
    public Uni<Response> deactivate(@Parameter(example = "host-7f3a9c") @PathParam("fingerprint") String fingerprint,
            @Parameter(description = "License <key>", example = "License LK1-...") @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            HttpServerRequest http) {
        String client = clientAddress.of(http);
        return Uni.createFrom().deferred(() -> service.deactivate(keyFrom(authorization), fingerprint, client))
                .map(ignored -> Response.noContent().build())
                .onFailure().transform(Async::unwrap);
    }

    static String keyFrom(String authorization) {
        if (authorization == null) {
            return null;
        }
        String a = authorization.trim();
        return a.regionMatches(true, 0, SCHEME, 0, SCHEME.length()) ? a.substring(SCHEME.length()).trim() : null;
    }

    static ActivationAnswer answer(ActivationService.Activated a) {
        LicenseRecord l = a.license();
        var act = a.activation();
        return new ActivationAnswer(l.licenseId(), act.fingerprint(), act.activatedAt(), act.lastSeenAt(),
                l.heartbeatHours() > 0 ? act.lastSeenAt().plus(Duration.ofHours(l.heartbeatHours())) : null,
                l.activations().size(), l.maxActivations());
    }
}
