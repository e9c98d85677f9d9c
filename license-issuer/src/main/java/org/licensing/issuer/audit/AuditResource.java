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
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.licensing.issuer.license.LicenseService;
import org.licensing.support.problem.Problems;
import org.licensing.issuer.security.Caller;
import org.licensing.issuer.security.Roles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;

@Path("/v1/audit-events")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit")
@SecurityRequirement(name = "jwt")
public class AuditResource {

    private final AuditLog audit;
    private final LicenseService licenses;
    private final Caller caller;
    private final ObjectMapper json;

    public AuditResource(AuditLog audit, LicenseService licenses, Caller caller, ObjectMapper json) {
        this.audit = audit;
        this.licenses = licenses;
        this.caller = caller;
        this.json = json;
    }

    @Schema(name = "AuditEvent")
    public record AuditEventView(String id, Instant occurredAt, String actor, String action, String targetType,
            String targetId, String customerId, JsonNode before, JsonNode after, String reason, String clientAddress,
            AuditEvent.Outcome outcome, Instant completedAt) {
    }

    @GET
    @RolesAllowed({Roles.LICENSES_READ, Roles.CATALOG_ADMIN})
    @Operation(summary = "Audit events, newest first", description = "Of one license (licenseId) or, for back-office"
            + " tokens, of everything. outcome PENDING for more than a few seconds marks a change whose DynamoDB"
            + " write may or may not have happened (crash): compare with the license's version.")
    public Uni<List<AuditEventView>> events(@QueryParam("licenseId") String licenseId,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit) {
        if (licenseId == null) {
            if (caller.isPortal()) {
                throw Problems.badRequest("licenseId is required");
            }
            return audit.recent(limit).map(this::views);
        }
        return licenses.get(licenseId, caller)
                .chain(r -> audit.forTarget(AuditLog.LICENSE, r.licenseId(), limit)).map(this::views);
    }

    private List<AuditEventView> views(List<AuditEvent> events) {
        return events.stream().map(e -> new AuditEventView(e.id.toString(), e.occurredAt, e.actor, e.action,
                e.targetType, e.targetId, e.customerId, tree(e.beforeState), tree(e.afterState), e.reason, e.clientAddress,
                e.outcome, e.completedAt)).toList();
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
