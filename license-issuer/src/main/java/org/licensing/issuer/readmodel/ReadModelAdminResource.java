package org.licensing.issuer.readmodel;

import java.time.Duration;
import java.time.format.DateTimeParseException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.licensing.issuer.openapi.IssuerOpenApi;
import org.licensing.issuer.security.BackOfficeOnly;
import org.licensing.issuer.security.Roles;
import org.licensing.support.problem.Problems;

import io.smallrye.mutiny.Uni;

/** Operator commands of the read model: run the reconciler now, rebuild the summaries from DynamoDB. */
@Path("/v1/admin")
@BackOfficeOnly
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Operations", description = "Reconcile interrupted license changes; rebuild the license read model")
@SecurityRequirement(name = IssuerOpenApi.JWT)
@APIResponse(responseCode = "401", ref = IssuerOpenApi.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = IssuerOpenApi.FORBIDDEN)
public class ReadModelAdminResource {

    private final Reconciler reconciler;
    private final ReadModelRebuild rebuild;

    public ReadModelAdminResource(Reconciler reconciler, ReadModelRebuild rebuild) {
        this.reconciler = reconciler;
        this.rebuild = rebuild;
    }

    @POST
    @Path("reconcile")
    @RolesAllowed(Roles.CATALOG_ADMIN)
    @Operation(operationId = "reconcileAuditEvents", summary = "Run the reconciler now", description = "Completes"
            + " every license change left PENDING for longer than the bound (licensing.read-model.reconcile-older-than"
            + " unless olderThan says otherwise) from its DynamoDB record: COMMITTED with its summary, or FAILED."
            + " Safe while other replicas reconcile too.")
    @APIResponse(responseCode = "200", description = "What the run did", content = @Content(
            schema = @Schema(implementation = ReconcileRun.class)))
    @APIResponse(responseCode = "400", ref = IssuerOpenApi.BAD_REQUEST)
    public Uni<ReconcileRun> reconcile(
            @Parameter(description = "ISO-8601 duration, e.g. PT10M: only events older than this (at least PT0S)",
                    schema = @Schema(type = SchemaType.STRING, example = "PT2M"))
            @QueryParam("olderThan") String olderThan) {
        Duration bound = reconciler.olderThan();
        if (olderThan != null && !olderThan.isBlank()) {
            try {
                bound = Duration.parse(olderThan.trim());
            } catch (DateTimeParseException e) {
                throw Problems.badRequest("olderThan: not an ISO-8601 duration (e.g. PT10M)");
            }
            if (bound.isNegative()) {
                throw Problems.badRequest("olderThan: must not be negative");
            }
        }
        return reconciler.run(bound);
    }

    @POST
    @Path("read-model/rebuild")
    @RolesAllowed(Roles.CATALOG_ADMIN)
    @Operation(operationId = "rebuildReadModel", summary = "Rebuild the license read model", description = "Rebuilds"
            + " license_summaries from a paginated DynamoDB Scan, in the background. A rebuild already running is"
            + " answered as it is; one whose replica died is resumed after the last page it wrote.")
    @APIResponse(responseCode = "202", description = "Started, resumed, or already running: its progress",
            content = @Content(schema = @Schema(implementation = RebuildView.class)))
    public Uni<Response> startRebuild() {
        return rebuild.start().map(view -> Response.accepted(view).build());
    }

    @GET
    @Path("read-model/rebuild")
    @RolesAllowed(Roles.CATALOG_ADMIN)
    @Operation(operationId = "getReadModelRebuild", summary = "Progress of the latest rebuild")
    @APIResponse(responseCode = "200", description = "The latest rebuild", content = @Content(
            schema = @Schema(implementation = RebuildView.class)))
    @APIResponse(responseCode = "404", description = "No rebuild has run", content = @Content(
            mediaType = IssuerOpenApi.PROBLEM, schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    public Uni<RebuildView> rebuildProgress() {
        return rebuild.progress();
    }
}
