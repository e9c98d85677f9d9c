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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
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
import org.licensing.issuer.idempotency.Idempotency;
import org.licensing.issuer.idempotency.StoredAnswer;
import org.licensing.support.problem.Problems;
import org.licensing.issuer.security.Caller;
import org.licensing.issuer.security.Roles;
import org.licensing.issuer.support.Http;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;

/**
 * Catalog: customers and their contacts, products, policies. Changes need {@code catalog:admin} and a back-office
 * token; portal tokens may read products, policies and their own customer.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Catalog")
@SecurityRequirement(name = "jwt")
public class CatalogResource {

    private static final String PROBLEM = "application/problem+json";

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
    @Operation(summary = "Create a customer")
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = CustomerView.class)))
    @APIResponse(responseCode = "409", description = "externalId taken", content = @Content(mediaType = PROBLEM))
    public Uni<Response> createCustomer(@Valid @NotNull CreateCustomer body,
            @HeaderParam(Http.IDEMPOTENCY_KEY) String key) {
        caller.requireBackOffice();
        String actor = caller.subject();
        String address = caller.clientAddress();
        return idempotent(key, body, () -> catalog.createCustomer(body, actor, address)
                .map(v -> Http.answer(json, 201, v, "/v1/customers/" + v.id())));
    }

    @GET
    @Path("customers")
    @RolesAllowed({Roles.CATALOG_ADMIN, Roles.LICENSES_READ})
    @Operation(summary = "List customers", description = "By name; portal tokens see only their own customer.")
    public Uni<List<CustomerView>> customers(@QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(200) int size) {
        if (caller.isPortal()) {
            UUID own = parseId(caller.customerScope().get());
            return own == null ? Uni.createFrom().item(List.of())
                    : catalog.customer(own).map(List::of).onFailure().recoverWithItem(List.of());
        }
        return catalog.customers(page, size);
    }

    @GET
    @Path("customers/{id}")
    @RolesAllowed({Roles.CATALOG_ADMIN, Roles.LICENSES_READ})
    @Operation(summary = "Get a customer")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = CustomerView.class)))
    @APIResponse(responseCode = "404", content = @Content(mediaType = PROBLEM))
    public Uni<CustomerView> customer(@PathParam("id") String id) {
        return catalog.customer(visibleCustomer(id));
    }

    @POST
    @Path("customers/{id}/contacts")
    @RolesAllowed(Roles.CATALOG_ADMIN)
    @Operation(summary = "Add a contact", description = "FINANCE contacts receive expiry reminders of licenses"
            + " issued after they were added.")
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = ContactView.class)))
    public Uni<Response> addContact(@PathParam("id") String id, @Valid @NotNull CreateContact body,
            @HeaderParam(Http.IDEMPOTENCY_KEY) String key) {
        caller.requireBackOffice();
        UUID customerId = visibleCustomer(id);
        String actor = caller.subject();
        String address = caller.clientAddress();
        return idempotent(key, body, () -> catalog.addContact(customerId, body, actor, address)
                .map(v -> Http.answer(json, 201, v, "/v1/customers/" + customerId + "/contacts")));
    }

    @GET
    @Path("customers/{id}/contacts")
    @RolesAllowed({Roles.CATALOG_ADMIN, Roles.LICENSES_READ})
    @Operation(summary = "List a customer's contacts")
    public Uni<List<ContactView>> contacts(@PathParam("id") String id) {
        return catalog.contacts(visibleCustomer(id));
    }

    @POST
    @Path("products")
    @RolesAllowed(Roles.CATALOG_ADMIN)
    @Operation(summary = "Create a product")
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = ProductView.class)))
    @APIResponse(responseCode = "409", description = "Code taken", content = @Content(mediaType = PROBLEM))
    public Uni<Response> createProduct(@Valid @NotNull CreateProduct body,
            @HeaderParam(Http.IDEMPOTENCY_KEY) String key) {
        caller.requireBackOffice();
        String actor = caller.subject();
        String address = caller.clientAddress();
        return idempotent(key, body, () -> catalog.createProduct(body, actor, address)
                .map(v -> Http.answer(json, 201, v, "/v1/products/" + v.code())));
    }

    @GET
    @Path("products")
    @RolesAllowed({Roles.CATALOG_ADMIN, Roles.LICENSES_READ})
    @Operation(summary = "List products")
    public Uni<List<ProductView>> products() {
        return catalog.products();
    }

    @GET
    @Path("products/{code}")
    @RolesAllowed({Roles.CATALOG_ADMIN, Roles.LICENSES_READ})
    @Operation(summary = "Get a product")
    public Uni<ProductView> product(@PathParam("code") @Size(max = 64) String code) {
        return catalog.product(code);
    }

    @POST
    @Path("policies")
    @RolesAllowed(Roles.CATALOG_ADMIN)
    @Operation(summary = "Create a policy", description = "Defaults for licenses of one product.")
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = PolicyView.class)))
    @APIResponse(responseCode = "422", description = "Unknown product", content = @Content(mediaType = PROBLEM))
    public Uni<Response> createPolicy(@Valid @NotNull CreatePolicy body,
            @HeaderParam(Http.IDEMPOTENCY_KEY) String key) {
        caller.requireBackOffice();
        String actor = caller.subject();
        String address = caller.clientAddress();
        return idempotent(key, body, () -> catalog.createPolicy(body, actor, address)
                .map(v -> Http.answer(json, 201, v, "/v1/policies/" + v.id())));
    }

    @GET
    @Path("policies")
    @RolesAllowed({Roles.CATALOG_ADMIN, Roles.LICENSES_READ})
    @Operation(summary = "List policies", description = "Optionally of one product.")
    public Uni<List<PolicyView>> policies(@QueryParam("productCode") @Size(max = 64) String productCode) {
        return catalog.policies(productCode);
    }

    @GET
    @Path("policies/{id}")
    @RolesAllowed({Roles.CATALOG_ADMIN, Roles.LICENSES_READ})
    @Operation(summary = "Get a policy")
    public Uni<PolicyView> policy(@PathParam("id") String id) {
        UUID uuid = parseId(id);
        if (uuid == null) {
            throw Problems.notFound("Policy " + id);
        }
        return catalog.policy(uuid);
    }

    private UUID visibleCustomer(String id) {
        UUID uuid = parseId(id);
        if (uuid == null || !caller.canSee(uuid.toString())) {
            throw Problems.notFound("Customer " + id);
        }
        return uuid;
    }

    private Uni<Response> idempotent(String key, Object body, Supplier<Uni<StoredAnswer>> action) {
        Idempotency.validateKey(key);
        String fingerprint = idempotency.fingerprint("POST", uri.getPath(), body, null);
        return idempotency.run(caller.subject(), key, fingerprint, action).map(Http::toResponse);
    }

    static UUID parseId(String id) {
        try {
            UUID u = UUID.fromString(id);
            return u.toString().equalsIgnoreCase(id) ? u : null;
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }
}
