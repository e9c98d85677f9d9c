package org.licensing.issuer.support;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.UUID;

import org.licensing.testsupport.TestTokens;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** HTTP helpers for tests: tokens and catalog/license set-up through the public API. */
public final class Api {

    public static final String READ = "licenses:read";
    public static final String WRITE = "licenses:write";
    public static final String CATALOG = "catalog:admin";
    public static final String WEBHOOKS = "webhooks:admin";

    private Api() {
    }

    public static String admin() {
        return TestTokens.shared().backOffice("admin@vendor.example", CATALOG, WEBHOOKS, READ, WRITE);
    }

    public static String backOffice(String subject) {
        return TestTokens.shared().backOffice(subject, READ, WRITE);
    }

    public static String portal(String customerId) {
        return TestTokens.shared().portal("user@" + customerId, customerId, READ, WRITE);
    }

    public static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String createCustomer(String name) {
        return as(admin()).body(Map.of("name", name)).post("/v1/customers")
                .then().statusCode(201).extract().path("id");
    }

    public static void addFinanceContact(String customerId, String email) {
        as(admin()).body(Map.of("email", email, "name", "Finance", "role", "FINANCE"))
                .post("/v1/customers/" + customerId + "/contacts").then().statusCode(201);
    }

    public static String createProduct() {
        String code = unique("prod");
        as(admin()).body(Map.of("code", code, "name", "Product " + code)).post("/v1/products")
                .then().statusCode(201);
        return code;
    }

    public static String createPolicy(String productCode) {
        return as(admin()).body(Map.of("productCode", productCode, "name", "Annual", "durationDays", 365,
                "graceDays", 14, "maxActivations", 3, "maxDeactivationsPerDay", 5,
                "entitlements", Map.of("features", Map.of("sso", true), "limits", Map.of("gpus", 8, "nodes", 4))))
                .post("/v1/policies").then().statusCode(201).extract().path("id");
    }

    /** A customer with a FINANCE contact, a product and a policy. */
    public record Fixture(String customerId, String productCode, String policyId) {
        public JsonPath issue() {
            return issue(Map.of());
        }

        public JsonPath issue(Map<String, Object> overrides) {
            var body = new java.util.HashMap<String, Object>(Map.of("customerId", customerId, "policyId", policyId));
            body.putAll(overrides);
            return as(admin()).body(body).post("/v1/licenses").then().statusCode(201).extract().jsonPath();
        }
    }

    public static Fixture fixture() {
        String customer = createCustomer(unique("Customer"));
        addFinanceContact(customer, unique("ap") + "@customer.example");
        String product = createProduct();
        return new Fixture(customer, product, createPolicy(product));
    }
}
