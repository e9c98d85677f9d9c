package org.licensing.relay.admin;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.licensing.core.problem.ProblemType;
import org.licensing.relay.engine.RelayStatus;
import org.licensing.relay.http.AdminToken;
import org.licensing.relay.http.RelayProblems;
import org.licensing.relay.http.RelayService;
import org.licensing.relay.ledger.LedgerTamperedException;
import org.licensing.relay.openapi.RelayOpenApi;
import org.licensing.relay.pool.Lease;
import org.licensing.relay.usage.Periods;
import org.licensing.relay.usage.ReportChain;

/** {@code /v1/admin/*}: the site operator's endpoints, behind the admin token ({@link AdminToken}). */
@Path("/v1/admin")
@Tag(name = "Admin", description = "The site operator: checkout request and install, live leases, usage reports")
@SecurityRequirement(name = RelayOpenApi.ADMIN_TOKEN)
public class AdminResource {

    /** Media type of a compact JWS/JWE text (RFC 7519). */
    static final String JWT = "application/jwt";

    private final RelayService service;
    private final AdminToken token;

    public AdminResource(RelayService service, AdminToken token) {
        this.service = service;
        this.token = token;
    }

    @GET
    @Path("/checkout-request")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "checkoutRequest", summary = "This relay's checkout request",
            description = "The JSON text to carry to the vendor: license, product, site fingerprint and the relay's"
                    + " public key (relay_key). Holds no secret.")
    @APIResponse(responseCode = "200", description = "The request (licensing.checkout-request.v1)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponse(responseCode = "401", ref = RelayOpenApi.ADMIN_REFUSED)
    @APIResponse(responseCode = "403", ref = RelayOpenApi.ADMIN_CLOSED)
    @APIResponse(responseCode = "503", ref = RelayOpenApi.NOT_SERVING)
    public String checkoutRequest(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        token.require(authorization);
        return service.relay().checkoutRequest().toJson();
    }

    /** The relay's state after an install. */
    @Schema(name = "InstallResult")
    public record InstallResult(boolean serving, String code, String message) {
    }

    @PUT
    @Path("/checkout")
    @Consumes({JWT, MediaType.TEXT_PLAIN})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "installCheckout", summary = "Install the relay checkout",
            description = "Verifies the vendor's answer (compact JWE) for this relay (vendor keys, site, license key,"
                    + " relay key, product), stores it atomically and serves on it. A renewed checkout (higher seq)"
                    + " replaces the one served; live leases stay.")
    @RequestBody(required = true, content = @Content(mediaType = JWT, schema = @Schema(type =
            org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING)))
    @APIResponse(responseCode = "200", description = "Installed; the relay's state",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = InstallResult.class)))
    @APIResponse(responseCode = "401", ref = RelayOpenApi.ADMIN_REFUSED)
    @APIResponse(responseCode = "403", ref = RelayOpenApi.ADMIN_CLOSED)
    @APIResponse(responseCode = "422", description = "Not a checkout this relay can serve on (member reason; the"
            + " detail says why)",
            content = @Content(mediaType = RelayOpenApi.PROBLEM, schema = @Schema(ref = RelayOpenApi.PROBLEM_SCHEMA)))
    @APIResponse(responseCode = "503", ref = RelayOpenApi.NOT_SERVING)
    public InstallResult installCheckout(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        token.require(authorization);
        if (body == null || body.isBlank()) {
            throw RelayProblems.of(ProblemType.INVALID_REQUEST, "The body must be the checkout (compact JWE)");
        }
        RelayStatus s = service.relay().installCheckout(body);
        return new InstallResult(s.serving(), s.code().name(), s.message());
    }

    /** A live lease. */
    @Schema(name = "LiveLease")
    public record LeaseView(UUID leaseId, String fingerprint, Map<String, BigDecimal> quantities, Instant grantedAt,
            Instant leaseUntil) {
    }

    @GET
    @Path("/leases")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "listLeases", summary = "Live leases", description = "Every live lease, in grant order.")
    @APIResponse(responseCode = "200", description = "The leases",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = LeaseView.class,
                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY)))
    @APIResponse(responseCode = "401", ref = RelayOpenApi.ADMIN_REFUSED)
    @APIResponse(responseCode = "403", ref = RelayOpenApi.ADMIN_CLOSED)
    public List<LeaseView> leases(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        token.require(authorization);
        return service.relay().leases().stream().map(AdminResource::view).toList();
    }

    private static LeaseView view(Lease l) {
        return new LeaseView(l.id(), l.node(), l.quantities(), l.grantedAt(), l.until());
    }

    @GET
    @Path("/usage-report")
    @Produces(JWT)
    @Operation(operationId = "usageReport", summary = "Export the next usage report",
            description = "Makes, stores and answers the signed usage report (compact JWS, typ usage-report+jwt,"
                    + " signed by the relay key) for [from, to): lease-time per quantity and per UTC day, peak"
                    + " concurrent use, its sequence number and the hash of the report before. Reports are"
                    + " contiguous: from defaults to where the last report ended and must equal it; to defaults to"
                    + " now. Asking again for a period already reported answers that report.")
    @APIResponse(responseCode = "200", description = "The report (compact JWS)",
            content = @Content(mediaType = JWT, schema = @Schema(type =
                    org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING)))
    @APIResponse(responseCode = "400", ref = RelayOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = RelayOpenApi.ADMIN_REFUSED)
    @APIResponse(responseCode = "403", ref = RelayOpenApi.ADMIN_CLOSED)
    @APIResponse(responseCode = "409", description = "The period would leave a gap (usage-report-gap) or an overlap"
            + " (usage-report-overlap) after the last report: the types the issuer answers for the same fault",
            content = @Content(mediaType = RelayOpenApi.PROBLEM, schema = @Schema(ref = RelayOpenApi.PROBLEM_SCHEMA)))
    @APIResponse(responseCode = "503", ref = RelayOpenApi.NOT_SERVING)
    public String usageReport(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(description = "Start: ISO-8601 instant, UTC date or epoch seconds") @QueryParam("from")
            String from,
            @Parameter(description = "End (exclusive): ISO-8601 instant, UTC date or epoch seconds")
            @QueryParam("to") String to) {
        token.require(authorization);
        Instant f;
        Instant t;
        try {
            f = Periods.parse(from, "from");
            t = Periods.parse(to, "to");
        } catch (IllegalArgumentException e) {
            throw RelayProblems.of(ProblemType.INVALID_REQUEST, e.getMessage());
        }
        try {
            ReportChain.Stored s = service.relay().report(f, t);
            return s.jws();
        } catch (LedgerTamperedException e) {
            throw RelayProblems.of(ProblemType.RELAY_NOT_SERVING, e.getMessage());
        } catch (IOException e) {
            throw RelayProblems.of(ProblemType.INTERNAL_ERROR, "The report could not be written: "
                    + e.getMessage());
        }
    }
}
