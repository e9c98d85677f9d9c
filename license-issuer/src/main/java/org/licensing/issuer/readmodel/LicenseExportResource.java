package org.licensing.issuer.readmodel;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestMulti;
import org.licensing.issuer.openapi.Examples;
import org.licensing.issuer.openapi.IssuerOpenApi;
import org.licensing.issuer.security.Caller;
import org.licensing.issuer.security.Roles;

/**
 * CSV export of a license search: {@code GET /v1/licenses.csv}, and {@code GET /v1/licenses} with
 * {@code Accept: text/csv} ({@link CsvAcceptRouting} sends that here). Streamed: pages are read as the client
 * consumes them (demand of one chunk at a time).
 */
@Path("/v1/licenses.csv")
@Tag(name = "Licenses")
@SecurityRequirement(name = IssuerOpenApi.JWT)
@APIResponse(responseCode = "401", ref = IssuerOpenApi.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = IssuerOpenApi.FORBIDDEN)
public class LicenseExportResource {

    public static final String CSV = "text/csv";

    private final LicenseSearchService search;
    private final Caller caller;

    @Context
    UriInfo uri;

    public LicenseExportResource(LicenseSearchService search, Caller caller) {
        this.search = search;
        this.caller = caller;
    }

    @GET
    @Produces(CSV)
    @RolesAllowed(Roles.LICENSES_READ)
    @Operation(operationId = "exportLicenses", summary = "Export a license search as CSV", description = "Every"
            + " license the search matches (no page limit; limit and cursor are not used), in the search's sort,"
            + " header row first; limits and features as name=value;... Portal tokens: their own customer's only."
            + " The same as GET /v1/licenses with Accept: text/csv.")
    @APIResponse(responseCode = "200", description = "The CSV, streamed", content = @Content(mediaType = CSV,
            schema = @Schema(type = SchemaType.STRING),
            examples = @ExampleObject(name = "csv", value = Examples.LICENSES_CSV)))
    @APIResponse(responseCode = "400", description = "An invalid parameter (invalid-request, naming it)",
            content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    public RestMulti<String> export(@BeanParam SearchParams params) {
        return RestMulti.fromMultiData(search.export(params, uri.getQueryParameters(), caller))
                .withDemand(1)
                .header("Content-Disposition", "attachment; filename=\"licenses.csv\"")
                .header("Cache-Control", "no-store")
                .build();
    }
}
