package org.licensing.issuer.license;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.licensing.issuer.support.Api.*;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.licensing.issuer.readmodel.ReadModelFixtures;
import org.licensing.issuer.support.Api;
import org.licensing.testsupport.ServiceTest;

/** The renew reason's cap (500 characters, as every change's reason) and a revoked license's file (409). */
@ServiceTest
class RenewReasonAndRevokedFileTest {

    @Test
    void aRenewReasonOfFiveHundredCharactersIsKeptAndOneMoreIsRefused() {
        Api.Fixture f = Api.fixture();
        String id = f.issue(Map.of()).getString("licenseId");
        String atCap = "r".repeat(499) + "!";
        as(admin()).body(Map.of("extendDays", 30, "reason", atCap + "?")).post("/v1/licenses/" + id + "/renew")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", endsWith("invalid-request")).body("violations.toString()", containsString("reason"));
        // refused before anything was written: still version 1
        as(admin()).get("/v1/licenses/" + id).then().statusCode(200).body("version", is(1));
        as(admin()).body(Map.of("extendDays", 30, "reason", atCap)).post("/v1/licenses/" + id + "/renew").then()
                .statusCode(200).body("version", is(2));
        assertEquals(atCap, ReadModelFixtures.rows("SELECT reason FROM audit_events WHERE target_id = ? AND action"
                + " = 'LICENSE_RENEWED' AND outcome = 'COMMITTED'", id).get(0).get("reason"));
    }

    @Test
    void aRevokedLicenseHasNoFile() {
        Api.Fixture f = Api.fixture();
        String id = f.issue(Map.of()).getString("licenseId");
        // Before the revoke the file is refused for the policy (no unbound files), not for the license's state.
        given().auth().oauth2(admin()).get("/v1/licenses/" + id + "/file").then().statusCode(409)
                .body("type", endsWith("unbound-files-disabled"));
        as(admin()).post("/v1/licenses/" + id + "/revoke").then().statusCode(200);
        for (String accept : new String[] {"application/jose", "application/json"}) {
            given().auth().oauth2(admin()).accept(accept).get("/v1/licenses/" + id + "/file").then()
                    .statusCode(409).contentType("application/problem+json")
                    .body("type", endsWith("license-revoked")).body("detail", containsString("revoked"));
        }
        // the portal of the license's own customer gets the same answer
        given().auth().oauth2(portal(f.customerId())).get("/v1/licenses/" + id + "/file").then().statusCode(409)
                .body("type", endsWith("license-revoked"));
    }
}
