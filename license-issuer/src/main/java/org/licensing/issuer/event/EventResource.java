package org.licensing.issuer.event;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.licensing.issuer.openapi.Examples;
import org.licensing.issuer.openapi.IssuerOpenApi;
import org.licensing.issuer.security.Caller;
import org.licensing.issuer.security.Roles;

import io.smallrye.mutiny.Uni;

@Path("/v1/events")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Events", description = "Every committed change as an event, in commit order: the feed a consumer"
        + " catches up from (webhooks push the same events)")
@SecurityRequirement(name = IssuerOpenApi.JWT)
@APIResponse(responseCode = "401", ref = IssuerOpenApi.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = IssuerOpenApi.FORBIDDEN)
public class EventResource {

    private final EventFeed feed;
    private final Caller caller;

    @Context
    UriInfo uri;

    public EventResource(EventFeed feed, Caller caller) {
        this.feed = feed;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.LICENSES_READ, Roles.CATALOG_ADMIN})
    @Operation(operationId = "listEvents", summary = "Events after a cursor, oldest first", description = "Store"
            + " nextCursor and call again with it: every event after it, exactly once, in commit order. Without a"
            + " cursor: from the oldest event retention kept. Portal tokens see their own customer's events only.")
    @APIResponse(responseCode = "200", description = "One page of events", content = @Content(
            schema = @Schema(implementation = EventPage.class),
            examples = @ExampleObject(name = "page", value = Examples.EVENT_PAGE)))
    @APIResponse(responseCode = "400", description = "An invalid or unknown parameter (invalid-request, naming it),"
            + " or a malformed cursor (invalid-cursor)", content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    @APIResponse(responseCode = "410", description = "The cursor is older than the events retention kept"
            + " (cursor-expired): catch up from the current state, then read on without a cursor",
            content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    public Uni<EventPage> events(
            @Parameter(description = "The previous page's nextCursor") @QueryParam("cursor") String cursor,
            @Parameter(description = "Repeatable: any of these event types, e.g. license.revoked", schema = @Schema(
                    type = SchemaType.ARRAY, implementation = String.class))
            @QueryParam("type") List<String> type,
            @Parameter(description = "What changed", schema = @Schema(type = SchemaType.STRING, enumeration = {
                "license", "checkout", "customer", "product", "policy"})) @QueryParam("subjectType") String subjectType,
            @Parameter(description = "Its id (needs subjectType)") @QueryParam("subjectId") String subjectId,
            @Parameter(description = "A license's events, its checkouts' included", schema = @Schema(
                    type = SchemaType.STRING, format = "uuid")) @QueryParam("licenseId") String licenseId,
            @Parameter(description = "A customer's events", schema = @Schema(type = SchemaType.STRING,
                    format = "uuid")) @QueryParam("customerId") String customerId,
            @Parameter(description = "Page size, 1-500 (default 100)") @QueryParam("limit") String limit) {
        return feed.page(uri.getQueryParameters(), caller);
    }
}
