package org.licensing.issuer.security;

import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.licensing.issuer.support.Api.as;
import static org.licensing.issuer.support.Api.unique;
import static org.licensing.testsupport.CognitoTokens.access;
import static org.licensing.testsupport.CognitoTokens.token;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.licensing.testsupport.CognitoTokens;
import org.licensing.testsupport.ServiceTest;
import org.licensing.testsupport.TestTokens;

import io.quarkus.test.junit.TestProfile;

/**
 * The issuer under the prod Cognito configuration (the k8s prod overlay's settings, the roles mapping from the one
 * file the back office reads too): Cognito-shaped access tokens, i.e. no {@code aud}, {@code client_id},
 * {@code token_use=access}, the group in {@code cognito:groups}, the user in {@code username}. The refusals of
 * service-support's {@code CognitoTokenCheck} are tested here, once; the notification service's test checks its
 * roles mapping and that the same check guards it.
 */
@ServiceTest
@TestProfile(CognitoTokens.ProdProfile.class)
class CognitoTokensTest {

    private static final String PROBLEM = "application/problem+json";

    private static String issueLicense(String admin) {
        String customer = as(admin).body(Map.of("name", unique("Cognito customer"))).post("/v1/customers").then()
                .statusCode(201).extract().path("id");
        as(admin).body(Map.of("email", unique("ap") + "@customer.example", "name", "Finance", "role", "FINANCE"))
                .post("/v1/customers/" + customer + "/contacts").then().statusCode(201);
        String product = unique("prod");
        as(admin).body(Map.of("code", product, "name", "Product " + product)).post("/v1/products").then()
                .statusCode(201);
        String policy = as(admin).body(Map.of("productCode", product, "name", "Annual", "durationDays", 365))
                .post("/v1/policies").then().statusCode(201).extract().path("id");
        return as(admin).body(Map.of("customerId", customer, "policyId", policy)).post("/v1/licenses").then()
                .statusCode(201).extract().path("licenseId");
    }

    @Test
    void anOperatorRenewsButCannotEditTheCatalogAndIsTheAuditActor() {
        String admin = token(access("ada.admin", "admin"));
        String license = issueLicense(admin);
        String operator = token(access("olivia.operator", "operator"));

        as(operator).get("/v1/licenses/" + license).then().statusCode(200);
        as(operator).body(Map.of("extendDays", 30)).post("/v1/licenses/" + license + "/renew").then()
                .statusCode(200);
        as(operator).body(Map.of("code", unique("nope"), "name", "x")).post("/v1/products").then()
                .statusCode(403).contentType(PROBLEM).body("type", is("https://licensing.dev/problems/forbidden"));

        var events = as(operator).queryParam("licenseId", license).get("/v1/audit-events").then().statusCode(200)
                .extract().jsonPath();
        assertEquals("olivia.operator", events.getString("find { it.action == 'LICENSE_RENEWED' }.actor"));
        assertEquals("ada.admin", events.getString("find { it.action == 'LICENSE_ISSUED' }.actor"));
    }

    @Test
    void aViewerReadsButCannotRenew() {
        String license = issueLicense(token(access("ada.admin", "admin")));
        String viewer = token(access("victor.viewer", "viewer"));
        as(viewer).get("/v1/licenses/" + license).then().statusCode(200);
        as(viewer).body(Map.of("extendDays", 30)).post("/v1/licenses/" + license + "/renew").then()
                .statusCode(403);
    }

    @Test
    void anotherClientAnIdTokenOrNoClientIs401() {
        Map<String, Object> otherClient = access("olivia.operator", "operator");
        otherClient.put("client_id", "another-app-client");

        // An ID token of the same pool: aud = the client, token_use = id, no client_id.
        Map<String, Object> idToken = access("olivia.operator", "operator");
        idToken.remove("client_id");
        idToken.put("aud", CognitoTokens.CLIENT);
        idToken.put("token_use", "id");

        Map<String, Object> noClient = access("olivia.operator", "operator");
        noClient.remove("client_id");

        Map<String, Object> noTokenUse = access("olivia.operator", "operator");
        noTokenUse.remove("token_use");

        Map<String, Object> noUser = access("olivia.operator", "operator");
        noUser.remove("username");

        for (Map<String, Object> claims : List.of(otherClient, idToken, noClient, noTokenUse, noUser)) {
            as(token(claims)).get("/v1/licenses").then().statusCode(401).contentType(PROBLEM)
                    .body("type", is("https://licensing.dev/problems/unauthorized"));
        }
        // Tokens of the local shape (aud + groups, no client_id) are not accepted in this mode either.
        as(TestTokens.shared().backOffice("admin@vendor.example", "licenses:read")).get("/v1/licenses").then()
                .statusCode(401);
        as(token(access("olivia.operator", "operator"))).get("/v1/licenses").then().statusCode(200);
    }
}
