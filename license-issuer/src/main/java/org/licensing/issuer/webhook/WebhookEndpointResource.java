package org.licensing.issuer.webhook;

import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
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
import org.licensing.issuer.security.BackOfficeOnly;
import org.licensing.issuer.security.Caller;
import org.licensing.issuer.security.Roles;
import org.licensing.issuer.support.Ids;
import org.licensing.issuer.webhook.WebhookEndpointRequests.Create;
import org.licensing.issuer.webhook.WebhookEndpointRequests.Rotate;
import org.licensing.issuer.webhook.WebhookEndpointRequests.Update;
import org.licensing.support.problem.Problems;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;

@Path("/v1/webhook-endpoints")
@BackOfficeOnly
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks", description = "Endpoints the events are pushed to, signed per the Standard Webhooks"
        + " specification (back-office tokens with webhooks:admin)")
@SecurityRequirement(name = IssuerOpenApi.JWT)
@APIResponse(responseCode = "401", ref = IssuerOpenApi.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = IssuerOpenApi.FORBIDDEN)
public class WebhookEndpointResource {

    private static final String IDEMPOTENCY_KEY_DESCRIPTION = "Retries with the same key get the first answer";

    private final WebhookEndpointService endpoints;
    private final Idempotency idempotency;
    private final Caller caller;
    private final ObjectMapper json;

    @Context
    UriInfo uri;

    public WebhookEndpointResource(WebhookEndpointService endpoints, Idempotency idempotency, Caller caller,
            ObjectMapper json) {
        this.endpoints = endpoints;
        this.idempotency = idempotency;
        this.caller = caller;
        this.json = json;
    }

    @POST
    @RolesAllowed(Roles.WEBHOOKS_ADMIN)
    @Operation(operationId = "createWebhookEndpoint", summary = "Create a webhook endpoint", description = "The"
            + " answer carries the signing secret (whsec_...): shown only here and by rotate-secret. The URL's host"
            + " is resolved: an internal address (loopback, private, link-local, metadata) is refused.")
    @RequestBody(content = @Content(schema = @Schema(implementation = Create.class),
            examples = @ExampleObject(name = "endpoint", value = Examples.CREATE_WEBHOOK_ENDPOINT)))
    @APIResponse(responseCode = "201", description = "Created, with its secret", content = @Content(
            schema = @Schema(implementation = WebhookEndpointView.class),
            examples = @ExampleObject(name = "created", value = Examples.WEBHOOK_ENDPOINT)))
    @APIResponse(responseCode = "400", ref = IssuerOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "409", ref = IssuerOpenApi.IDEMPOTENCY_IN_PROGRESS)
    @APIResponse(responseCode = "413", ref = IssuerOpenApi.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "422", ref = IssuerOpenApi.IDEMPOTENCY_KEY_REUSED)
    public Uni<Response> create(@Valid @NotNull Create body,
            @Parameter(description = IDEMPOTENCY_KEY_DESCRIPTION) @HeaderParam(Idempotency.KEY_HEADER) String key) {
        return idempotent(key, body, () -> endpoints.create(body, caller)
                .map(v -> StoredAnswer.of(json, 201, v, "/v1/webhook-endpoints/" + v.id())));
    }

    @GET
    @RolesAllowed(Roles.WEBHOOKS_ADMIN)
    @Operation(operationId = "listWebhookEndpoints", summary = "List webhook endpoints", description = "Oldest"
            + " first; never their secrets.")
    @APIResponse(responseCode = "200", description = "Every endpoint", content = @Content(
            schema = @Schema(implementation = WebhookEndpointView.class, type = SchemaType.ARRAY)))
    public Uni<List<WebhookEndpointView>> list() {
        return endpoints.list();
    }

    @GET
    @Path("{id}")
    @RolesAllowed(Roles.WEBHOOKS_ADMIN)
    @Operation(operationId = "getWebhookEndpoint", summary = "Get a webhook endpoint", description = "Never its"
            + " secret.")
    @APIResponse(responseCode = "200", description = "The endpoint", content = @Content(
            schema = @Schema(implementation = WebhookEndpointView.class)))
    @APIResponse(responseCode = "404", ref = IssuerOpenApi.WEBHOOK_ENDPOINT_NOT_FOUND)
    public Uni<WebhookEndpointView> get(@PathParam("id") String id) {
        return endpoints.get(id(id));
    }

    @PATCH
    @Path("{id}")
    @RolesAllowed(Roles.WEBHOOKS_ADMIN)
    @Operation(operationId = "updateWebhookEndpoint", summary = "Change a webhook endpoint", description = "Absent"
            + " fields stay. enabled=true on a disabled endpoint clears its reason and failure streak; events"
            + " published while it was disabled are not queued for it: replay them.")
    @RequestBody(content = @Content(schema = @Schema(implementation = Update.class),
            examples = @ExampleObject(name = "enable", value = Examples.UPDATE_WEBHOOK_ENDPOINT)))
    @APIResponse(responseCode = "200", description = "The endpoint", content = @Content(
            schema = @Schema(implementation = WebhookEndpointView.class)))
    @APIResponse(responseCode = "400", ref = IssuerOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = IssuerOpenApi.WEBHOOK_ENDPOINT_NOT_FOUND)
    @APIResponse(responseCode = "413", ref = IssuerOpenApi.PAYLOAD_TOO_LARGE)
    public Uni<WebhookEndpointView> update(@PathParam("id") String id, @Valid @NotNull Update body) {
        return endpoints.update(id(id), body, caller);
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.WEBHOOKS_ADMIN)
    @Operation(operationId = "deleteWebhookEndpoint", summary = "Delete a webhook endpoint", description = "With"
            + " its deliveries (pending ones are not sent).")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", ref = IssuerOpenApi.WEBHOOK_ENDPOINT_NOT_FOUND)
    public Uni<Void> delete(@PathParam("id") String id) {
        return endpoints.delete(id(id), caller);
    }

    @POST
    @Path("{id}/rotate-secret")
    @RolesAllowed(Roles.WEBHOOKS_ADMIN)
    @Operation(operationId = "rotateWebhookSecret", summary = "Rotate the signing secret", description = "A new"
            + " secret, answered once; during the overlap every delivery carries two v1 signatures (new and"
            + " previous), so receivers switch to the new secret at their pace.")
    @RequestBody(required = false, content = @Content(schema = @Schema(implementation = Rotate.class)))
    @APIResponse(responseCode = "200", description = "The endpoint with its new secret", content = @Content(
            schema = @Schema(implementation = WebhookEndpointView.class)))
    @APIResponse(responseCode = "400", ref = IssuerOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = IssuerOpenApi.WEBHOOK_ENDPOINT_NOT_FOUND)
    @APIResponse(responseCode = "409", ref = IssuerOpenApi.IDEMPOTENCY_IN_PROGRESS)
    @APIResponse(responseCode = "413", ref = IssuerOpenApi.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "422", ref = IssuerOpenApi.IDEMPOTENCY_KEY_REUSED)
    public Uni<Response> rotate(@PathParam("id") String id, @Valid Rotate body,
            @Parameter(description = IDEMPOTENCY_KEY_DESCRIPTION) @HeaderParam(Idempotency.KEY_HEADER) String key) {
        UUID endpoint = id(id);
        return idempotent(key, body, () -> endpoints.rotate(endpoint, body, caller)
                .map(v -> StoredAnswer.of(json, 200, v, null)));
    }

    static UUID id(String id) {
        return Ids.parseUuid(id).orElseThrow(() -> Problems.notFound("Webhook endpoint " + id));
    }

    private Uni<Response> idempotent(String key, Object body, Supplier<Uni<StoredAnswer>> action) {
        Idempotency.validateKey(key);
        String fingerprint = idempotency.fingerprint("POST", uri.getPath(), body, null);
        return idempotency.run(caller.subject(), key, fingerprint, action).map(Idempotency.Result::toResponse);
    }
}
