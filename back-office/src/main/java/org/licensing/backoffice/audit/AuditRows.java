package org.licensing.backoffice.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.licensing.backoffice.api.ApiProblem;
import org.licensing.backoffice.api.Apis;
import org.licensing.backoffice.api.Query;

/**
 * Audit events as the tables show them: each target named (the customer's name, the product's name and code, the
 * policy's name, a license's product and customer) with a link to it, so the id is a click away rather than the
 * text. Names are looked up once per page (one request per distinct customer, the catalog lists once).
 */
public final class AuditRows {

    private final Apis apis;
    private final Map<String, String> customers = new HashMap<>();
    private Map<String, String> products;
    private Map<String, String> policies;

    public AuditRows(Apis apis) {
        this.apis = apis;
    }

    /** The events as template maps with {@code targetName} and {@code targetHref} added. */
    public List<Object> rows(JsonNode events) {
        List<Object> rows = new ArrayList<>();
        for (JsonNode e : events) {
            Map<String, Object> row = new HashMap<>(apis.map(e));
            String type = e.path("targetType").asText("");
            String id = e.path("targetId").asText("");
            row.put("targetName", name(type, id, e));
            row.put("targetHref", href(type, id));
            rows.add(row);
        }
        return rows;
    }

    private String name(String type, String id, JsonNode e) {
        return switch (type) {
            case "CUSTOMER" -> customer(id);
            case "PRODUCT" -> {
                String name = products().get(id);
                yield name == null ? id : name + " (" + id + ")";
            }
            case "POLICY" -> policies().getOrDefault(id, id);
            case "LICENSE" -> {
                String product = e.path("after").path("productCode").asText(
                        e.path("before").path("productCode").asText(""));
                String customerId = e.path("customerId").asText("");
                String customer = customerId.isEmpty() ? "" : customer(customerId);
                yield (product.isEmpty() ? "license" : product) + (customer.isEmpty() ? "" : " · " + customer);
            }
            default -> id;
        };
    }

    private static String href(String type, String id) {
        return switch (type) {
            case "LICENSE" -> "/licenses/" + Query.enc(id);
            case "CUSTOMER" -> "/customers/" + Query.enc(id);
            case "PRODUCT", "POLICY" -> "/catalog";
            default -> "";
        };
    }

    private String customer(String id) {
        return customers.computeIfAbsent(id, key -> {
            try {
                return apis.issuerGet("/v1/customers/" + Query.enc(key)).path("name").asText(key);
            } catch (ApiProblem gone) {
                return key;
            }
        });
    }

    private Map<String, String> products() {
        if (products == null) {
            products = index(apis.issuerGet("/v1/products"), "code", "name");
        }
        return products;
    }

    private Map<String, String> policies() {
        if (policies == null) {
            policies = index(apis.issuerGet("/v1/policies"), "id", "name");
        }
        return policies;
    }

    private static Map<String, String> index(JsonNode list, String key, String value) {
        Map<String, String> out = new HashMap<>();
        for (JsonNode item : list) {
            out.put(item.path(key).asText(), item.path(value).asText(item.path(key).asText()));
        }
        return out;
    }
}
