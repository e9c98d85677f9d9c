package org.licensing.issuer.audit;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.licensing.core.problem.ProblemType;
import org.licensing.core.search.InvalidFilterException;
import org.licensing.core.search.QueryValues;
import org.licensing.issuer.openapi.IssuerOpenApi;
import org.licensing.issuer.security.Caller;
import org.licensing.issuer.security.LicenseVisibility;
import org.licensing.issuer.security.Roles;
import org.licensing.support.problem.Problems;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;

@Path("/v1/audit-events")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit", description = "Who changed what, when, from where: every catalog and license change")
@SecurityRequirement(name = IssuerOpenApi.JWT)
@APIResponse(responseCode = "401", ref = IssuerOpenApi.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = IssuerOpenApi.FORBIDDEN)
public class AuditResource {

    private final AuditLog audit;
    private final LicenseVisibility licenses;
    private final Caller caller;
    private final ObjectMapper json;

    @Context
    UriInfo uri;

    public AuditResource(AuditLog audit, LicenseVisibility licenses, Caller caller, ObjectMapper json) {
        this.audit = audit;
        this.licenses = licenses;
        this.caller = caller;
        this.json = json;
    }

    @Schema(name = "AuditEvent")
    public record AuditEventView(String id, Instant occurredAt, String actor, AuditAction action,
            AuditTarget targetType, String targetId, String customerId, JsonNode before, JsonNode after,
            String reason, String clientAddress, AuditState outcome, Instant completedAt) {
    }

    @GET
    @RolesAllowed({Roles.LICENSES_READ, Roles.CATALOG_ADMIN})
    @Operation(operationId = "listAuditEvents", summary = "Audit events, newest first", description = "Of one"
            + " license (licenseId) or, for back-office tokens, of everything, narrowed by any of the filters. A full"
            + " page has a Link header (rel=\"next\") to the older events. outcome PENDING for more than a few"
            + " seconds marks a change whose DynamoDB write may or may not have happened (crash): compare with the"
            + " license's version.")
    @APIResponse(responseCode = "200", description = "The events, newest first (time, then id)",
            headers = @Header(name = "Link", description = "<...&cursor=...>; rel=\"next\" when more may follow",
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(schema = @Schema(implementation = AuditEventView.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "400", ref = IssuerOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "404", description = "The license is unknown or another customer's",
            content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    public Uni<Response> events(
            @Parameter(description = "Only this license's events; required for portal tokens")
            @QueryParam("licenseId") String licenseId,
            @Parameter(description = "Only this actor's (the token's subject or user name, as the events show it)")
            @QueryParam("actor") @Size(max = 255) String actor,
            @Parameter(description = "Only this action, e.g. LICENSE_SUSPENDED") @QueryParam("action") String action,
            @Parameter(description = "Only events about this kind of thing: LICENSE, CUSTOMER, PRODUCT, POLICY")
            @QueryParam("targetType") String targetType,
            @Parameter(description = "Only events about this id (with targetType, or any kind)")
            @QueryParam("targetId") @Size(max = 64) String targetId,
            @Parameter(description = "Only events of this customer") @QueryParam("customerId") @Size(max = 64)
            String customerId,
            @Parameter(description = "From this instant (ISO-8601, inclusive)") @QueryParam("from") String from,
            @Parameter(description = "Before this instant (ISO-8601, exclusive)") @QueryParam("to") String to,
            @Parameter(description = "From a Link header's next page") @QueryParam("cursor") String cursor,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit) {
        AuditSearch.Position after = AuditSearch.Position.decode(cursor);
        AuditAction actionFilter = parse(AuditAction.class, "action", action);
        AuditTarget typeFilter = parse(AuditTarget.class, "targetType", targetType);
        Instant fromFilter = instant("from", from);
        Instant toFilter = instant("to", to);
        Uni<AuditSearch> search;
        if (licenseId == null) {
            if (caller.isPortal()) {
                throw Problems.badRequest("licenseId is required");
            }
            search = Uni.createFrom().item(new AuditSearch(blankToNull(actor), actionFilter, typeFilter,
                    blankToNull(targetId), blankToNull(customerId), fromFilter, toFilter, after));
        } else {
            if (typeFilter != null && typeFilter != AuditTarget.LICENSE) {
                throw Problems.badRequest("targetType: a licenseId query is about LICENSE events only");
            }
            search = licenses.visibleLicense(licenseId, caller).map(r -> new AuditSearch(blankToNull(actor),
                    actionFilter, AuditTarget.LICENSE, r.licenseId(), blankToNull(customerId), fromFilter, toFilter,
                    after));
        }
        return search.chain(s -> audit.search(s, limit)).map(events -> {
            Response.ResponseBuilder answer = Response.ok(views(events));
            if (events.size() == limit) {
                AuditEvent last = events.get(events.size() - 1);
                String next = new AuditSearch.Position(last.occurredAt, last.id).encode();
                answer.link(uri.getRequestUriBuilder().replaceQueryParam("cursor", next).build(), "next");
            }
            return answer.build();
        });
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String name, String value) {
        try {
            return QueryValues.oneOf(type, name, value, false);
        } catch (InvalidFilterException e) {
            throw Problems.badRequest(e.getMessage());
        }
    }

    private static Instant instant(String name, String value) {
        try {
            return QueryValues.instant(name, value);
        } catch (InvalidFilterException e) {
            throw Problems.of(ProblemType.INVALID_DATE, e.getMessage());
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private List<AuditEventView> views(List<AuditEvent> events) {
        return events.stream().map(e -> new AuditEventView(e.id.toString(), e.occurredAt, e.actor, e.action,
                e.targetType, e.targetId, e.customerId, tree(e.beforeState), tree(e.afterState), e.reason,
                e.clientAddress, e.outcome, e.completedAt)).toList();
    }

    private JsonNode tree(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (java.io.IOException e) {
            return json.getNodeFactory().textNode(text);
        }
    }
}
