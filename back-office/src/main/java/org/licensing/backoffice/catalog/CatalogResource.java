package org.licensing.backoffice.catalog;

import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
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

import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;

import org.licensing.backoffice.api.ApiProblem;
import org.licensing.backoffice.api.Apis;
import org.licensing.backoffice.api.IdempotencyKey;
import org.licensing.backoffice.security.CurrentUser;
import org.licensing.backoffice.web.Page;
import org.licensing.backoffice.web.PageResource;

/** Products and policies: lists for everyone, creation for catalog:admin. */
@Path("/catalog")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class CatalogResource extends PageResource {

    @Inject
    public CatalogResource(Apis apis, Page page, CurrentUser user) {
        super(apis, page, user);
    }

    @GET
    public TemplateInstance catalog() {
        return page.of("catalog").data("products", apis.list(apis.issuerGet("/v1/products")))
                .data("policies", apis.list(apis.issuerGet("/v1/policies")))
                .data("idempotencyKey", UUID.randomUUID().toString());
    }

    @POST
    @Path("/products")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createProduct(@RestForm String code, @RestForm String name, @RestForm String idempotencyKey) {
        user.require(CurrentUser.CATALOG_ADMIN);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code == null ? "" : code.trim());
        body.put("name", name == null ? "" : name.trim());
        apis.issuer().post("/v1/products", body, IdempotencyKey.header(idempotencyKey), apis.token());
        return Response.seeOther(URI.create("/catalog")).build();
    }

    @POST
    @Path("/policies")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createPolicy(@RestForm String productCode, @RestForm String name, @RestForm Integer durationDays,
            @RestForm Integer graceDays, @RestForm Integer maxActivations, @RestForm Integer heartbeatHours,
            @RestForm Integer maxDeactivationsPerDay, @RestForm Integer overagePercent, @RestForm String limits,
            @RestForm String features, @RestForm String idempotencyKey) {
        user.require(CurrentUser.CATALOG_ADMIN);
        List<String> errors = new ArrayList<>();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("productCode", productCode);
        body.put("name", name == null ? "" : name.trim());
        body.put("durationDays", durationDays);
        put(body, "graceDays", graceDays);
        put(body, "maxActivations", maxActivations);
        put(body, "heartbeatHours", heartbeatHours);
        put(body, "maxDeactivationsPerDay", maxDeactivationsPerDay);
        put(body, "overagePercent", overagePercent);
        Map<String, Object> limitMap = new LinkedHashMap<>();
        for (String line : lines(limits)) {
            String[] kv = line.split("[=:]", 2);
            try {
                limitMap.put(kv[0].trim(), new BigDecimal(kv[1].trim()));
            } catch (RuntimeException e) {
                errors.add("limit \"" + line + "\": write name=number, e.g. cuda.device=8");
            }
        }
        Map<String, Object> featureMap = new LinkedHashMap<>();
        for (String line : lines(features)) {
            String[] kv = line.split("[=:]", 2);
            featureMap.put(kv[0].trim(), kv.length < 2 || Boolean.parseBoolean(kv[1].trim()));
        }
        body.put("entitlements", Map.of("limits", limitMap, "features", featureMap));
        if (!errors.isEmpty()) {
            throw new ApiProblem("back office", 400, "invalid-request", "Invalid policy", String.join("; ", errors),
                    List.of());
        }
        apis.issuer().post("/v1/policies", body, IdempotencyKey.header(idempotencyKey), apis.token());
        return Response.seeOther(URI.create("/catalog")).build();
    }

    private static void put(Map<String, Object> body, String key, Object value) {
        if (value != null) {
            body.put(key, value);
        }
    }

    private static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        if (text != null) {
            for (String part : text.split("[\\r\\n,]+")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }
}
