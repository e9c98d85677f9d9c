package org.licensing.issuer.usage;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

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
import org.licensing.issuer.idempotency.Idempotency;
import org.licensing.issuer.idempotency.StoredAnswer;
import org.licensing.issuer.openapi.Examples;
import org.licensing.issuer.openapi.IssuerOpenApi;
import org.licensing.issuer.security.Caller;
import org.licensing.issuer.security.Roles;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;

@Path("/v1/licenses/{id}/usage-reports")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Usage reports", description = "Signed, chained reports of what an air-gapped site's relay leased,"
        + " handed in by a person; verified against the relay key the license's relay checkout certified")
@SecurityRequirement(name = IssuerOpenApi.JWT)
@APIResponse(responseCode = "401", ref = IssuerOpenApi.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = IssuerOpenApi.FORBIDDEN)
public class UsageReportResource {

    /** The media type of a usage report (a JWT: the relay's report file). */
    public static final String MEDIA_TYPE = "application/jwt";

    private final UsageReportService reports;
    private final Idempotency idempotency;
    private final Caller caller;
    private final ObjectMapper json;

    @Context
    UriInfo uri;

    public UsageReportResource(UsageReportService reports, Idempotency idempotency, Caller caller,
            ObjectMapper json) {
        this.reports = reports;
        this.idempotency = idempotency;
        this.caller = caller;
        this.json = json;
    }

    @POST
    @Consumes({MEDIA_TYPE, MediaType.TEXT_PLAIN})
    @RolesAllowed(Roles.LICENSES_WRITE)
    @Operation(operationId = "submitUsageReport", summary = "Hand in a site's usage report",
            description = "The body is the report file the site's relay made (compact JWS, typ usage-report+jwt,"
                    + " signed by the relay key). It is accepted only when a relay checkout of this license certified"
                    + " that key for the site the report names, and when it is the next report of that relay's chain:"
                    + " report_seq one more than the last accepted, prev_report its SHA-256, and its period starting"
                    + " where the last ended. Send a site's reports in order; each is accepted once.")
    @RequestBody(content = {
            @Content(mediaType = MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING),
                    examples = @ExampleObject(name = "report", value = Examples.USAGE_REPORT_JWS)),
            @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING),
                    examples = @ExampleObject(name = "report", value = Examples.USAGE_REPORT_JWS))})
    @APIResponse(responseCode = "201", description = "Accepted into the chain", content = @Content(
            schema = @Schema(implementation = UsageReportView.class),
            examples = @ExampleObject(name = "accepted", value = Examples.USAGE_REPORT)))
    @APIResponse(responseCode = "400", description = "Not a usage report (invalid-request)", content = @Content(
            mediaType = IssuerOpenApi.PROBLEM, schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    @APIResponse(responseCode = "404", ref = IssuerOpenApi.LICENSE_NOT_FOUND)
    @APIResponse(responseCode = "409", description = "usage-report-out-of-sequence (not the next number, or it names"
            + " another report before it), usage-report-gap, usage-report-overlap (members expectedSequence,"
            + " expectedFrom), usage-report-replayed (accepted before), or this Idempotency-Key still running",
            content = @Content(mediaType = IssuerOpenApi.PROBLEM, schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA),
                    examples = @ExampleObject(name = "gap", value = Examples.USAGE_REPORT_GAP_PROBLEM)))
    @APIResponse(responseCode = "413", ref = IssuerOpenApi.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "415", description = "Not application/jwt or text/plain", content = @Content(
            mediaType = IssuerOpenApi.PROBLEM, schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    @APIResponse(responseCode = "422", description = "usage-report-license-mismatch (for another license or"
            + " product), relay-key-not-certified (no relay checkout of this license certified the signing key for"
            + " the site or checkout the report names), usage-report-signature-invalid (altered or forged), or"
            + " Idempotency-Key reused with another body", content = @Content(mediaType = IssuerOpenApi.PROBLEM,
            schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    public Uni<Response> submit(@PathParam("id") String id, String body,
            @Parameter(description = "Retries with the same key get the first answer; without one, the same report"
                    + " again is usage-report-replayed") @HeaderParam(Idempotency.KEY_HEADER) String key) {
        return idempotency.respond(caller.subject(), key, "POST", uri.getPath(), body, () -> reports
                .submit(id, body, caller)
                .map(v -> StoredAnswer.of(json, 201, v, "/v1/licenses/" + v.licenseId() + "/usage-reports")));
    }

    @GET
    @RolesAllowed(Roles.LICENSES_READ)
    @Operation(operationId = "listUsageReports", summary = "List a license's usage reports",
            description = "Each relay's chain (its last accepted report, and the number, previous hash and start the"
                    + " next report must carry) and the latest reports, newest period first.")
    @APIResponse(responseCode = "200", description = "Chains and reports", content = @Content(
            schema = @Schema(implementation = UsageReportsView.class),
            examples = @ExampleObject(name = "reports", value = Examples.USAGE_REPORTS)))
    @APIResponse(responseCode = "400", ref = IssuerOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = IssuerOpenApi.LICENSE_NOT_FOUND)
    public Uni<UsageReportsView> list(@PathParam("id") String id,
            @Parameter(description = "How many reports (1-1000)") @QueryParam("limit") @DefaultValue("100")
            @Min(1) @Max(1000) int limit) {
        return reports.list(id, limit, caller);
    }
}
