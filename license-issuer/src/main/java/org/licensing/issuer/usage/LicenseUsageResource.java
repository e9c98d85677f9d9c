package org.licensing.issuer.usage;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
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

@Path("/v1/licenses/{id}/usage")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Usage reports")
@SecurityRequirement(name = IssuerOpenApi.JWT)
@APIResponse(responseCode = "401", ref = IssuerOpenApi.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = IssuerOpenApi.FORBIDDEN)
public class LicenseUsageResource {

    private final UsageReportService reports;
    private final Caller caller;

    public LicenseUsageResource(UsageReportService reports, Caller caller) {
        this.reports = reports;
        this.caller = caller;
    }

    @GET
    @RolesAllowed(Roles.LICENSES_READ)
    @Operation(operationId = "getLicenseUsage", summary = "A license's reported use per quantity per day",
            description = "From the accepted usage reports: quantity-seconds per quantity per UTC day (summed over"
                    + " reports where two share a day), the day's average in use, and the license's limit of the"
                    + " quantity beside it. Days the sites have not reported are absent.")
    @APIResponse(responseCode = "200", description = "The use", content = @Content(
            schema = @Schema(implementation = LicenseUsageView.class),
            examples = @ExampleObject(name = "usage", value = Examples.LICENSE_USAGE)))
    @APIResponse(responseCode = "400", description = "A malformed date, from after to, or a range over 366 days"
            + " (invalid-date)", content = @Content(mediaType = IssuerOpenApi.PROBLEM,
            schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    @APIResponse(responseCode = "404", ref = IssuerOpenApi.LICENSE_NOT_FOUND)
    public Uni<LicenseUsageView> usage(@PathParam("id") String id,
            @Parameter(description = "First UTC day (YYYY-MM-DD); default: 29 days before to",
                    example = "2026-12-01") @QueryParam("from") String from,
            @Parameter(description = "Last UTC day (YYYY-MM-DD), inclusive; default: today", example = "2026-12-31")
            @QueryParam("to") String to) {
        return reports.usage(id, from, to, caller);
    }
}
