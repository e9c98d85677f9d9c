package org.licensing.issuer.audit;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
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
            + " license (licenseId) or, for back-office tokens, of everything. outcome PENDING for more than a few"
            + " seconds marks a change whose DynamoDB write may or may not have happened (crash): compare with the"
            + " license's version.")
    @APIResponse(responseCode = "200", description = "The events, newest first", content = @Content(
            schema = @Schema(implementation = AuditEventView.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "400", ref = IssuerOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "404", description = "The license is unknown or another customer's",
            content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    public Uni<List<AuditEventView>> events(
            @Parameter(description = "Only this license's events; required for portal tokens")
            @QueryParam("licenseId") String licenseId,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit) {
        if (licenseId == null) {
            if (caller.isPortal()) {
                throw Problems.badRequest("licenseId is required");
            }
            return audit.recent(limit).map(this::views);
        }
        return licenses.visibleLicense(licenseId, caller)
                .chain(r -> audit.forTarget(AuditTarget.LICENSE, r.licenseId(), limit)).map(this::views);
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
