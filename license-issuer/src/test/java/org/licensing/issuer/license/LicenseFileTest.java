package org.licensing.issuer.license;

import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.licensing.issuer.support.Api.*;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.licensing.core.checkout.CheckoutFiles;
import org.licensing.core.checkout.VerifiedCheckout;
import org.licensing.core.document.LicenseFileException;
import org.licensing.core.document.LicenseValidity;
import org.licensing.core.key.LicenseKey;
import org.licensing.testsupport.ServiceTest;
import org.licensing.testsupport.TestTokens;

import com.nimbusds.jose.jwk.JWKSet;

import io.restassured.path.json.JsonPath;

/**
 * {@code GET /v1/licenses/{id}/file}: a file bound to no machine exists only where the policy opts in, only for
 * licenses:write, never for a suspended or revoked license, and always encrypted for the license key.
 */
@ServiceTest
class LicenseFileTest {

    private static final String PROBLEMS = "https://licensing.dev/problems/";

    private static JsonPath issue(boolean allowUnboundFiles) {
        String customer = createCustomer(unique("Customer"));
        String product = createProduct();
        String policy = as(admin()).body(Map.of("productCode", product, "name", "Annual", "durationDays", 365,
                "graceDays", 14, "maxActivations", 3, "allowUnboundFiles", allowUnboundFiles,
                "entitlements", Map.of("limits", Map.of("gpus", 8)))).post("/v1/policies").then().statusCode(201)
                .extract().path("id");
        return as(admin()).body(Map.of("customerId", customer, "policyId", policy)).post("/v1/licenses").then()
                .statusCode(201).extract().jsonPath();
    }

    @Test
    void anUnboundFileOpensOnlyWithTheKey() throws Exception {
        JsonPath issued = issue(true);
        String id = issued.getString("licenseId");
        LicenseKey key = LicenseKey.parse(issued.getString("licenseKey"));
        JWKSet keys = JWKSet.parse(given().get("/.well-known/jwks.json").asString());
        assertTrue(keys.getKeys().stream().noneMatch(k -> k.isPrivate()), "only public keys are published");

        String jwe = given().auth().oauth2(admin()).get("/v1/licenses/" + id + "/file").then().statusCode(200)
                .contentType(startsWith("application/jose")).header("Cache-Control", "no-store").extract().asString();
        VerifiedCheckout opened = CheckoutFiles.open(jwe, key, null, keys, null, Instant.now(), Duration.ZERO);
        assertEquals(LicenseValidity.VALID, opened.validity());
        assertNull(opened.document().fingerprint());
        assertEquals(id, opened.document().license().licenseId());
        assertEquals(new java.math.BigDecimal("8"), opened.document().license().limits().get("gpus"));
        assertEquals(opened.document().license().graceEndsAt(), opened.document().until());

        // The bypass of the old plain JWS: any key of the same (public) license id. It opens nothing now.
        LicenseKey forged = LicenseKey.generate(key.licenseId());
        LicenseFileException e = assertThrows(LicenseFileException.class,
                () -> CheckoutFiles.open(jwe, forged, null, keys, null, Instant.now(), Duration.ZERO));
        assertEquals(LicenseFileException.Reason.DECRYPTION_FAILED, e.reason());

        given().auth().oauth2(admin()).accept("application/json").get("/v1/licenses/" + id + "/file").then()
                .statusCode(200).body("licenseId", is(id)).body("fingerprint", nullValue())
                .body("sequence", is(2)).body("file", notNullValue());
        assertEquals(List.of("LICENSE_FILE_ISSUED", "LICENSE_FILE_ISSUED", "LICENSE_ISSUED"),
                as(admin()).queryParam("licenseId", id).get("/v1/audit-events").then().extract().path("action"));
    }

    @Test
    void noUnboundFileUnlessThePolicyOptsIn() {
        String id = issue(false).getString("licenseId");
        given().auth().oauth2(admin()).get("/v1/licenses/" + id + "/file").then().statusCode(409)
                .body("type", is(PROBLEMS + "unbound-files-disabled"))
                .body("detail", containsString("/checkouts"));
    }

    @Test
    void aViewerGetsNoFile() {
        String id = issue(true).getString("licenseId");
        String viewer = TestTokens.shared().backOffice("viewer@vendor.example", READ);
        given().auth().oauth2(viewer).get("/v1/licenses/" + id + "/file").then().statusCode(403);
    }

    @Test
    void suspendedAndRevokedLicensesGetNoFile() {
        String id = issue(true).getString("licenseId");
        as(admin()).post("/v1/licenses/" + id + "/suspend").then().statusCode(200);
        given().auth().oauth2(admin()).get("/v1/licenses/" + id + "/file").then().statusCode(409)
                .body("type", is(PROBLEMS + "license-suspended"));
        as(admin()).post("/v1/licenses/" + id + "/revoke").then().statusCode(200);
        given().auth().oauth2(admin()).get("/v1/licenses/" + id + "/file").then().statusCode(409)
                .body("type", is(PROBLEMS + "license-revoked"));
    }
}
