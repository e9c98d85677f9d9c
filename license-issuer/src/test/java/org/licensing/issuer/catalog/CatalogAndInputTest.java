package org.licensing.issuer.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.licensing.issuer.support.Api.*;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.licensing.issuer.support.Api;
import org.licensing.testsupport.ServiceTest;

import io.restassured.http.ContentType;

@ServiceTest
class CatalogAndInputTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void createAndReadTheCatalog() {
        String customer = as(admin()).body(Map.of("name", "Acme GPU Cloud", "externalId", unique("crm")))
                .post("/v1/customers").then().statusCode(201).header("Location", containsString("/v1/customers/"))
                .body("status", is("ACTIVE")).extract().path("id");
        as(admin()).body(Map.of("email", "AP@Acme.example", "name", "AP", "role", "FINANCE"))
                .post("/v1/customers/" + customer + "/contacts").then().statusCode(201)
                .body("email", is("ap@acme.example"));
        as(admin()).body(Map.of("email", "ap@acme.example", "role", "FINANCE"))
                .post("/v1/customers/" + customer + "/contacts").then().statusCode(409);
        as(admin()).body(Map.of("email", "ops@acme.example", "role", "TECHNICAL"))
                .post("/v1/customers/" + customer + "/contacts").then().statusCode(201);
        as(admin()).get("/v1/customers/" + customer + "/contacts").then().statusCode(200)
                .body("role", containsInAnyOrder("FINANCE", "TECHNICAL"));
        as(admin()).get("/v1/customers/" + customer).then().statusCode(200).body("name", is("Acme GPU Cloud"));
        as(admin()).get("/v1/customers").then().statusCode(200).body("id", hasItem(customer));

        String product = Api.createProduct();
        as(admin()).body(Map.of("code", product, "name", "again")).post("/v1/products").then().statusCode(409)
                .body("type", is("https://licensing.dev/problems/duplicate-product"));
        as(admin()).get("/v1/products/" + product).then().statusCode(200);
        String policy = Api.createPolicy(product);
        as(admin()).get("/v1/policies/" + policy).then().statusCode(200)
                .body("productCode", is(product)).body("entitlements.limits.gpus", is(8))
                .body("durationDays", is(365));
        as(admin()).queryParam("productCode", product).get("/v1/policies").then().body("id", contains(policy));
        as(admin()).body(Map.of("productCode", "does-not-exist", "name", "x", "durationDays", 1))
                .post("/v1/policies").then().statusCode(422)
                .body("type", is("https://licensing.dev/problems/unknown-product"));
    }

    @Test
    void customersAreSearchedByNamePartOrExternalIdPrefixIgnoringCase() {
        String token = unique("zq").replace("-", "");
        String acme = createCustomer("Acme " + token + " GPU", "CRM-" + token);
        String percent = createCustomer("100% " + token, null);
        String underscore = createCustomer("under_" + token, null);
        String other = createCustomer("Other " + token.substring(0, 4), "x-" + token);

        as(admin()).queryParam("q", " ACME " + token.toUpperCase() + " ").get("/v1/customers").then().statusCode(200)
                .body("id", contains(acme));
        as(admin()).queryParam("q", token).queryParam("size", "200").get("/v1/customers").then().statusCode(200)
                .body("id", containsInAnyOrder(acme, percent, underscore));
        // an external id matches by its start only; "x-" is the start of the other customer's
        as(admin()).queryParam("q", "crm-" + token).get("/v1/customers").then().body("id", contains(acme));
        as(admin()).queryParam("q", "-" + token).get("/v1/customers").then().body("id", empty());
        as(admin()).queryParam("q", "x-" + token).get("/v1/customers").then().body("id", contains(other));
        // LIKE's wildcards are text: "%" finds only names with a percent sign, "_" only underscores
        as(admin()).queryParam("q", "% " + token).get("/v1/customers").then().body("id", contains(percent));
        as(admin()).queryParam("q", "r_" + token).get("/v1/customers").then().body("id", contains(underscore));
        as(admin()).queryParam("q", "e%" + token).get("/v1/customers").then().body("id", empty());
        // paging applies after the filter, by name
        as(admin()).queryParam("q", token).queryParam("size", "1").queryParam("page", "1").get("/v1/customers")
                .then().body("id", contains(acme));
        // a portal token finds only its own customer, and only when it matches
        as(Api.portal(acme)).queryParam("q", token).get("/v1/customers").then().statusCode(200)
                .body("id", contains(acme));
        as(Api.portal(acme)).queryParam("q", "% " + token).get("/v1/customers").then().statusCode(200)
                .body("id", empty());
        as(admin()).queryParam("q", "x".repeat(101)).get("/v1/customers").then().statusCode(400)
                .contentType(PROBLEM);
    }

    private static String createCustomer(String name, String externalId) {
        Map<String, String> body = new java.util.HashMap<>(Map.of("name", name));
        if (externalId != null) {
            body.put("externalId", externalId);
        }
        return as(admin()).body(body).post("/v1/customers").then().statusCode(201).extract().path("id");
    }

    @Test
    void invalidBodiesAreProblemsWithStableTypes() {
        as(admin()).body(Map.of("name", "")).post("/v1/customers").then().statusCode(400).contentType(PROBLEM)
                .body("type", is("https://licensing.dev/problems/invalid-request"))
                .body("violations", not(empty()));
        as(admin()).body(Map.of("name", "x", "surprise", 1)).post("/v1/customers").then().statusCode(400)
                .contentType(PROBLEM).body("type", startsWith("https://licensing.dev/problems/"));
        as(admin()).body("{not json").post("/v1/customers").then().statusCode(400).contentType(PROBLEM)
                .body("type", startsWith("https://licensing.dev/problems/"));
        as(admin()).body(Map.of("name", "x".repeat(201))).post("/v1/customers").then().statusCode(400);
        as(admin()).body(Map.of("code", "Bad Code!", "name", "x")).post("/v1/products").then().statusCode(400);
        as(admin()).body(Map.of("productCode", "p1", "name", "x", "durationDays", 0)).post("/v1/policies").then()
                .statusCode(400);
        as(admin()).body(Map.of("email", "not-an-email", "role", "FINANCE"))
                .post("/v1/customers/" + java.util.UUID.randomUUID() + "/contacts").then().statusCode(400);
        as(admin()).body(Map.of("email", "a@b.example", "role", "CEO"))
                .post("/v1/customers/" + java.util.UUID.randomUUID() + "/contacts").then().statusCode(400);
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body("{\"name\":\"" + "x".repeat(70_000) + "\"}")
                .post("/v1/customers").then().statusCode(413).contentType(PROBLEM)
                .body("type", is("https://licensing.dev/problems/payload-too-large"));
    }

    @Test
    void malformedLicenseRequestsChangeNothing() {
        Api.Fixture f = Api.fixture();
        String id = f.issue().getString("licenseId");
        String before = as(admin()).queryParam("customerId", f.customerId()).get("/v1/licenses").asString();
        String auditBefore = as(admin()).queryParam("licenseId", id).get("/v1/audit-events").asString();

        Object[] badIssues = {
            Map.of("customerId", f.customerId()),
            Map.of("customerId", f.customerId(), "policyId", f.policyId(), "graceDays", -1),
            Map.of("customerId", f.customerId(), "policyId", f.policyId(), "maxActivations", "many"),
            Map.of("customerId", f.customerId(), "policyId", f.policyId(), "unknown", true),
            Map.of("customerId", f.customerId(), "policyId", f.policyId(),
                    "entitlements", Map.of("limits", Map.of("gpus", -4))),
            Map.of("customerId", f.customerId(), "policyId", f.policyId(),
                    "entitlements", Map.of("features", Map.of("bad name!", true))),
            Map.of("customerId", "not-a-uuid", "policyId", f.policyId()),
            Map.of("customerId", f.customerId(), "policyId", f.policyId(), "expiresAt", "2001-01-01T00:00:00Z"),
        };
        for (Object bad : badIssues) {
            as(admin()).body(bad).post("/v1/licenses").then().statusCode(400).contentType(PROBLEM);
        }
        Object[] badRenewals = {
            Map.of(),
            Map.of("extendDays", 0),
            Map.of("extendDays", 10, "expiresAt", "2040-01-01T00:00:00Z"),
            Map.of("expiresAt", "2001-01-01T00:00:00Z"),
            Map.of("extendDays", 10, "expectedVersion", -1),
            Map.of("extendDays", 10, "color", "red"),
        };
        for (Object bad : badRenewals) {
            as(admin()).body(bad).post("/v1/licenses/" + id + "/renew").then().statusCode(400)
                    .contentType(PROBLEM);
        }
        as(admin()).header("If-Match", "banana").post("/v1/licenses/" + id + "/suspend").then().statusCode(400);
        as(admin()).body(Map.of("reason", "r".repeat(501))).post("/v1/licenses/" + id + "/revoke").then()
                .statusCode(400);

        assertEquals(before, as(admin()).queryParam("customerId", f.customerId()).get("/v1/licenses").asString());
        assertEquals(auditBefore, as(admin()).queryParam("licenseId", id).get("/v1/audit-events").asString());
    }
}
