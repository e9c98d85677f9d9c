package org.licensing.backoffice.customer;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
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
import org.licensing.backoffice.config.BackOfficeConfig;
import org.licensing.backoffice.security.CurrentUser;
import org.licensing.backoffice.web.Page;
import org.licensing.backoffice.web.PageResource;

/** Customers: search, detail with contacts and licenses, create, add a contact (catalog:admin). */
@Path("/customers")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class CustomerResource extends PageResource {

    private final int pageSize;

    @Inject
    public CustomerResource(Apis apis, Page page, CurrentUser user, BackOfficeConfig config) {
        super(apis, page, user);
        this.pageSize = config.pageSize();
    }

    /** The issuer searches (name substring, external id prefix, ignoring case) and pages; this page only shows it. */
    @GET
    public TemplateInstance list(@RestQuery String q, @RestQuery Integer page) {
        int p = page == null || page < 0 ? 0 : page;
        String needle = q == null ? "" : q.strip();
        JsonNode customers = apis.issuerGet("/v1/customers" + new Query().add("q", needle).add("page", p)
                .add("size", pageSize));
        String base = "/customers" + new Query().add("q", needle);
        String sep = base.contains("?") ? "&" : "?";
        return this.page.of("customers/list").data("customers", apis.list(customers)).data("q", needle)
                .data("pageNumber", p + 1)
                .data("previousHref", p == 0 ? null : base + sep + "page=" + (p - 1))
                // a full page may have a next one; an empty next page says "No customer matches" and links back
                .data("nextHref", customers.size() < pageSize ? null : base + sep + "page=" + (p + 1))
                .data("idempotencyKey", UUID.randomUUID().toString());
    }

    @GET
    @Path("/{id}")
    public TemplateInstance detail(@RestPath String id) {
        JsonNode customer = apis.issuerGet("/v1/customers/" + Query.enc(id));
        CustomerPicture picture = CustomerPicture.of(apis, customer.path("id").asText(id));
        return page.of("customers/detail").data("customer", apis.map(customer)).data("contacts", picture.contacts)
                .data("licenses", picture.licenses).data("moreLicenses", picture.moreLicenses)
                .data("partlyDetailed", picture.partlyDetailed).data("detailed", CustomerPicture.DETAILED)
                .data("machines", picture.machines).data("checkouts", picture.checkouts)
                .data("usage", picture.usage).data("usageDays", CustomerPicture.USAGE_DAYS)
                .data("reminders", picture.reminders).data("remindersNote", picture.remindersNote)
                .data("audit", picture.audit)
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
