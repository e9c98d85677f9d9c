package org.licensing.issuer.license;

import java.util.function.Supplier;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
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
import org.licensing.issuer.readmodel.LicenseExportResource;
import org.licensing.issuer.readmodel.LicensePageView;
import org.licensing.issuer.readmodel.LicenseSearchService;
import org.licensing.issuer.readmodel.LicenseStats;
import org.licensing.issuer.readmodel.SearchParams;
import org.licensing.issuer.readmodel.StatusHistory;
import org.licensing.issuer.security.Caller;
import org.licensing.issuer.security.Roles;
import org.licensing.issuer.support.ExpectedVersion;
import org.licensing.store.LicenseRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;

@Path("/v1/licenses")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Licenses", description = "Issue, search and change licenses")
@SecurityRequirement(name = IssuerOpenApi.JWT)
@APIResponse(responseCode = "401", ref = IssuerOpenApi.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = IssuerOpenApi.FORBIDDEN)
public class LicenseResource {

    private static final String IF_MATCH = "If-Match";
    private static final String IDEMPOTENCY_KEY_DESCRIPTION = "Retries with the same key get the first answer";
    private static final String IF_MATCH_DESCRIPTION = "The version the change is based on, as an entity tag"
            + " (\"3\"); or expectedVersion in the body";

    private final LicenseService licenses;
    private final Idempotency idempotency;
    private final Caller caller;
    private final ObjectMapper json;
    private final LicenseSearchService search;

    @Context
    UriInfo uri;

    public LicenseResource(LicenseService licenses, Idempotency idempotency, Caller caller,
            ObjectMapper json, LicenseSearchService search) {
        this.search = search;
        this.licenses = licenses;
        this.idempotency = idempotency;
        this.caller = caller;
        this.json = json;
    }

    @POST
    @RolesAllowed(Roles.LICENSES_WRITE)
    @Operation(operationId = "issueLicense", summary = "Issue a license", description = "Creates a license from a"
            + " policy with per-license overrides. The answer carries the license key: it is shown only here (and by"
            + " regenerate-key), never stored.")
    @APIResponse(responseCode = "201", description = "Issued; Location names the license", content = @Content(
            schema = @Schema(implementation = LicenseView.class)))
    @APIResponse(responseCode = "400", ref = IssuerOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "404", description = "Unknown customer, or not the portal token's customer",
            content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    @APIResponse(responseCode = "409", ref = IssuerOpenApi.IDEMPOTENCY_IN_PROGRESS)
    @APIResponse(responseCode = "413", ref = IssuerOpenApi.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "422", description = "Unknown policy, product mismatch, inactive customer, or"
            + " Idempotency-Key reused with another body, or its stored answer unreadable"
            + " (idempotent-answer-unreadable: use a new key)", content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    public Uni<Response> issue(@Valid @NotNull IssueLicenseRequest body,
            @Parameter(description = IDEMPOTENCY_KEY_DESCRIPTION) @HeaderParam(Idempotency.KEY_HEADER) String key) {
        Idempotency.validateKey(key);
        String actor = caller.actor();
        String address = caller.clientAddress();
        String fingerprint = idempotency.fingerprint("POST", uri.getPath(), body, null);
        // Scoped by the stable subject, never the user name: a renamed user's old name may be someone else's now.
        return idempotency.runPlanned(caller.subject(), key, fingerprint,
                () -> licenses.plan(body, caller).map(this::writePlan),
                plan -> licenses.execute(readPlan(plan), actor, address)
                        .map(view -> StoredAnswer.of(json, 201, view, "/v1/licenses/" + view.licenseId())))
                .map(Idempotency.Result::toResponse);
    }

    @GET
    @RolesAllowed(Roles.LICENSES_READ)
    @Operation(operationId = "searchLicenses", summary = "Search licenses", description = "Any combination of the"
            + " filters, over the read model (PostgreSQL), sorted by expiresAt (default), issuedAt or customerName"
            + " then licenseId, in keyset pages: follow nextCursor until it is absent; a page never repeats or"
            + " skips a license while others are issued. Portal tokens see their own customer's licenses only."
            + " Accept: text/csv gives the CSV export (exportLicenses) instead.")
    @APIResponse(responseCode = "200", description = "One page of licenses", content = {
        @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LicensePageView.class)),
        @Content(mediaType = LicenseExportResource.CSV, schema = @Schema(type = SchemaType.STRING),
                examples = @ExampleObject(name = "csv", value = Examples.LICENSES_CSV))})
    @APIResponse(responseCode = "400", description = "An invalid parameter (invalid-request, naming it) or a cursor"
            + " of another search (invalid-cursor)", content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    public Uni<LicensePageView> search(@BeanParam SearchParams params) {
        return search.search(params, uri.getQueryParameters(), caller);
    }

    @GET
    @Path("stats")
    @RolesAllowed(Roles.LICENSES_READ)
    @Operation(operationId = "licenseStats", summary = "Count licenses", description = "Over the licenses the"
            + " filters match (the search's parameters; sort, limit and cursor are not used): by status, by product,"
            + " and the non-revoked ones expiring within 7, 30, 60 and 90 days. Portal tokens: their own customer's.")
    @APIResponse(responseCode = "200", description = "The counts", content = @Content(
            schema = @Schema(implementation = LicenseStats.class)))
    @APIResponse(responseCode = "400", description = "An invalid parameter (invalid-request, naming it)",
            content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    public Uni<LicenseStats> stats(@BeanParam SearchParams params) {
        return search.stats(params, uri.getQueryParameters(), caller);
    }

    @GET
    @Path("status-history")
    @RolesAllowed(Roles.LICENSES_READ)
    @Operation(operationId = "licenseStatusHistory", summary = "Licenses by status over the last months",
            description = "Licenses per status at the end (last second, UTC) of each of the last N calendar months"
            + " and now, oldest first: the current counts walked back with the status changes of the committed"
            + " audit events (issue, suspend, reinstate, revoke). Not captured: expiry (a time, not an event; an"
            + " expired license keeps its status) and licenses the read model holds without their audit history"
            + " (imported by a rebuild), which count as present in every month. Portal tokens: their own"
            + " customer's.")
    @APIResponse(responseCode = "200", description = "N + 1 points, oldest first", content = @Content(
            schema = @Schema(implementation = StatusHistory.class)))
    @APIResponse(responseCode = "400", description = "months not a whole number from 1 to 24, or an unknown"
            + " parameter (invalid-request, naming it)",
            content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    public Uni<StatusHistory> statusHistory(
            @Parameter(description = "How many past month ends, 1-24 (default 12)") @QueryParam("months")
            String months,
            @Parameter(description = "Count this product's licenses only") @QueryParam("productCode")
            String productCode) {
        return search.statusHistory(months, productCode, uri.getQueryParameters().keySet(), caller);
    }

    @GET
    @Path("{id}")
    @RolesAllowed(Roles.LICENSES_READ)
    @Operation(operationId = "getLicense", summary = "Get a license",
            description = "ETag carries the version, for If-Match on changes.")
    @APIResponse(responseCode = "200", description = "The license (never its key)",
            headers = @Header(name = "ETag", description = "The license version, e.g. \"3\"",
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(schema = @Schema(implementation = LicenseView.class)))
    @APIResponse(responseCode = "404", ref = IssuerOpenApi.LICENSE_NOT_FOUND)
    public Uni<Response> get(@PathParam("id") String id) {
        return licenses.get(id, caller).map(r -> Response.ok(LicenseView.withMachines(r))
                .tag(new EntityTag(Long.toString(r.version()))).build());
    }

    @POST
    @Path("{id}/renew")
    @RolesAllowed(Roles.LICENSES_WRITE)
    @Operation(operationId = "renewLicense", summary = "Renew a license", description = "Extends the expiry and"
            + " optionally replaces the entitlements. 409 stale-version when the license changed since"
            + " expectedVersion / If-Match; 409 invalid-state-transition when it is revoked.")
    @APIResponse(responseCode = "200", description = "Renewed", content = @Content(
            schema = @Schema(implementation = LicenseView.class)))
    @APIResponse(responseCode = "400", ref = IssuerOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = IssuerOpenApi.LICENSE_NOT_FOUND)
    @APIResponse(responseCode = "409", ref = IssuerOpenApi.CHANGE_CONFLICT)
    @APIResponse(responseCode = "413", ref = IssuerOpenApi.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "422", ref = IssuerOpenApi.IDEMPOTENCY_KEY_REUSED)
    public Uni<Response> renew(@PathParam("id") String id, @Valid @NotNull RenewLicenseRequest body,
            @Parameter(description = IF_MATCH_DESCRIPTION) @HeaderParam(IF_MATCH) String ifMatch,
            @Parameter(description = IDEMPOTENCY_KEY_DESCRIPTION) @HeaderParam(Idempotency.KEY_HEADER) String key) {
        Long expected = ExpectedVersion.of(body.expectedVersion(), ifMatch);
        return idempotent(key, body, ifMatch,
                () -> licenses.renew(id, expected, body, caller).map(this::ok));
    }

    @POST
    @Path("{id}/suspend")
    @RolesAllowed(Roles.LICENSES_WRITE)
    @Operation(operationId = "suspendLicense", summary = "Suspend a license",
            description = "ACTIVE -> SUSPENDED (409 invalid-state-transition from any other status); validation"
                    + " answers SUSPENDED.")
    @APIResponse(responseCode = "200", description = "Suspended", content = @Content(
            schema = @Schema(implementation = LicenseView.class)))
    @APIResponse(responseCode = "400", ref = IssuerOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = IssuerOpenApi.LICENSE_NOT_FOUND)
    @APIResponse(responseCode = "409", ref = IssuerOpenApi.CHANGE_CONFLICT)
    @APIResponse(responseCode = "413", ref = IssuerOpenApi.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "422", ref = IssuerOpenApi.IDEMPOTENCY_KEY_REUSED)
    public Uni<Response> suspend(@PathParam("id") String id,
            @RequestBody(required = false) @Valid ChangeLicenseRequest body,
            @Parameter(description = IF_MATCH_DESCRIPTION) @HeaderParam(IF_MATCH) String ifMatch,
            @Parameter(description = IDEMPOTENCY_KEY_DESCRIPTION) @HeaderParam(Idempotency.KEY_HEADER) String key) {
        Long expected = ExpectedVersion.of(body == null ? null : body.expectedVersion(), ifMatch);
        return idempotent(key, body, ifMatch,
                () -> licenses.suspend(id, expected, reason(body), caller).map(this::ok));
    }

    @POST
    @Path("{id}/reinstate")
    @RolesAllowed(Roles.LICENSES_WRITE)
    @Operation(operationId = "reinstateLicense", summary = "Reinstate a suspended license",
            description = "SUSPENDED -> ACTIVE (409 invalid-state-transition from any other status).")
    @APIResponse(responseCode = "200", description = "Reinstated", content = @Content(
            schema = @Schema(implementation = LicenseView.class)))
    @APIResponse(responseCode = "400", ref = IssuerOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = IssuerOpenApi.LICENSE_NOT_FOUND)
    @APIResponse(responseCode = "409", ref = IssuerOpenApi.CHANGE_CONFLICT)
    @APIResponse(responseCode = "413", ref = IssuerOpenApi.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "422", ref = IssuerOpenApi.IDEMPOTENCY_KEY_REUSED)
    public Uni<Response> reinstate(@PathParam("id") String id,
            @RequestBody(required = false) @Valid ChangeLicenseRequest body,
            @Parameter(description = IF_MATCH_DESCRIPTION) @HeaderParam(IF_MATCH) String ifMatch,
            @Parameter(description = IDEMPOTENCY_KEY_DESCRIPTION) @HeaderParam(Idempotency.KEY_HEADER) String key) {
        Long expected = ExpectedVersion.of(body == null ? null : body.expectedVersion(), ifMatch);
        return idempotent(key, body, ifMatch,
                () -> licenses.reinstate(id, expected, reason(body), caller).map(this::ok));
    }

    @POST
    @Path("{id}/revoke")
    @RolesAllowed(Roles.LICENSES_WRITE)
    @Operation(operationId = "revokeLicense", summary = "Revoke a license",
            description = "Final: a revoked license never becomes active again (409 invalid-state-transition when"
                    + " it is revoked already).")
    @APIResponse(responseCode = "200", description = "Revoked", content = @Content(
            schema = @Schema(implementation = LicenseView.class)))
    @APIResponse(responseCode = "400", ref = IssuerOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = IssuerOpenApi.LICENSE_NOT_FOUND)
    @APIResponse(responseCode = "409", ref = IssuerOpenApi.CHANGE_CONFLICT)
    @APIResponse(responseCode = "413", ref = IssuerOpenApi.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "422", ref = IssuerOpenApi.IDEMPOTENCY_KEY_REUSED)
    public Uni<Response> revoke(@PathParam("id") String id,
            @RequestBody(required = false) @Valid ChangeLicenseRequest body,
            @Parameter(description = IF_MATCH_DESCRIPTION) @HeaderParam(IF_MATCH) String ifMatch,
            @Parameter(description = IDEMPOTENCY_KEY_DESCRIPTION) @HeaderParam(Idempotency.KEY_HEADER) String key) {
        Long expected = ExpectedVersion.of(body == null ? null : body.expectedVersion(), ifMatch);
        return idempotent(key, body, ifMatch,
                () -> licenses.revoke(id, expected, reason(body), caller).map(this::ok));
    }

    @POST
    @Path("{id}/regenerate-key")
    @RolesAllowed(Roles.LICENSES_WRITE)
    @Operation(operationId = "regenerateLicenseKey", summary = "Regenerate the license key",
            description = "Issues a new key (in this answer only); the old key stops working. 409"
                    + " invalid-state-transition when the license is revoked.")
    @APIResponse(responseCode = "200", description = "The license with its new licenseKey", content = @Content(
            schema = @Schema(implementation = LicenseView.class)))
    @APIResponse(responseCode = "400", ref = IssuerOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = IssuerOpenApi.LICENSE_NOT_FOUND)
    @APIResponse(responseCode = "409", ref = IssuerOpenApi.CHANGE_CONFLICT)
    @APIResponse(responseCode = "413", ref = IssuerOpenApi.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "422", ref = IssuerOpenApi.IDEMPOTENCY_KEY_REUSED)
    public Uni<Response> regenerateKey(@PathParam("id") String id,
            @RequestBody(required = false) @Valid ChangeLicenseRequest body,
            @Parameter(description = IF_MATCH_DESCRIPTION) @HeaderParam(IF_MATCH) String ifMatch,
            @Parameter(description = IDEMPOTENCY_KEY_DESCRIPTION) @HeaderParam(Idempotency.KEY_HEADER) String key) {
        Long expected = ExpectedVersion.of(body == null ? null : body.expectedVersion(), ifMatch);
        return idempotent(key, body, ifMatch, () -> licenses.regenerateKey(id, expected, reason(body), caller)
                .map(view -> StoredAnswer.of(json, 200, view, null)));
    }

    private static String reason(ChangeLicenseRequest body) {
        return body == null ? null : body.reason();
    }

    private StoredAnswer ok(LicenseRecord r) {
        return StoredAnswer.of(json, 200, LicenseView.of(r), null);
    }

    private Uni<Response> idempotent(String key, Object body, String ifMatch, Supplier<Uni<StoredAnswer>> action) {
        Idempotency.validateKey(key);
        String fingerprint = idempotency.fingerprint("POST", uri.getPath(), body, ifMatch);
        return idempotency.run(caller.subject(), key, fingerprint, action).map(Idempotency.Result::toResponse);
    }

    private byte[] writePlan(IssuePlan plan) {
        try {
            return json.writeValueAsBytes(plan);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private IssuePlan readPlan(byte[] plan) {
        try {
            return json.readValue(plan, IssuePlan.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Stored issue plan is unreadable", e);
        }
    }
}
