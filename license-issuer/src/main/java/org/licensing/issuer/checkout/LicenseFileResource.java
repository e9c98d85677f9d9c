package org.licensing.issuer.checkout;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.licensing.issuer.openapi.IssuerOpenApi;
import org.licensing.issuer.security.Caller;
import org.licensing.issuer.security.Roles;

import io.smallrye.mutiny.Uni;

/**
 * The license file bound to no machine. It exists only where the license's policy opts in
 * ({@code allowUnboundFiles}): such a file runs on any number of machines, so it is a bearer credential for whoever
 * holds the key. Everyone else makes checkouts.
 */
@Path("/v1/licenses/{id}/file")
@Tag(name = "Checkouts")
@SecurityRequirement(name = IssuerOpenApi.JWT)
@APIResponse(responseCode = "401", ref = IssuerOpenApi.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = IssuerOpenApi.FORBIDDEN)
public class LicenseFileResource {

    private final CheckoutService checkouts;
    private final Caller caller;

    public LicenseFileResource(CheckoutService checkouts, Caller caller) {
        this.checkouts = checkouts;
        this.caller = caller;
    }

    @GET
    @Produces({IssuedCheckout.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @RolesAllowed(Roles.LICENSES_WRITE)
    @Operation(operationId = "getLicenseFile", summary = "Download a license file bound to no machine",
            description = "Only where the license's policy allows unbound files (allowUnboundFiles, off by default):"
                    + " a checkout without fp, encrypted for the license key (only the key holder opens it), running"
                    + " to the license's expiry + grace; it takes no seat. Role licenses:write, since every file is"
                    + " a new credential. Everyone else makes a checkout for the machine (checkOutLicense)."
                    + " Accept: application/json gives the checkout's metadata with the file.")
    @APIResponse(responseCode = "200", description = "application/jose (the JWE) or JSON (IssuedCheckout)",
            content = @Content(mediaType = IssuedCheckout.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = "Unknown, or another customer's", content = @Content(
            mediaType = IssuerOpenApi.PROBLEM, schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    @APIResponse(responseCode = "409", description = "unbound-files-disabled (the policy does not allow them),"
            + " license-suspended, license-revoked, or the license has ended", content = @Content(
            mediaType = IssuerOpenApi.PROBLEM, schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    public Uni<Response> file(@PathParam("id") String id, @HeaderParam("Accept") String accept) {
        boolean wrap = accept != null && accept.contains(MediaType.APPLICATION_JSON)
                && !accept.contains(IssuedCheckout.MEDIA_TYPE);
        return checkouts.unboundFile(id, caller).map(file -> wrap
                ? Response.ok(file, MediaType.APPLICATION_JSON_TYPE).build()
                : Response.ok(file.file(), IssuedCheckout.MEDIA_TYPE)
                        .header("Content-Disposition", "attachment; filename=\"" + file.fileName() + "\"")
                        .header("Cache-Control", "no-store")
                        .build());
    }
}
