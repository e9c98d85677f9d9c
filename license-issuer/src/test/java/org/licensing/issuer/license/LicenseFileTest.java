package org.licensing.issuer.license;

import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.licensing.issuer.support.Api.*;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.licensing.core.document.LicenseFiles;
import org.licensing.core.document.LicenseValidity;
import org.licensing.core.document.VerifiedLicense;
import org.licensing.core.key.LicenseKey;
import org.licensing.issuer.support.Api;
import org.licensing.testsupport.ServiceTest;

import com.nimbusds.jose.jwk.JWKSet;

import io.restassured.path.json.JsonPath;

@ServiceTest
class LicenseFileTest {

    @Test
    void signedFileVerifiesWithThePublishedJwks() throws Exception {
        Api.Fixture f = Api.fixture();
        JsonPath issued = f.issue();
        String id = issued.getString("licenseId");

        String jwks = given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
        JWKSet keys = JWKSet.parse(jwks);
        assertFalse(keys.getKeys().isEmpty());
        assertTrue(keys.getKeys().stream().noneMatch(k -> k.isPrivate()), "only public keys are published");

        String jws = given().auth().oauth2(admin()).accept("application/jwt").get("/v1/licenses/" + id + "/file")
                .then().statusCode(200).contentType(startsWith("application/jwt")).extract().asString();
        VerifiedLicense verified = LicenseFiles.verify(jws, keys, Instant.now(), Duration.ZERO);
        assertEquals(LicenseValidity.VALID, verified.status());
        assertEquals(id, verified.document().licenseId());
        assertEquals(f.customerId(), verified.document().customerId());
        assertEquals(f.productCode(), verified.document().productCode());
        assertEquals(new java.math.BigDecimal("8"), verified.document().limits().get("gpus"));

        given().auth().oauth2(admin()).accept("application/json").get("/v1/licenses/" + id + "/file").then()
                .statusCode(200).body("format", is("jws")).body("licenseId", is(id)).body("file", notNullValue());
    }

    @Test
    void encryptedFileOnlyForTheCurrentKey() throws Exception {
        JsonPath issued = Api.fixture().issue();
        String id = issued.getString("licenseId");
        LicenseKey key = LicenseKey.parse(issued.getString("licenseKey"));
        JWKSet keys = JWKSet.parse(given().get("/.well-known/jwks.json").asString());

        String jwe = given().auth().oauth2(admin()).header("License-Key", key.text())
                .get("/v1/licenses/" + id + "/file").then().statusCode(200)
                .contentType(startsWith("application/jose")).extract().asString();
        assertEquals(5, jwe.split("\\.", -1).length);
        String jws = LicenseFiles.decrypt(jwe, key);
        assertEquals(id, LicenseFiles.verify(jws, keys, Instant.now(), Duration.ZERO).document().licenseId());

        LicenseKey other = LicenseKey.generate(key.licenseId());
        given().auth().oauth2(admin()).header("License-Key", other.text()).get("/v1/licenses/" + id + "/file")
                .then().statusCode(422).body("type", is("https://licensing.dev/problems/license-key-mismatch"));
        given().auth().oauth2(admin()).header("License-Key", "LK1-nonsense").get("/v1/licenses/" + id + "/file")
                .then().statusCode(400).body("type", is("https://licensing.dev/problems/malformed-license-key"));
    }
}
