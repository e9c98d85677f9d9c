package org.licensing.validator.activation;

import java.time.Duration;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.licensing.store.Activation;
import org.licensing.store.LicenseRecord;
import org.licensing.support.async.Async;
import org.licensing.validator.http.JsonBodies;
import org.licensing.validator.openapi.Examples;
import org.licensing.validator.openapi.ValidatorOpenApi;
import org.licensing.validator.ratelimit.ClientAddress;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * Machine activations. The license key is the credential: in the body ({@code key}) of POST, or in
 * {@code Authorization: License <key>} for every endpoint (the {@value #LICENSE_KEY} security scheme).
 */
@Path("/v1/activations")
@Tag(name = "Activations", description = "Machines of a license: activate, heartbeat (floating seats), deactivate."
        + " The activation limit holds under any concurrency")
@SecurityScheme(securitySchemeName = ActivationResource.LICENSE_KEY, type = SecuritySchemeType.APIKEY,
        in = SecuritySchemeIn.HEADER, apiKeyName = HttpHeaders.AUTHORIZATION,
        description = "The license key as `Authorization: License <key>`. The key is the credential of every"
                + " validator endpoint that needs one: POST /v1/activations also takes it in the body (field key),"
                + " POST /v1/validate only there.")
public class ActivationResource {

    /** Name of the security scheme: the license key in the Authorization header. */
    static final String LICENSE_KEY = "licenseKey";
    static final String SCHEME = "License ";
    private static final String PROBLEM_JSON = "application/problem+json";

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
    @Operation(operationId = "activateMachine", summary = "Activate a machine",
            description = "201 when added, 200 when the machine was already active (its lastSeenAt is refreshed)."
                    + " The key comes in the body (field key) or, when the body has none, in the Authorization"
                    + " header.")
    @SecurityRequirementsSet(@SecurityRequirement(name = LICENSE_KEY))
    @SecurityRequirementsSet // or the key in the body
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ActivationRequest.class),
            examples = @ExampleObject(name = "activate", value = Examples.ACTIVATION_REQUEST)))
    @APIResponse(responseCode = "201", description = "Activated: the machine now counts against the limit",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ActivationAnswer.class),
                    examples = @ExampleObject(name = "activated", value = Examples.ACTIVATION)))
    @APIResponse(responseCode = "200", description = "Already active: lastSeenAt refreshed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ActivationAnswer.class),
                    examples = @ExampleObject(name = "alreadyActive", value = Examples.ACTIVATION)))
    @APIResponse(responseCode = "400", ref = ValidatorOpenApi.BAD_KEY_OR_BODY)
    @APIResponse(responseCode = "403", description = "The license cannot be used: revoked, suspended, expired past"
            + " grace, not yet valid or for another product (code names which)",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(ref = "HttpProblem"),
                    examples = @ExampleObject(name = "revoked", value = Examples.LICENSE_NOT_USABLE_PROBLEM)))
    @APIResponse(responseCode = "404", description = "No license matches this key (unknown id or wrong secret)",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(ref = "HttpProblem"),
                    examples = @ExampleObject(name = "licenseNotFound", value = Examples.LICENSE_NOT_FOUND_PROBLEM)))
    @APIResponse(responseCode = "409", description = "Activation limit reached (code TOO_MANY_ACTIVATIONS)",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(ref = "HttpProblem"),
                    examples = @ExampleObject(name = "tooManyActivations",
                            value = Examples.TOO_MANY_ACTIVATIONS_PROBLEM)))
    @APIResponse(responseCode = "429", ref = ValidatorOpenApi.RATE_LIMITED)
    @APIResponse(responseCode = "503", ref = ValidatorOpenApi.STORE_UNAVAILABLE_OR_BUSY)
    public Uni<Response> activate(byte[] body,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpServerRequest http) {
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
    @Operation(operationId = "heartbeatMachine", summary = "Heartbeat of an active machine",
            description = "Refreshes lastSeenAt. With a heartbeat policy, a machine not seen for heartbeatHours"
                    + " stops counting and must activate again (404 until then).")
    @SecurityRequirement(name = LICENSE_KEY)
    @APIResponse(responseCode = "200", description = "Seen: lastSeenAt is now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ActivationAnswer.class),
                    examples = @ExampleObject(name = "seen", value = Examples.HEARTBEAT)))
    @APIResponse(responseCode = "400", ref = ValidatorOpenApi.BAD_KEY_OR_FINGERPRINT)
    @APIResponse(responseCode = "404", ref = ValidatorOpenApi.MACHINE_NOT_ACTIVE)
    @APIResponse(responseCode = "429", ref = ValidatorOpenApi.RATE_LIMITED)
    @APIResponse(responseCode = "503", ref = ValidatorOpenApi.STORE_UNAVAILABLE)
    public Uni<ActivationAnswer> heartbeat(
            @Parameter(description = "Machine fingerprint (1-128 printable ASCII)", example = Examples.FINGERPRINT)
            @PathParam("fingerprint") String fingerprint,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpServerRequest http) {
        String client = clientAddress.of(http);
        return Uni.createFrom().deferred(() -> service.heartbeat(keyFrom(authorization), fingerprint, client))
                .map(ActivationResource::answer)
                .onFailure().transform(Async::unwrap);
    }

    @DELETE
    @Path("/{fingerprint}")
    @Operation(operationId = "deactivateMachine", summary = "Deactivate a machine",
            description = "Frees its seat. Deactivations per license per UTC day are bounded by the policy: past the"
                    + " bound, 429 with Retry-After and opensAt.")
    @SecurityRequirement(name = LICENSE_KEY)
    @APIResponse(responseCode = "204", description = "Deactivated: the seat is free")
    @APIResponse(responseCode = "400", ref = ValidatorOpenApi.BAD_KEY_OR_FINGERPRINT)
    @APIResponse(responseCode = "404", ref = ValidatorOpenApi.MACHINE_NOT_ACTIVE)
    @APIResponse(responseCode = "429", description = "Deactivation limit for today reached (opensAt says when the"
            + " next is possible), or too many requests for this key or client address",
            headers = @Header(name = "Retry-After", description = "Seconds to wait before retrying",
                    schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(ref = "HttpProblem"), examples = {
                @ExampleObject(name = "deactivationLimit", value = Examples.DEACTIVATION_LIMIT_PROBLEM),
                @ExampleObject(name = "rateLimited", value = Examples.RATE_LIMITED_PROBLEM)}))
    @APIResponse(responseCode = "503", ref = ValidatorOpenApi.STORE_UNAVAILABLE_OR_BUSY)
    public Uni<Response> deactivate(
            @Parameter(description = "Machine fingerprint (1-128 printable ASCII)", example = Examples.FINGERPRINT)
            @PathParam("fingerprint") String fingerprint,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpServerRequest http) {
        String client = clientAddress.of(http);
        return Uni.createFrom().deferred(() -> service.deactivate(keyFrom(authorization), fingerprint, client))
                .map(ignored -> Response.noContent().build())
                .onFailure().transform(Async::unwrap);
    }

    /** The key of {@code Authorization: License <key>} (scheme case-insensitive), or null. */
    static String keyFrom(String authorization) {
        if (authorization == null) {
            return null;
        }
        String a = authorization.trim();
        return a.regionMatches(true, 0, SCHEME, 0, SCHEME.length()) ? a.substring(SCHEME.length()).trim() : null;
    }

    static ActivationAnswer answer(ActivationService.Activated a) {
        LicenseRecord l = a.license();
        Activation act = a.activation();
        return new ActivationAnswer(l.licenseId(), act.fingerprint(), act.activatedAt(), act.lastSeenAt(),
                l.heartbeatHours() > 0 ? act.lastSeenAt().plus(Duration.ofHours(l.heartbeatHours())) : null,
                l.activations().size(), l.maxActivations());
    }
}
