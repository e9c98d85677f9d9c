package org.licensing.issuer.catalog;

import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
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
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.licensing.issuer.catalog.CatalogDtos.ContactView;
import org.licensing.issuer.catalog.CatalogDtos.CreateContact;
import org.licensing.issuer.catalog.CatalogDtos.CreateCustomer;
import org.licensing.issuer.catalog.CatalogDtos.CreatePolicy;
import org.licensing.issuer.catalog.CatalogDtos.CreateProduct;
import org.licensing.issuer.catalog.CatalogDtos.CustomerView;
import org.licensing.issuer.catalog.CatalogDtos.PolicyView;
import org.licensing.issuer.catalog.CatalogDtos.ProductView;
import org.licensing.issuer.catalog.CatalogDtos.UpdateCustomer;
import org.licensing.issuer.idempotency.Idempotency;
import org.licensing.issuer.idempotency.StoredAnswer;
import org.licensing.issuer.openapi.IssuerOpenApi;
import org.licensing.issuer.security.BackOfficeOnly;
import org.licensing.issuer.security.Caller;
import org.licensing.issuer.security.Roles;
import org.licensing.issuer.support.ExpectedVersion;
import org.licensing.issuer.support.Ids;
import org.licensing.support.problem.Problems;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;

/**
 * Catalog: customers and their contacts, products, policies. Changes need {@code catalog:admin} and a back-office
 * token; portal tokens may read products, policies and their own customer.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Catalog", description = "Customers and their contacts, products and the policies licenses are issued"
        + " from")
@SecurityRequirement(name = IssuerOpenApi.JWT)
@APIResponse(responseCode = "401", ref = IssuerOpenApi.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = IssuerOpenApi.FORBIDDEN)
public class CatalogResource {

    private static final String IDEMPOTENCY_KEY_DESCRIPTION = "Retries with the same key get the first answer";

    private final CatalogService catalog;
    private final Idempotency idempotency;
    private final Caller caller;
    private final ObjectMapper json;

    @Context
    UriInfo uri;

    public CatalogResource(CatalogService catalog, Idempotency idempotency, Caller caller, ObjectMapper json) {
        this.catalog = catalog;
        this.idempotency = idempotency;
        this.caller = caller;
        this.json = json;
    }

    @POST
    @Path("customers")
    @RolesAllowed(Roles.CATALOG_ADMIN)
    @BackOfficeOnly
    @Operation(operationId = "createCustomer", summary = "Create a customer")
    @APIResponse(responseCode = "201", description = "Created; Location names the customer",
            content = @Content(schema = @Schema(implementation = CustomerView.class)))
    @APIResponse(responseCode = "400", ref = IssuerOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "409", description = "externalId taken (duplicate-external-id), or a request with"
            + " this Idempotency-Key is still running", content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    @APIResponse(responseCode = "413", ref = IssuerOpenApi.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "422", ref = IssuerOpenApi.IDEMPOTENCY_KEY_REUSED)
    public Uni<Response> createCustomer(@Valid @NotNull CreateCustomer body,
            @Parameter(description = IDEMPOTENCY_KEY_DESCRIPTION) @HeaderParam(Idempotency.KEY_HEADER) String key) {
        String actor = caller.actor();
        String address = caller.clientAddress();
        return idempotent(key, body, () -> catalog.createCustomer(body, actor, address)
                .map(v -> StoredAnswer.of(json, 201, v, "/v1/customers/" + v.id())));
    }

    @PATCH
    @Path("customers/{id}")
    @RolesAllowed(Roles.CATALOG_ADMIN)
    @BackOfficeOnly
    @Operation(operationId = "updateCustomer", summary = "Change a customer", description = "Name, externalId and"
            + " status; absent fields stay. On the version given by expectedVersion or If-Match, when given. Audited,"
            + " and published as customer.updated. Portal tokens may not change customers (403).")
    @APIResponse(responseCode = "200", description = "The customer after the change",
            content = @Content(schema = @Schema(implementation = CustomerView.class)))
    @APIResponse(responseCode = "400", ref = IssuerOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "404", description = "Unknown customer", content = @Content(
            mediaType = IssuerOpenApi.PROBLEM, schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    @APIResponse(responseCode = "409", description = "The customer changed since the version given"
            + " (stale-version), externalId taken (duplicate-external-id), or a request with this Idempotency-Key is"
            + " still running", content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    @APIResponse(responseCode = "413", ref = IssuerOpenApi.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "422", ref = IssuerOpenApi.IDEMPOTENCY_KEY_REUSED)
    public Uni<Response> updateCustomer(@PathParam("id") String id, @Valid @NotNull UpdateCustomer body,
            @Parameter(description = "The version the change is based on, as an entity tag (\"3\")")
            @HeaderParam("If-Match") String ifMatch,
            @Parameter(description = IDEMPOTENCY_KEY_DESCRIPTION) @HeaderParam(Idempotency.KEY_HEADER) String key) {
        UUID customerId = Ids.parseUuid(id).orElseThrow(() -> Problems.notFound("Customer " + id));
        Long expected = ExpectedVersion.of(body.expectedVersion(), ifMatch);
        String actor = caller.actor();
        String address = caller.clientAddress();
        Idempotency.validateKey(key);
        String fingerprint = idempotency.fingerprint("PATCH", uri.getPath(), body, ifMatch);
        return idempotency.run(caller.subject(), key, fingerprint, () -> catalog.updateCustomer(customerId, body,
                        expected, actor, address).map(v -> StoredAnswer.of(json, 200, v, null)))
                .map(Idempotency.Result::toResponse);
    }

    @GET
    @Path("customers")
    @RolesAllowed({Roles.CATALOG_ADMIN, Roles.LICENSES_READ})
    @Operation(operationId = "listCustomers", summary = "List customers",
            description = "By name; q narrows to names containing it or external ids starting with it (both ignoring"
                    + " case). Portal tokens see only their own customer.")
    @APIResponse(responseCode = "200", description = "One page of customers, by name", content = @Content(
            schema = @Schema(implementation = CustomerView.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "400", ref = IssuerOpenApi.BAD_REQUEST)
    public Uni<List<CustomerView>> customers(
            @Parameter(description = "Part of the name, or the start of the external id (1 to 100 characters)")
            @QueryParam("q") @Size(max = 100) String q,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(200) int size) {
        String text = q == null || q.isBlank() ? null : q.strip();
        if (caller.isPortal()) {
            return Ids.parseUuid(caller.customerScope().get())
                    .map(own -> catalog.customers(own, text, page, size))
                    .orElseGet(() -> Uni.createFrom().item(List.of()));
        }
        return catalog.customers(null, text, page, size);
    }

    @GET
    @Path("customers/{id}")
    @RolesAllowed({Roles.CATALOG_ADMIN, Roles.LICENSES_READ})
    @Operation(operationId = "getCustomer", summary = "Get a customer")
    @APIResponse(responseCode = "200", description = "The customer",
            content = @Content(schema = @Schema(implementation = CustomerView.class)))
    @APIResponse(responseCode = "404", description = "Unknown, or not the portal token's customer",
            content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    public Uni<CustomerView> customer(@PathParam("id") String id) {
        return catalog.customer(visibleCustomer(id));
    }

    @POST
    @Path("customers/{id}/contacts")
    @RolesAllowed(Roles.CATALOG_ADMIN)
    @BackOfficeOnly
    @Operation(operationId = "addContact", summary = "Add a contact", description = "FINANCE contacts receive"
            + " expiry reminders of licenses issued after they were added.")
    @APIResponse(responseCode = "201", description = "Added",
            content = @Content(schema = @Schema(implementation = ContactView.class)))
    @APIResponse(responseCode = "400", ref = IssuerOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "404", description = "Unknown customer", content = @Content(
            mediaType = IssuerOpenApi.PROBLEM, schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    @APIResponse(responseCode = "409", description = "The customer already has this email in this role"
            + " (duplicate-contact), or a request with this Idempotency-Key is still running",
            content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    @APIResponse(responseCode = "413", ref = IssuerOpenApi.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "422", ref = IssuerOpenApi.IDEMPOTENCY_KEY_REUSED)
    public Uni<Response> addContact(@PathParam("id") String id, @Valid @NotNull CreateContact body,
            @Parameter(description = IDEMPOTENCY_KEY_DESCRIPTION) @HeaderParam(Idempotency.KEY_HEADER) String key) {
        UUID customerId = visibleCustomer(id);
        String actor = caller.actor();
        String address = caller.clientAddress();
        return idempotent(key, body, () -> catalog.addContact(customerId, body, actor, address)
                .map(v -> StoredAnswer.of(json, 201, v, "/v1/customers/" + customerId + "/contacts")));
    }

    @GET
    @Path("customers/{id}/contacts")
    @RolesAllowed({Roles.CATALOG_ADMIN, Roles.LICENSES_READ})
    @Operation(operationId = "listContacts", summary = "List a customer's contacts")
    @APIResponse(responseCode = "200", description = "The contacts, by role and email", content = @Content(
            schema = @Schema(implementation = ContactView.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "404", description = "Unknown, or not the portal token's customer",
            content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    public Uni<List<ContactView>> contacts(@PathParam("id") String id) {
        return catalog.contacts(visibleCustomer(id));
    }

    @POST
    @Path("products")
    @RolesAllowed(Roles.CATALOG_ADMIN)
    @BackOfficeOnly
    @Operation(operationId = "createProduct", summary = "Create a product")
    @APIResponse(responseCode = "201", description = "Created; Location names the product",
            content = @Content(schema = @Schema(implementation = ProductView.class)))
    @APIResponse(responseCode = "400", ref = IssuerOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "409", description = "Code taken (duplicate-product), or a request with this"
            + " Idempotency-Key is still running", content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    @APIResponse(responseCode = "413", ref = IssuerOpenApi.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "422", ref = IssuerOpenApi.IDEMPOTENCY_KEY_REUSED)
    public Uni<Response> createProduct(@Valid @NotNull CreateProduct body,
            @Parameter(description = IDEMPOTENCY_KEY_DESCRIPTION) @HeaderParam(Idempotency.KEY_HEADER) String key) {
        String actor = caller.actor();
        String address = caller.clientAddress();
        return idempotent(key, body, () -> catalog.createProduct(body, actor, address)
                .map(v -> StoredAnswer.of(json, 201, v, "/v1/products/" + v.code())));
    }

    @GET
    @Path("products")
    @RolesAllowed({Roles.CATALOG_ADMIN, Roles.LICENSES_READ})
    @Operation(operationId = "listProducts", summary = "List products")
    @APIResponse(responseCode = "200", description = "Every product, by code", content = @Content(
            schema = @Schema(implementation = ProductView.class, type = SchemaType.ARRAY)))
    public Uni<List<ProductView>> products() {
        return catalog.products();
    }

    @GET
    @Path("products/{code}")
    @RolesAllowed({Roles.CATALOG_ADMIN, Roles.LICENSES_READ})
    @Operation(operationId = "getProduct", summary = "Get a product")
    @APIResponse(responseCode = "200", description = "The product",
            content = @Content(schema = @Schema(implementation = ProductView.class)))
    @APIResponse(responseCode = "400", ref = IssuerOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "404", description = "Unknown product", content = @Content(
            mediaType = IssuerOpenApi.PROBLEM, schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    public Uni<ProductView> product(@PathParam("code") @Size(max = 64) String code) {
        return catalog.product(code);
    }

    @POST
    @Path("policies")
    @RolesAllowed(Roles.CATALOG_ADMIN)
    @BackOfficeOnly
    @Operation(operationId = "createPolicy", summary = "Create a policy",
            description = "Defaults for licenses of one product.")
    @APIResponse(responseCode = "201", description = "Created; Location names the policy",
            content = @Content(schema = @Schema(implementation = PolicyView.class)))
    @APIResponse(responseCode = "400", ref = IssuerOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "409", ref = IssuerOpenApi.IDEMPOTENCY_IN_PROGRESS)
    @APIResponse(responseCode = "413", ref = IssuerOpenApi.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "422", description = "Unknown product (unknown-product), or Idempotency-Key reused"
            + " with another body, or its stored answer unreadable (use a new key)",
            content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    public Uni<Response> createPolicy(@Valid @NotNull CreatePolicy body,
            @Parameter(description = IDEMPOTENCY_KEY_DESCRIPTION) @HeaderParam(Idempotency.KEY_HEADER) String key) {
        String actor = caller.actor();
        String address = caller.clientAddress();
        return idempotent(key, body, () -> catalog.createPolicy(body, actor, address)
                .map(v -> StoredAnswer.of(json, 201, v, "/v1/policies/" + v.id())));
    }

    @GET
    @Path("policies")
    @RolesAllowed({Roles.CATALOG_ADMIN, Roles.LICENSES_READ})
    @Operation(operationId = "listPolicies", summary = "List policies", description = "Optionally of one product.")
    @APIResponse(responseCode = "200", description = "The policies, by product and name", content = @Content(
            schema = @Schema(implementation = PolicyView.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "400", ref = IssuerOpenApi.BAD_REQUEST)
    public Uni<List<PolicyView>> policies(@QueryParam("productCode") @Size(max = 64) String productCode) {
        return catalog.policies(productCode);
    }

    @GET
    @Path("policies/{id}")
    @RolesAllowed({Roles.CATALOG_ADMIN, Roles.LICENSES_READ})
    @Operation(operationId = "getPolicy", summary = "Get a policy")
    @APIResponse(responseCode = "200", description = "The policy",
            content = @Content(schema = @Schema(implementation = PolicyView.class)))
    @APIResponse(responseCode = "404", description = "Unknown policy", content = @Content(
            mediaType = IssuerOpenApi.PROBLEM, schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
    public Uni<PolicyView> policy(@PathParam("id") String id) {
        UUID uuid = Ids.parseUuid(id).orElseThrow(() -> Problems.notFound("Policy " + id));
        return catalog.policy(uuid);
    }

    private UUID visibleCustomer(String id) {
        return Ids.parseUuid(id).filter(uuid -> caller.canSee(uuid.toString()))
                .orElseThrow(() -> Problems.notFound("Customer " + id));
    }

    private Uni<Response> idempotent(String key, Object body, Supplier<Uni<StoredAnswer>> action) {
        return idempotency.respond(caller.subject(), key, "POST", uri.getPath(), body, action);
    }
}
