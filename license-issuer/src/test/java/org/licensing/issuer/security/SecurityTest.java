package org.licensing.issuer.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.licensing.issuer.support.Api.*;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.licensing.issuer.support.Api;
import org.licensing.testsupport.ServiceTest;
import org.licensing.testsupport.TestTokens;

import io.restassured.http.ContentType;

@ServiceTest
class SecurityTest {

    private static final String PROBLEM = "application/problem+json";

    private static void assert401(String token) {
        var req = given().accept(ContentType.JSON);
        if (token != null) {
            req = req.auth().oauth2(token);
        }
        req.get("/v1/licenses?productCode=any").then().statusCode(401).contentType(PROBLEM)
                .body("type", is("https://licensing.dev/problems/unauthorized"));
    }

    @Test
    void noToken() {
        assert401(null);
    }

    @Test
    void expiredToken() {
        assert401(TestTokens.shared().builder().roles(READ).issuedAt(Instant.now().minus(Duration.ofHours(3)))
                .lifetime(Duration.ofHours(1)).sign());
    }

    @Test
    void wrongIssuer() {
        assert401(TestTokens.shared().builder().roles(READ).issuer("https://evil.example").sign());
    }

    @Test
    void wrongAudience() {
        assert401(TestTokens.shared().builder().roles(READ).audience("license-validator").sign());
    }

    @Test
    void signedByAnotherKey() {
        assert401(TestTokens.shared().builder().roles(READ).signedByAnotherKey().sign());
    }

    @Test
    void algNone() {
        String valid = TestTokens.shared().builder().roles(READ).sign();
        String payload = valid.split("\\.")[1];
        String header = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        assert401(header + "." + payload + ".");
    }

    @Test
    void missingRoleIs403() {
        String readOnly = TestTokens.shared().backOffice("reader@vendor.example", READ);
        String id = Api.fixture().issue().getString("licenseId");
        given().auth().oauth2(readOnly).contentType(ContentType.JSON).body(Map.of("extendDays", 1))
                .post("/v1/licenses/" + id + "/renew").then().statusCode(403).contentType(PROBLEM)
                .body("type", is("https://licensing.dev/problems/forbidden"));
        String writeOnly = TestTokens.shared().backOffice("writer@vendor.example", WRITE);
        given().auth().oauth2(writeOnly).get("/v1/licenses/" + id).then().statusCode(403);
        given().auth().oauth2(backOffice("ops@vendor.example")).contentType(ContentType.JSON)
                .body(Map.of("code", "no-admin", "name", "x")).post("/v1/products").then().statusCode(403);
        given().auth().oauth2(TestTokens.shared().backOffice("nobody@vendor.example"))
                .get("/v1/licenses/" + id).then().statusCode(403);
    }

    @Test
    void portalUserSeesAndChangesOnlyItsOwnCustomersLicenses() {
        Api.Fixture a = Api.fixture();
        Api.Fixture b = Api.fixture();
        String licenseA = a.issue().getString("licenseId");
        String licenseB = b.issue().getString("licenseId");
        String portalA = portal(a.customerId());

        as(portalA).get("/v1/licenses/" + licenseA).then().statusCode(200);
        for (String path : new String[] {"", "/file", "/checkouts"}) {
            as(portalA).get("/v1/licenses/" + licenseB + path).then().statusCode(404).contentType(PROBLEM)
                    .body("type", is("https://licensing.dev/problems/not-found"));
        }
        for (String action : new String[] {"suspend", "revoke", "regenerate-key"}) {
            as(portalA).post("/v1/licenses/" + licenseB + "/" + action).then().statusCode(404);
        }
        as(portalA).body(Map.of("extendDays", 1)).post("/v1/licenses/" + licenseB + "/renew").then()
                .statusCode(404);
        as(portalA).queryParam("licenseId", licenseB).get("/v1/audit-events").then().statusCode(404);
        as(admin()).get("/v1/licenses/" + licenseB).then().body("version", is(1)).body("status", is("ACTIVE"));

        as(portalA).queryParam("customerId", b.customerId()).get("/v1/licenses").then().statusCode(200)
                .body("items", empty());
        as(portalA).get("/v1/licenses").then().statusCode(200).body("items.licenseId", contains(licenseA));
        as(portalA).queryParam("productCode", b.productCode()).get("/v1/licenses").then().statusCode(200)
                .body("items", empty());
        as(portalA).body(Map.of("customerId", b.customerId(), "policyId", b.policyId())).post("/v1/licenses")
                .then().statusCode(404);
        as(portalA).get("/v1/customers/" + b.customerId()).then().statusCode(404);
        as(portalA).get("/v1/customers/" + a.customerId()).then().statusCode(200);
    }

    @Test
    void portalTokenCannotManageTheCatalog() {
        Api.Fixture a = Api.fixture();
        String portalAdmin = TestTokens.shared().portal("boss@customer.example", a.customerId(), CATALOG, READ,
                WRITE);
        as(portalAdmin).body(Map.of("code", unique("p"), "name", "x")).post("/v1/products").then()
                .statusCode(403).contentType(PROBLEM);
        as(portalAdmin).body(Map.of("name", "Another")).post("/v1/customers").then().statusCode(403);
    }

    @Test
    void aBlankCustomerClaimIsRefusedNotReadAsABackOfficeToken() {
        Api.Fixture a = Api.fixture();
        String licenseA = a.issue().getString("licenseId");
        for (String blank : new String[] {"", "   "}) {
            String token = TestTokens.shared().portal("blank@customer.example", blank, READ, WRITE, CATALOG);
            for (String path : new String[] {"/v1/licenses/" + licenseA, "/v1/customers",
                "/v1/customers/" + a.customerId() + "/contacts", "/v1/products"}) {
                as(token).get(path).then().statusCode(401).contentType(PROBLEM)
                        .header("WWW-Authenticate", startsWith("Bearer"))
                        .body("type", is("https://licensing.dev/problems/unauthorized"));
            }
            as(token).body(Map.of("name", "Blank scope")).post("/v1/customers").then().statusCode(401)
                    .body("type", is("https://licensing.dev/problems/unauthorized"));
            as(token).post("/v1/licenses/" + licenseA + "/suspend").then().statusCode(401);
        }
        as(admin()).get("/v1/licenses/" + licenseA).then().body("status", is("ACTIVE")).body("version", is(1));
    }

    @Test
    void portalScopingOnTheCatalogAuditAndReinstate() {
        Api.Fixture a = Api.fixture();
        Api.Fixture b = Api.fixture();
        String licenseB = b.issue().getString("licenseId");
        String portalA = portal(a.customerId());
        String portalAdminA = TestTokens.shared().portal("boss@customer.example", a.customerId(), CATALOG, READ,
                WRITE);

        // Reinstate of another customer's (suspended) license: the same 404 as an unknown one, nothing changes.
        as(admin()).post("/v1/licenses/" + licenseB + "/suspend").then().statusCode(200);
        as(portalA).post("/v1/licenses/" + licenseB + "/reinstate").then().statusCode(404).contentType(PROBLEM)
                .body("type", is("https://licensing.dev/problems/not-found"));
        as(admin()).get("/v1/licenses/" + licenseB).then().body("status", is("SUSPENDED")).body("version", is(2));

        // The customer list holds its own customer only, whatever the page.
        as(portalA).get("/v1/customers").then().statusCode(200).body("id", contains(a.customerId()));
        as(portalA).queryParam("size", 200).get("/v1/customers").then().statusCode(200)
                .body("id", contains(a.customerId()));

        // Contacts: another customer's are not found; adding one is refused (no catalog role / portal token).
        as(portalA).get("/v1/customers/" + b.customerId() + "/contacts").then().statusCode(404)
                .contentType(PROBLEM).body("type", is("https://licensing.dev/problems/not-found"));
        as(portalA).get("/v1/customers/" + a.customerId() + "/contacts").then().statusCode(200)
                .body("customerId", everyItem(is(a.customerId()))).body("$", hasSize(1));
        Map<String, String> contact = Map.of("email", "intruder@customer.example", "name", "X", "role", "FINANCE");
        for (String token : new String[] {portalA, portalAdminA}) {
            as(token).body(contact).post("/v1/customers/" + b.customerId() + "/contacts").then().statusCode(403)
                    .contentType(PROBLEM).body("type", is("https://licensing.dev/problems/forbidden"));
        }
        as(admin()).get("/v1/customers/" + b.customerId() + "/contacts").then().body("$", hasSize(1));

        // Policies: a portal token cannot create one, even with catalog:admin.
        Map<String, Object> policy = Map.of("productCode", a.productCode(), "name", "Portal-made",
                "durationDays", 30);
        for (String token : new String[] {portalA, portalAdminA}) {
            as(token).body(policy).post("/v1/policies").then().statusCode(403).contentType(PROBLEM)
                    .body("type", is("https://licensing.dev/problems/forbidden"));
        }
        as(admin()).queryParam("productCode", a.productCode()).get("/v1/policies").then()
                .body("name", not(hasItem("Portal-made")));

        // The audit log of everything is the back office's: a portal token must name a license.
        as(portalA).get("/v1/audit-events").then().statusCode(400).contentType(PROBLEM)
                .body("type", is("https://licensing.dev/problems/invalid-request"));
    }

    @Test
    void aReadOnlyPortalTokenReadsButCannotWriteItsOwnLicenses() {
        Api.Fixture a = Api.fixture();
        String licenseA = a.issue().getString("licenseId");
        String readOnly = TestTokens.shared().portal("reader@customer.example", a.customerId(), READ);
        as(readOnly).get("/v1/licenses/" + licenseA).then().statusCode(200);
        as(readOnly).body(Map.of("customerId", a.customerId(), "policyId", a.policyId())).post("/v1/licenses")
                .then().statusCode(403).contentType(PROBLEM)
                .body("type", is("https://licensing.dev/problems/forbidden"));
        as(readOnly).body(Map.of("extendDays", 1)).post("/v1/licenses/" + licenseA + "/renew").then()
                .statusCode(403).body("type", is("https://licensing.dev/problems/forbidden"));
        for (String action : new String[] {"suspend", "reinstate", "revoke", "regenerate-key"}) {
            as(readOnly).post("/v1/licenses/" + licenseA + "/" + action).then().statusCode(403)
                    .body("type", is("https://licensing.dev/problems/forbidden"));
        }
        as(admin()).get("/v1/licenses/" + licenseA).then().body("status", is("ACTIVE")).body("version", is(1));
    }

    @Test
    void aPortalTokenIssuesForItsOwnCustomer() {
        Api.Fixture a = Api.fixture();
        String portalA = portal(a.customerId());
        String licenseId = as(portalA).body(Map.of("customerId", a.customerId(), "policyId", a.policyId()))
                .post("/v1/licenses").then().statusCode(201)
                .body("customerId", is(a.customerId()))
                .body("licenseKey", startsWith("LK1-"))
                .extract().path("licenseId");
        as(portalA).get("/v1/licenses/" + licenseId).then().statusCode(200);
        as(admin()).queryParam("licenseId", licenseId).get("/v1/audit-events").then().statusCode(200)
                .body("[0].action", is("LICENSE_ISSUED")).body("[0].actor", is("user@" + a.customerId()))
                .body("[0].outcome", is("COMMITTED"));
    }

    @Test
    void jwksAndOpenApiArePublic() {
        given().get("/.well-known/jwks.json").then().statusCode(200).body("keys[0].kty", is("OKP"))
                .body("keys[0].crv", is("Ed25519")).body("keys[0].kid", notNullValue())
                .body("keys[0].d", nullValue());
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths", hasKey("/v1/licenses"))
                .body("paths", hasKey("/v1/licenses/{id}/renew"))
                .body("paths", hasKey("/v1/policies"));
    }
}
