package org.licensing.relay.lease;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.licensing.core.checkout.Fingerprint;
import org.licensing.core.problem.ProblemType;
import org.licensing.relay.engine.Relay;
import org.licensing.relay.http.RelayProblems;
import org.licensing.relay.http.RelayService;
import org.licensing.relay.openapi.RelayOpenApi;

/**
 * {@code /v1/leases}: thin; the pool, the log and the signing are {@link Relay}'s. The site's network is the
 * boundary (NetworkPolicy): nodes send no credential; a lease id (random UUID) plus the node's fingerprint is what
 * heartbeats and releases it.
 */
@Path("/v1/leases")
@Tag(name = "Leases", description = "Nodes lease quantities of the site's pool, extend them with heartbeats and"
        + " release them")
@SecurityRequirements
public class LeaseResource {

    private final RelayService service;

    public LeaseResource(RelayService service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createLease", summary = "Lease quantities for a node",
            description = "Grants the quantities when every one fits under the checkout's limit and the node count"
                    + " under its machine limit, and answers a lease signed by the relay key, recorded in the usage"
                    + " log (on disk) before the answer. A node holds one lease: asking again replaces it.")
    @APIResponse(responseCode = "201", description = "Granted",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = LeaseAnswerDto.class)))
    @APIResponse(responseCode = "400", ref = RelayOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "409", description = "A quantity is exhausted (pool-exhausted: members quantity,"
            + " requested, available, limit) or all nodes the license allows hold a lease (too-many-activations)",
            content = @Content(mediaType = RelayOpenApi.PROBLEM, schema = @Schema(ref = RelayOpenApi.PROBLEM_SCHEMA)))
    @APIResponse(responseCode = "503", ref = RelayOpenApi.NOT_SERVING)
    public Response create(@Valid LeaseRequest request) {
        String node = fingerprint(request.fingerprint());
        Relay.LeaseAnswer a;
        try {
            a = service.relay().lease(node, nonce(request.nonce()), request.quantities());
        } catch (IllegalArgumentException e) {
            throw RelayProblems.of(ProblemType.INVALID_REQUEST, e.getMessage());
        }
        return Response.created(URI.create("/v1/leases/" + a.lease().id())).entity(dto(a, request.nonce())).build();
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "heartbeatLease", summary = "Extend a lease (heartbeat)",
            description = "Extends the lease by the lease time from now (never past the checkout's end) and answers"
                    + " it signed with the new nonce.")
    @APIResponse(responseCode = "200", description = "Extended",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = LeaseAnswerDto.class)))
    @APIResponse(responseCode = "400", ref = RelayOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "404", description = "No live lease with this id for this node (released, ended,"
            + " never granted): request a new one",
            content = @Content(mediaType = RelayOpenApi.PROBLEM, schema = @Schema(ref = RelayOpenApi.PROBLEM_SCHEMA)))
    @APIResponse(responseCode = "503", ref = RelayOpenApi.NOT_SERVING)
    public LeaseAnswerDto heartbeat(@PathParam("id") UUID id, @Valid HeartbeatRequest request) {
        Relay.LeaseAnswer a = service.relay().heartbeat(id, fingerprint(request.fingerprint()), nonce(request.nonce()));
        return dto(a, request.nonce());
    }

    @DELETE
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "releaseLease", summary = "Release a lease",
            description = "Gives the lease's quantities back to the pool; recorded before the answer.")
    @APIResponse(responseCode = "204", description = "Released")
    @APIResponse(responseCode = "400", ref = RelayOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "404", description = "No live lease with this id for this node",
            content = @Content(mediaType = RelayOpenApi.PROBLEM, schema = @Schema(ref = RelayOpenApi.PROBLEM_SCHEMA)))
    @APIResponse(responseCode = "503", ref = RelayOpenApi.NOT_SERVING)
    public void release(@PathParam("id") UUID id, @QueryParam("fingerprint") @NotBlank String fingerprint) {
        service.relay().release(id, fingerprint(fingerprint));
    }

    private static String fingerprint(String fp) {
        if (!Fingerprint.isWellFormed(fp)) {
            throw RelayProblems.of(ProblemType.INVALID_REQUEST,
                    "fingerprint must be 1-128 printable ASCII characters without spaces");
        }
        return fp;
    }

    private static String nonce(String nonce) {
        if (!Fingerprint.isWellFormed(nonce)) {
            throw RelayProblems.of(ProblemType.INVALID_REQUEST,
                    "nonce must be 1-128 printable ASCII characters without spaces");
        }
        return nonce;
    }

    private static LeaseAnswerDto dto(Relay.LeaseAnswer a, String nonce) {
        return new LeaseAnswerDto(a.lease().id(), a.lease().node(), nonce, a.lease().until(), a.lease().quantities(),
                a.token(), a.checkoutJws(), a.checkoutFile());
    }
}
