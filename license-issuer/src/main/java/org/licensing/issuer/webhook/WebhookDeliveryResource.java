package org.licensing.issuer.webhook;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.licensing.issuer.openapi.Examples;
import org.licensing.issuer.openapi.IssuerOpenApi;
import org.licensing.issuer.security.BackOfficeOnly;
import org.licensing.issuer.security.Roles;
import org.licensing.issuer.support.Ids;
import org.licensing.support.problem.Problems;

import io.smallrye.mutiny.Uni;

@Path("/v1/webhook-endpoints/{id}")
@BackOfficeOnly
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks")
@SecurityRequirement(name = IssuerOpenApi.JWT)
@APIResponse(responseCode = "401", ref = IssuerOpenApi.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = IssuerOpenApi.FORBIDDEN)
public class WebhookDeliveryResource {

    /** The most deliveries one range replay queues. */
    static final int MAX_REPLAY = 10_000;
    private static final Set<String> STATES = Set.of("PENDING", "DELIVERED", "DEAD");

    private final WebhookEndpointService endpoints;
    private final DeliveryStore deliveries;
    private final Clock clock;

    public WebhookDeliveryResource(WebhookEndpointService endpoints, DeliveryStore deliveries, Clock clock) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.clock = clock;
    }

    @GET
    @Path("deliveries")
    @RolesAllowed(Roles.WEBHOOKS_ADMIN)
    @Operation(operationId = "listWebhookDeliveries", summary = "The endpoint's delivery log, newest first",
            description = "Each delivery of an event: state, attempts, the last attempt's answer code, latency or"
                    + " error, and when it is tried next. Page with before = the last id of the previous page.")
    @APIResponse(responseCode = "200", description = "One page of deliveries", content = @Content(
            schema = @Schema(implementation = DeliveryView.class, type = SchemaType.ARRAY),
            examples = @ExampleObject(name = "log", value = Examples.WEBHOOK_DELIVERIES)))
    @APIResponse(responseCode = "400", ref = IssuerOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = IssuerOpenApi.WEBHOOK_ENDPOINT_NOT_FOUND)
    public Uni<List<DeliveryView>> deliveries(@PathParam("id") String id,
            @Parameter(schema = @Schema(type = SchemaType.STRING, enumeration = {"PENDING", "DELIVERED", "DEAD"}))
            @QueryParam("state") String state,
            @Parameter(description = "Deliveries with a smaller id") @QueryParam("before") Long before,
            @Parameter(description = "1-500, default 100") @QueryParam("limit") Integer limit) {
        if (state != null && !STATES.contains(state)) {
            throw Problems.badRequest("state: " + state + " is none of " + STATES);
        }
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > 500) {
            throw Problems.badRequest("limit: from 1 to 500");
        }
        UUID endpoint = WebhookEndpointResource.id(id);
        return endpoints.find(endpoint).chain(e -> deliveries.log(endpoint, Optional.ofNullable(state),
                Optional.ofNullable(before), n));
    }

    @POST
    @Path("replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.WEBHOOKS_ADMIN)
    @Operation(operationId = "replayWebhookEvents", summary = "Deliver events again", description = "One event"
            + " (eventId), or the endpoint's subscribed events that occurred in [since, until) (at most 10,000, oldest"
            + " first). Each becomes a new delivery with the event's id (webhook-id), so a receiver that has it"
            + " already deduplicates it. Not idempotent by design: each call queues again.")
    @RequestBody(content = @Content(schema = @Schema(implementation = ReplayRequest.class),
            examples = @ExampleObject(name = "range", value = Examples.WEBHOOK_REPLAY)))
    @APIResponse(responseCode = "202", description = "Queued: how many deliveries", content = @Content(
            examples = @ExampleObject(name = "queued", value = "{\"queued\": 42}")))
    @APIResponse(responseCode = "400", ref = IssuerOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "404", description = "Unknown endpoint or event", content = @Content(
            mediaType = IssuerOpenApi.PROBLEM, schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    @APIResponse(responseCode = "413", ref = IssuerOpenApi.PAYLOAD_TOO_LARGE)
    public Uni<jakarta.ws.rs.core.Response> replay(@PathParam("id") String id, @NotNull ReplayRequest body) {
        UUID endpoint = WebhookEndpointResource.id(id);
        Instant now = clock.instant();
        Uni<Integer> queued;
        if (body.eventId() != null) {
            if (body.since() != null || body.until() != null) {
                throw Problems.badRequest("Give either eventId or since/until, not both");
            }
            UUID event = Ids.parseUuid(body.eventId()).orElseThrow(() -> Problems.notFound("Event " + body.eventId()));
            queued = endpoints.find(endpoint).chain(e -> deliveries.replayEvent(endpoint, event, now)).invoke(n -> {
                if (n == 0) {
                    throw Problems.notFound("Event " + body.eventId());
                }
            });
        } else {
            if (body.since() == null) {
                throw Problems.badRequest("since: required without eventId");
            }
            Instant until = body.until() == null ? now : body.until();
            if (!until.isAfter(body.since())) {
                throw Problems.badRequest("until: must be after since");
            }
            queued = endpoints.find(endpoint)
                    .chain(e -> deliveries.replayRange(endpoint, body.since(), until, MAX_REPLAY, now));
        }
        return queued.map(n -> jakarta.ws.rs.core.Response.accepted(Map.of("queued", n)).build());
    }
}
