package org.licensing.validator.validation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.licensing.testsupport.ServiceTest;
import org.licensing.core.crypto.JwsVerifier;
import org.licensing.core.key.LicenseKey;
import org.licensing.store.Activation;
import org.licensing.core.license.LicenseStatus;
import org.licensing.store.LicenseStore;
import org.licensing.validator.TestLicenses;
import org.licensing.validator.TestLicenses.Issued;
import org.licensing.validator.TestTime;
import org.licensing.core.receipt.ValidationReceipt;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

@ServiceTest
class ValidateTest {

    /** This class's own clock (TestTime): a fixed start, the same whatever the day or the order of the tests. */
    @BeforeEach
    void startClock() {
        TestTime.startAt("2026-04-20T14:00:00Z");
    }

    @Inject
    LicenseStore store;

    static Map<String, Object> body(String key, String fingerprint) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("key", key);
        b.put("productCode", TestLicenses.PRODUCT);
        b.put("nonce", "n-" + UUID.randomUUID());
        if (fingerprint != null) {
            b.put("fingerprint", fingerprint);
        }
        return b;
    }

    static ValidatableResponse validate(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/validate").then();
    }

    static ValidatableResponse expectCode(Map<String, Object> body, String code) {
        return validate(body).statusCode(200).contentType(ContentType.JSON).body("code", equalTo(code))
                .body("receipt", notNullValue());
    }

    @Test
    void validAnswerCarriesEntitlementsExpiryAndAVerifiableReceipt() throws Exception {
        Issued l = TestLicenses.issue(store);
        Map<String, Object> body = body(l.keyText(), null);
        body.put("usage", Map.of("gpus", 8, "nodes", 2));
        String receipt = expectCode(body, "VALID")
                .body("licenseId", equalTo(l.id()))
                .body("entitlements.limits.gpus", equalTo(8))
                .body("entitlements.features.mig", equalTo(true))
                .body("expiresAt", equalTo(l.record().expiresAt().toString()))
                .body("leaseUntil", equalTo(TestTime.now().plus(Duration.ofHours(24)).toString()))
                .extract().path("receipt");

        String jwks = given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
        JWTClaimsSet claims = JwsVerifier.verify(receipt, JWKSet.parse(jwks), ValidationReceipt.TYP).claims();
        assertEquals(body.get("nonce"), claims.getStringClaim("nonce"));
        assertEquals("VALID", claims.getStringClaim("code"));
        assertEquals(l.id(), claims.getStringClaim("license_id"));
        assertEquals(TestTime.now().plus(Duration.ofHours(24)).getEpochSecond(), claims.getLongClaim("lease_until"));

        // An independent JOSE implementation (jose4j) verifies it with the published JWK Set too.
        var set = new org.jose4j.jwk.JsonWebKeySet(jwks);
        var jws = new org.jose4j.jws.JsonWebSignature();
        jws.setAlgorithmConstraints(new org.jose4j.jwa.AlgorithmConstraints(
                org.jose4j.jwa.AlgorithmConstraints.ConstraintType.PERMIT, "EdDSA"));
        jws.setCompactSerialization(receipt);
        var jwk = set.getJsonWebKeys().stream().filter(k -> k.getKeyId().equals(jws.getKeyIdHeaderValue())).findFirst()
                .orElseThrow();
        jws.setKey(jwk.getKey());
        assertTrue(jws.verifySignature());
        assertEquals(ValidationReceipt.TYP, jws.getHeader("typ"));
        var payload = org.jose4j.jwt.JwtClaims.parse(jws.getPayload());
        assertEquals(body.get("nonce"), payload.getStringClaimValue("nonce"));
        assertEquals("VALID", payload.getStringClaimValue("code"));
    }

    @Test
    void receiptEchoesFingerprint() throws Exception {
        Issued l = TestLicenses.issue(store, t -> {
            t.activations = Map.of("host-1", new Activation("host-1", TestTime.now(), TestTime.now()));
            return t;
        });
        String receipt = expectCode(body(l.keyText(), "host-1"), "VALID").extract().path("receipt");
        String jwks = given().get("/.well-known/jwks.json").then().extract().asString();
        assertEquals("host-1", JwsVerifier.verify(receipt, JWKSet.parse(jwks)).getStringClaim("fingerprint"));
    }

    @Test
    void unknownIdAndWrongSecretAnswerIdentically() throws Exception {
        Issued l = TestLicenses.issue(store);
        LicenseKey wrongSecret = LicenseKey.of(l.key().licenseId(), new byte[LicenseKey.SECRET_BYTES]);
        LicenseKey unknown = LicenseKey.generate(UUID.randomUUID());
        Map<String, Object> a = body(wrongSecret.text(), "m");
        Map<String, Object> b = body(unknown.text(), "m");
        b.put("nonce", a.get("nonce"));
        Map<String, Object> answerA = expectCode(a, "NOT_FOUND").extract().as(Map.class);
        Map<String, Object> answerB = expectCode(b, "NOT_FOUND").extract().as(Map.class);
        assertEquals(answerA.keySet(), answerB.keySet());
        assertEquals(answerA.get("detail"), answerB.get("detail"));
        assertNull(answerA.get("licenseId"));
        assertNull(answerA.get("entitlements"));
        String jwks = given().get("/.well-known/jwks.json").then().extract().asString();
        JWTClaimsSet ca = JwsVerifier.verify((String) answerA.get("receipt"), JWKSet.parse(jwks));
        JWTClaimsSet cb = JwsVerifier.verify((String) answerB.get("receipt"), JWKSet.parse(jwks));
        Map<String, Object> sa = new HashMap<>(ca.getClaims());
        Map<String, Object> sb = new HashMap<>(cb.getClaims());
        sa.remove("jti");
        sb.remove("jti");
        assertEquals(sa, sb);
        assertNull(ca.getClaim("license_id"));
        assertEquals(ca.getIssueTime(), ca.getExpirationTime(), "no lease for NOT_FOUND");
    }

    @Test
    void suspendedAndRevoked() {
        Issued s = TestLicenses.issue(store, t -> {
            t.status = LicenseStatus.SUSPENDED;
            return t;
        });
        expectCode(body(s.keyText(), null), "SUSPENDED").body("leaseUntil", nullValue());
        Issued r = TestLicenses.issue(store, t -> {
            t.status = LicenseStatus.REVOKED;
            return t;
        });
        expectCode(body(r.keyText(), null), "REVOKED").body("leaseUntil", nullValue());
    }

    @Test
    void expiredWithGraceRemainingThenPastGrace() {
        Instant now = TestTime.now();
        Issued inGrace = TestLicenses.issue(store, t -> {
            t.expiresAt = now.minus(Duration.ofDays(1));
            t.graceDays = 7;
            return t;
        });
        expectCode(body(inGrace.keyText(), null), "EXPIRED")
                .body("graceRemainingSeconds", equalTo((int) Duration.ofDays(6).toSeconds()))
                .body("leaseUntil", equalTo(now.plus(Duration.ofHours(24)).toString()));
        Issued leaseCapped = TestLicenses.issue(store, t -> {
            t.expiresAt = now.minus(Duration.ofDays(7)).plus(Duration.ofHours(2));
            t.graceDays = 7;
            return t;
        });
        expectCode(body(leaseCapped.keyText(), null), "EXPIRED")
                .body("leaseUntil", equalTo(leaseCapped.record().graceEndsAt().toString()));
        Issued past = TestLicenses.issue(store, t -> {
            t.expiresAt = now.minus(Duration.ofDays(8));
            t.graceDays = 7;
            return t;
        });
        expectCode(body(past.keyText(), null), "EXPIRED").body("leaseUntil", nullValue())
                .body("graceRemainingSeconds", nullValue());
    }

    @Test
    void notYetValid() {
        Issued l = TestLicenses.issue(store, t -> {
            t.notBefore = TestTime.now().plus(Duration.ofDays(2));
            return t;
        });
        expectCode(body(l.keyText(), null), "NOT_YET_VALID");
    }

    @Test
    void productMismatch() {
        Issued l = TestLicenses.issue(store, t -> {
            t.productCode = "other-product";
            return t;
        });
        expectCode(body(l.keyText(), null), "PRODUCT_MISMATCH");
    }

    @Test
    void fingerprintMismatchAndTooManyActivations() {
        Instant now = TestTime.now();
        Issued l = TestLicenses.issue(store, t -> {
            t.maxActivations = 2;
            t.activations = Map.of("a", new Activation("a", now, now));
            return t;
        });
        expectCode(body(l.keyText(), "not-activated"), "FINGERPRINT_MISMATCH");
        // Machine-locked: leaving the fingerprint out is no way around the limit.
        expectCode(body(l.keyText(), null), "FINGERPRINT_MISMATCH")
                .body("detail", equalTo("This license is locked to 2 activated machine(s): send the machine's fingerprint."))
                .body("leaseUntil", nullValue());
        expectCode(body(l.keyText(), "a"), "VALID");
        Issued over = TestLicenses.issue(store, t -> {
            t.maxActivations = 1;
            t.activations = Map.of("a", new Activation("a", now, now), "b", new Activation("b", now, now));
            return t;
        });
        expectCode(body(over.keyText(), "a"), "TOO_MANY_ACTIVATIONS");
    }

    @Test
    void usageLimitsWithOverage() {
        Issued l = TestLicenses.issue(store); // gpus 8, 25 % overage -> 10 allowed
        Map<String, Object> ok = body(l.keyText(), null);
        ok.put("usage", Map.of("gpus", 10));
        expectCode(ok, "VALID");
        Map<String, Object> over = body(l.keyText(), null);
        over.put("usage", Map.of("gpus", 11, "nodes", 1));
        expectCode(over, "LIMIT_EXCEEDED").body("limit", equalTo("gpus")).body("allowed", equalTo(10))
                .body("leaseUntil", nullValue());
    }

    @Test
    void fractionalLimitsAreEnforcedExactlyAndSignedIntoTheReceipt() throws Exception {
        Issued l = TestLicenses.issue(store, t -> {
            t.overagePercent = 0;
            t.limits = Map.of("cuda.shares", new java.math.BigDecimal("16"), "cuda.device",
                    new java.math.BigDecimal("8"));
            return t;
        });
        Map<String, Object> over = body(l.keyText(), null);
        over.put("usage", Map.of("cuda.shares", new java.math.BigDecimal("16.5")));
        expectCode(over, "LIMIT_EXCEEDED").body("limit", equalTo("cuda.shares")).body("allowed", equalTo(16));
        Map<String, Object> ok = body(l.keyText(), null);
        ok.put("usage", Map.of("cuda.shares", new java.math.BigDecimal("15.75")));
        String receipt = expectCode(ok, "VALID").extract().path("receipt");
        String jwks = given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
        ValidationReceipt signed = ValidationReceipt.fromClaims(
                JwsVerifier.verify(receipt, JWKSet.parse(jwks), ValidationReceipt.TYP).claims());
        assertEquals(new java.math.BigDecimal("16"), signed.entitlements().limit("cuda.shares").orElseThrow());
        assertEquals(java.util.Map.of("mig", true), signed.entitlements().features());
    }

    @Test
    void malformedKeysAre400ProblemsWithCode() {
        for (String key : new String[] {"", "hello", "LK1-ABCDE", "LK9-AAAAA", "x".repeat(5000),
                LicenseKey.generate(UUID.randomUUID()).text().substring(0, 40),
                "LK1-\u00e9\u00e9\u00e9\u00e9\u00e9-AAAAA"}) {
            validate(body(key, null)).statusCode(400).contentType("application/problem+json")
                    .body("code", equalTo("MALFORMED_KEY"))
                    .body("type", equalTo("https://licensing.dev/problems/malformed-license-key"));
        }
        // A one-symbol typo is caught by the checksum before any lookup.
        String good = LicenseKey.generate(UUID.randomUUID()).text();
        char c = good.charAt(10);
        String typo = good.substring(0, 10) + (c == 'A' ? 'B' : 'A') + good.substring(11);
        validate(body(typo, null)).statusCode(400).body("reason", equalTo("BAD_CHECKSUM"));
        Map<String, Object> noKey = body(null, null);
        noKey.remove("key");
        validate(noKey).statusCode(400).body("code", equalTo("MALFORMED_KEY"));
    }

    @Test
    void badBodiesAre400ProblemsNever500() {
        String key = LicenseKey.generate(UUID.randomUUID()).text();
        String[] bodies = {
            "", "{", "{\"key\":", "[]", "null", "\"str\"", "{\"key\": 5, \"nonce\": {}}",
            "{\"key\":\"" + key + "\",\"productCode\":\"p\"}",
            "{\"key\":\"" + key + "\",\"productCode\":\"p\",\"nonce\":\"" + "n".repeat(200) + "\"}",
            "{\"key\":\"" + key + "\",\"productCode\":\"p\",\"nonce\":\"n\",\"usage\":{\"gpus\":-1}}",
            "{\"key\":\"" + key + "\",\"productCode\":\"p\",\"nonce\":\"n\",\"usage\":{\"gpus\":\"many\"}}",
            "{\"key\":\"" + key + "\",\"productCode\":\"p\",\"nonce\":\"n\",\"fingerprint\":\"\"}",
            // Unknown fields are refused (service-support's StrictJson), so a misspelling is never ignored.
            "{\"key\":\"" + key + "\",\"productCode\":\"p\",\"nonce\":\"n\",\"usge\":{\"gpus\":1}}",
        };
        for (String b : bodies) {
            int status = given().contentType(ContentType.JSON).body(b).post("/v1/validate").then()
                    .extract().statusCode();
            assertEquals(400, status, "body " + b);
            given().contentType(ContentType.JSON).body(b).post("/v1/validate").then()
                    .contentType("application/problem+json");
        }
        byte[] notUtf8 = {'{', '"', 'k', 'e', 'y', '"', ':', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', '}'};
        given().contentType(ContentType.JSON).body(notUtf8).post("/v1/validate").then().statusCode(400);
        byte[] huge = ("{\"key\":\"" + "A".repeat(100_000) + "\"}").getBytes();
        // Over quarkus.http.limits.max-body-size (16K): refused before it is read, 413.
        given().contentType(ContentType.JSON).body(huge).post("/v1/validate").then().statusCode(413);
        // Not JSON at all: 415, as a problem of the one list.
        given().contentType("text/plain").body("hi").post("/v1/validate").then().statusCode(415)
                .contentType("application/problem+json")
                .body("type", equalTo("https://licensing.dev/problems/unsupported-media-type"));
    }

    @Test
    void pingAndJwks() {
        given().get("/v1/ping").then().statusCode(200).body("status", equalTo("ok"));
        given().get("/.well-known/jwks.json").then().statusCode(200)
                .body("keys[0].kty", equalTo("OKP")).body("keys[0].crv", equalTo("Ed25519"))
                .body("keys[0].kid", notNullValue()).body("keys[0].d", nullValue());
        // The 406 answers the OpenAPI document states for both.
        given().accept("text/plain").get("/v1/ping").then().statusCode(406).contentType("application/problem+json")
                .body("type", equalTo("https://licensing.dev/problems/not-acceptable"));
        given().accept("text/html").get("/.well-known/jwks.json").then().statusCode(406)
                .contentType("application/problem+json");
    }
}
