package org.licensing.backoffice.customer;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;

import org.licensing.backoffice.api.ApiClient;
import org.licensing.backoffice.api.Apis;
import org.licensing.backoffice.api.IdempotencyKey;
import org.licensing.backoffice.api.Query;
import org.licensing.backoffice.security.CurrentUser;
import org.licensing.backoffice.web.Page;
import org.licensing.backoffice.web.PageResource;

/** Customers: search, detail with contacts and licenses, create, add a contact (catalog:admin). */
@Path("/customers")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class CustomerResource extends PageResource {

    /** The issuer lists customers by page (at most 200 a page); the search reads this many pages at most. */
    static final int MAX_PAGES = 10;

    @Inject
    public CustomerResource(Apis apis, Page page, CurrentUser user) {
        super(apis, page, user);
    }

    @GET
    public TemplateInstance list(@RestQuery String q) {
        String needle = q == null ? "" : q.trim().toLowerCase(Locale.ROOT);
        List<Object> found = new ArrayList<>();
        // The issuer has no customer search: match name (substring) or external id (prefix) over its pages.
        for (int p = 0; p < MAX_PAGES; p++) {
            JsonNode customers = apis.issuerGet("/v1/customers?page=" + p + "&size=200");
            for (JsonNode c : customers) {
                if (needle.isEmpty() || c.path("name").asText().toLowerCase(Locale.ROOT).contains(needle)
                        || c.path("externalId").asText().toLowerCase(Locale.ROOT).startsWith(needle)) {
                    found.add(apis.map(c));
                }
            }
            if (customers.size() < 200) {
                break;
            }
        }
        return page.of("customers/list").data("customers", found).data("q", q == null ? "" : q)
                .data("idempotencyKey", UUID.randomUUID().toString());
    }

    @GET
    @Path("/{id}")
    public TemplateInstance detail(@RestPath String id) {
        JsonNode customer = apis.issuerGet("/v1/customers/" + Query.enc(id));
        List<Object> contacts = apis.list(apis.issuerGet("/v1/customers/" + Query.enc(id) + "/contacts"));
        JsonNode licenses = apis.issuerGet("/v1/licenses?customerId=" + Query.enc(id) + "&limit=100");
        return page.of("customers/detail").data("customer", apis.map(customer)).data("contacts", contacts)
                .data("licenses", apis.list(licenses.path("items")))
                .data("moreLicenses", licenses.path("nextCursor").isTextual())
                .data("roles", List.of("FINANCE", "TECHNICAL", "ADMIN"))
                .data("idempotencyKey", UUID.randomUUID().toString());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm String name, @RestForm String externalId, @RestForm String idempotencyKey) {
        user.require(CurrentUser.CATALOG_ADMIN);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name == null ? "" : name.trim());
        if (externalId != null && !externalId.isBlank()) {
            body.put("externalId", externalId.trim());
        }
        ApiClient.Answer created = apis.issuer().post("/v1/customers", body, IdempotencyKey.header(idempotencyKey), apis.token());
        return Response.seeOther(URI.create("/customers/" + Query.enc(created.body().path("id").asText()))).build();
    }

    @POST
    @Path("/{id}/contacts")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response addContact(@RestPath String id, @RestForm String email, @RestForm String name,
            @RestForm String role, @RestForm String idempotencyKey) {
        user.require(CurrentUser.CATALOG_ADMIN);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", email == null ? "" : email.trim());
        body.put("name", name == null ? "" : name.trim());
        body.put("role", role);
        apis.issuer().post("/v1/customers/" + Query.enc(id) + "/contacts", body, IdempotencyKey.header(idempotencyKey), apis.token());
        return Response.seeOther(URI.create("/customers/" + Query.enc(id))).build();
    }
}
