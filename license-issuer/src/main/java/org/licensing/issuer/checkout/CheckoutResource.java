package org.licensing.issuer.checkout;

import java.util.List;
import java.util.function.Supplier;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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

@Path("/v1/licenses/{id}/checkouts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Checkouts", description = "License files for air-gapped machines, bound to one machine and to the"
        + " license key; each holds a seat until it ends or is returned")
@SecurityRequirement(name = IssuerOpenApi.JWT)
@APIResponse(responseCode = "401", ref = IssuerOpenApi.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = IssuerOpenApi.FORBIDDEN)
public class CheckoutResource {

    private static final String IDEMPOTENCY_KEY_DESCRIPTION = "Retries with the same key get the first answer";

    private final CheckoutService checkouts;
    private final Idempotency idempotency;
    private final Caller caller;
    private final ObjectMapper json;

    @Context
    UriInfo uri;

    public CheckoutResource(CheckoutService checkouts, Idempotency idempotency, Caller caller, ObjectMapper json) {
        this.checkouts = checkouts;
        this.idempotency = idempotency;
        this.caller = caller;
        this.json = json;
    }

    @POST
    @RolesAllowed(Roles.LICENSES_WRITE)
    @Operation(operationId = "checkOutLicense", summary = "Check out a license for an air-gapped machine",
            description = "From the checkout request the machine wrote (fingerprint, product, license id): a license"
                    + " file bound to that fingerprint and to the license key (JWE dir/A256GCM under HKDF of the"
                    + " key's hash and the fingerprint, around a checkout+jwt JWS), running durationDays from now."
                    + " It takes a seat (maxActivations counts activations and checkouts together) until it ends or"
                    + " is returned; the same machine checking out again keeps its seat and gets a higher seq.")
    @RequestBody(content = @Content(schema = @Schema(implementation = CheckoutBody.class),
            examples = @ExampleObject(name = "checkout", value = Examples.CHECKOUT_BODY)))
    @APIResponse(responseCode = "201", description = "The checkout and its file (answered only here)",
            content = @Content(schema = @Schema(implementation = IssuedCheckout.class),
                    examples = @ExampleObject(name = "issued", value = Examples.ISSUED_CHECKOUT)))
    @APIResponse(responseCode = "400", description = "A malformed checkout request (fingerprint, members, size)"
            + " or a duration past the policy's maxCheckoutDays or the license's expiry + grace (invalid-request)",
            content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    @APIResponse(responseCode = "404", description = "Unknown, or another customer's", content = @Content(
            mediaType = IssuerOpenApi.PROBLEM, schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    @APIResponse(responseCode = "409", description = "license-suspended, license-revoked, too-many-activations"
            + " (every seat taken), or a request with this Idempotency-Key still running",
            content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    @APIResponse(responseCode = "413", ref = IssuerOpenApi.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "422", description = "A request for another license or product"
            + " (checkout-request-mismatch), or Idempotency-Key reused with another body",
            content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    public Uni<Response> checkOut(@PathParam("id") String id, @Valid @NotNull CheckoutBody body,
            @Parameter(description = IDEMPOTENCY_KEY_DESCRIPTION) @HeaderParam(Idempotency.KEY_HEADER) String key) {
        return idempotent("POST", key, body, () -> checkouts.checkOut(id, body, caller)
                .map(c -> StoredAnswer.of(json, 201, c, "/v1/licenses/" + c.licenseId() + "/checkouts")));
    }

    @GET
    @RolesAllowed(Roles.LICENSES_READ)
    @Operation(operationId = "listCheckouts", summary = "List a license's checkouts",
            description = "The latest checkout of each machine, newest first: ACTIVE (holds a seat), RETURNED or"
                    + " ENDED. Earlier checkouts of a machine are in the license's audit trail.")
    @APIResponse(responseCode = "200", description = "The checkouts", content = @Content(
            schema = @Schema(type = SchemaType.ARRAY, implementation = CheckoutView.class)))
    @APIResponse(responseCode = "404", description = "Unknown, or another customer's", content = @Content(
            mediaType = IssuerOpenApi.PROBLEM, schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    public Uni<List<CheckoutView>> list(@PathParam("id") String id) {
        return checkouts.list(id, caller);
    }

    @DELETE
    @Path("{fingerprint}")
    @RolesAllowed(Roles.LICENSES_WRITE)
    @Operation(operationId = "returnCheckout", summary = "Return a machine's checkout",
            description = "An operator frees the seat of the machine's latest checkout (the machine is gone, or its"
                    + " file deleted). The file itself keeps opening on that machine until it ends: prefer the"
                    + " machine's return file (returnCheckoutFile).")
    @APIResponse(responseCode = "200", description = "Returned", content = @Content(
            schema = @Schema(implementation = CheckoutView.class)))
    @APIResponse(responseCode = "400", ref = IssuerOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "404", description = "Unknown license, another customer's, or no unreturned"
            + " checkout of that machine (checkout-not-found)", content = @Content(
            mediaType = IssuerOpenApi.PROBLEM, schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    @APIResponse(responseCode = "409", description = "Changed meanwhile, or a request with this Idempotency-Key"
            + " still running", content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    public Uni<Response> returnCheckout(@PathParam("id") String id, @PathParam("fingerprint") String fingerprint,
            @Parameter(description = "Why, for the audit log (up to 500 characters)") @QueryParam("reason")
            String reason,
            @Parameter(description = IDEMPOTENCY_KEY_DESCRIPTION) @HeaderParam(Idempotency.KEY_HEADER) String key) {
        if (reason != null && reason.length() > 500) {
            throw org.licensing.support.problem.Problems.badRequest("reason is longer than 500 characters");
        }
        return idempotent("DELETE", key, reason, () -> checkouts.returnByFingerprint(id, fingerprint, reason, caller)
                .map(v -> StoredAnswer.of(json, 200, v, null)));
    }

    @POST
    @Path("returns")
    @RolesAllowed(Roles.LICENSES_WRITE)
    @Operation(operationId = "returnCheckoutFile", summary = "Return a checkout with the machine's return file",
            description = "The product on the retired machine deleted its checkout and wrote a return file, MAC'd"
                    + " with a key derived from the license key and its fingerprint; it is checked against the"
                    + " stored key hash and frees the seat. The same file again changes nothing.")
    @RequestBody(content = @Content(schema = @Schema(implementation = ReturnBody.class),
            examples = @ExampleObject(name = "return", value = Examples.CHECKOUT_RETURN_BODY)))
    @APIResponse(responseCode = "200", description = "Returned", content = @Content(
            schema = @Schema(implementation = CheckoutView.class)))
    @APIResponse(responseCode = "400", description = "Not a return file (invalid-request)", content = @Content(
            mediaType = IssuerOpenApi.PROBLEM, schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    @APIResponse(responseCode = "404", description = "Unknown, or another customer's", content = @Content(
            mediaType = IssuerOpenApi.PROBLEM, schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    @APIResponse(responseCode = "409", description = "Changed meanwhile, or a request with this Idempotency-Key"
            + " still running", content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    @APIResponse(responseCode = "413", ref = IssuerOpenApi.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "422", description = "Not authentic (another key, another machine, altered), for"
            + " another license, or not the machine's latest checkout (invalid-checkout-return)", content = @Content(
            mediaType = IssuerOpenApi.PROBLEM, schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    public Uni<Response> returnFile(@PathParam("id") String id, @Valid @NotNull ReturnBody body,
            @Parameter(description = IDEMPOTENCY_KEY_DESCRIPTION) @HeaderParam(Idempotency.KEY_HEADER) String key) {
        return idempotent("POST", key, body, () -> checkouts.returnByFile(id, body, caller)
                .map(v -> StoredAnswer.of(json, 200, v, null)));
    }

    private Uni<Response> idempotent(String method, String key, Object body, Supplier<Uni<StoredAnswer>> action) {
        return idempotency.respond(caller.subject(), key, method, uri.getPath(), body, action);
    }
}
