package org.licensing.relay.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.licensing.core.checkout.CheckoutDocument;
import org.licensing.core.checkout.CheckoutFiles;
import org.licensing.core.checkout.CheckoutRequest;
import org.licensing.core.checkout.VerifiedCheckout;
import org.licensing.core.crypto.JwsVerifier;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.document.LicenseDocument;
import org.licensing.core.key.LicenseKey;
import org.licensing.core.relay.LeaseClaims;
import org.licensing.core.relay.LeaseVerifier;
import org.licensing.core.usage.UsageReport;

/**
 * The relay over HTTP, in the order a site lives it: not serving without a checkout (503 and health DOWN saying
 * why), the admin token, installing a checkout made by license-core's CheckoutFiles with a test vendor key, leases
 * (signed, chained to the vendor key, refused past the limits), heartbeats, releases, a usage report.
 */
@QuarkusTest
@WithTestResource(RelayTestResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RelayApiTest {

    static final String ADMIN = "Bearer " + RelayTestResource.ADMIN_TOKEN;
    static final String PROBLEM = "application/problem+json";

    static String checkout(String requestJson, Map<String, BigDecimal> limits, int maxActivations, long seq,
            SigningKeys vendor, LicenseKey key) {
        CheckoutRequest request = CheckoutRequest.parse(requestJson);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        LicenseDocument license = new LicenseDocument(key.licenseId().toString(), "cust-1", "Acme GPU",
                "gpu-cluster", Map.of(), limits, maxActivations, now.minus(Duration.ofDays(1)),
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), 7);
        CheckoutDocument doc = new CheckoutDocument(UUID.randomUUID(), license, request.fingerprint(), seq, now,
                now.plus(Duration.ofDays(30)), request.relayKey());
        return CheckoutFiles.encrypt(CheckoutFiles.sign(doc, "https://issuer.licensing.test", vendor),
                key.licenseId(), key.secretHash(), request.fingerprint());
    }

    static Map<String, Object> lease(String node, String nonce, Map<String, Object> quantities) {
        return Map.of("fingerprint", node, "nonce", nonce, "quantities", quantities);
    }

    @Test
    @Order(1)
    void withoutACheckoutTheRelayRefusesAndSaysWhy() {
        given().when().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'relay' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'relay' }.data.code", equalTo("NO_CHECKOUT"))
                .body("checks.find { it.name == 'relay' }.data.message", containsString("checkout-request.json"));
        given().contentType(ContentType.JSON).body(lease("node-1", "n1", Map.of("cuda.device", 1)))
                .when().post("/v1/leases").then().statusCode(503).contentType(PROBLEM)
                .header("Retry-After", "30")
                .body("type", equalTo("https://licensing.dev/problems/relay-not-serving"))
                .body("reason", equalTo("NO_CHECKOUT"));
        given().when().get("/v1/relay").then().statusCode(200).body("serving", is(false))
                .body("code", equalTo("NO_CHECKOUT")).body("fingerprint", equalTo(RelayTestResource.SITE));
    }

    @Test
    @Order(2)
    void theAdminApiNeedsTheSitesToken() {
        given().when().get("/v1/admin/checkout-request").then().statusCode(401).contentType(PROBLEM)
                .header("WWW-Authenticate", "Bearer")
                .body("type", equalTo("https://licensing.dev/problems/unauthorized"));
        given().header("Authorization", ADMIN + "x").when().get("/v1/admin/checkout-request").then().statusCode(401);
        given().header("Authorization", "Basic " + RelayTestResource.ADMIN_TOKEN).when()
                .get("/v1/admin/checkout-request").then().statusCode(401);
        String request = given().header("Authorization", ADMIN).when().get("/v1/admin/checkout-request").then()
                .statusCode(200).body("typ", equalTo(CheckoutRequest.TYPE))
                .body("fingerprint", equalTo(RelayTestResource.SITE))
                .body("relay_key.kty", equalTo("OKP")).body("relay_key.d", equalTo(null))
                .extract().asString();
        assertTrue(CheckoutRequest.parse(request).relayKey() != null);
    }

    @Test
    @Order(3)
    void aCheckoutFromAnotherVendorKeyIsRejectedAndTheRightOneStartsServing() throws Exception {
        String request = given().header("Authorization", ADMIN).get("/v1/admin/checkout-request").asString();
        LicenseKey key = RelayTestResource.licenseKey();
        String forged = checkout(request, Map.of("cuda.device", new BigDecimal("64")), 8, 1,
                SigningKeys.generate("vendor-1"), key);
        given().header("Authorization", ADMIN).contentType("application/jwt").body(forged.getBytes(StandardCharsets.US_ASCII))
                .when().put("/v1/admin/checkout").then().statusCode(422).contentType(PROBLEM)
                .body("type", equalTo("https://licensing.dev/problems/checkout-rejected"))
                .body("reason", equalTo("CHECKOUT_INVALID")).body("detail", containsString("BAD_SIGNATURE"));
        String good = checkout(request, Map.of("cuda.device", new BigDecimal("64"), "cuda.shares",
                new BigDecimal("128.5"), "nodes", new BigDecimal("8")), 8, 1, RelayTestResource.vendorKeys(), key);
        given().header("Authorization", ADMIN).contentType("application/jwt").body(good.getBytes(StandardCharsets.US_ASCII))
                .when().put("/v1/admin/checkout").then().statusCode(200).body("serving", is(true))
                .body("code", equalTo("SERVING"));
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/v1/relay").then().statusCode(200).body("serving", is(true))
                .body("pool.limits.'cuda.shares'", equalTo(128.5f)).body("pool.maxNodes", equalTo(8));
    }

    @Test
    @Order(4)
    void aLeaseIsSignedByTheRelayKeyTheVendorCertifiedAndEchoesNonceAndNode() throws Exception {
        Response r = given().contentType(ContentType.JSON)
                .body(lease("node-1", "nonce-abc", Map.of("cuda.device", 8, "cuda.shares", 2.5, "nodes", 1)))
                .when().post("/v1/leases");
        r.then().statusCode(201).contentType(ContentType.JSON)
                .header("Location", containsString("/v1/leases/"))
                .body("nonce", equalTo("nonce-abc")).body("fingerprint", equalTo("node-1"))
                .body("quantities.'cuda.shares'", equalTo(2.5f)).body("leaseUntil", notNullValue());
        VerifiedCheckout checkout = CheckoutFiles.verify(r.path("checkout"),
                RelayTestResource.vendorKeys().publicJwkSet(), "https://issuer.licensing.test", Instant.now(),
                Duration.ZERO);
        JWTClaimsSet claims = JwsVerifier.verify(r.path("lease"), new JWKSet(checkout.document().relayKey()),
                LeaseClaims.TYP).claims();
        assertEquals("nonce-abc", claims.getStringClaim("nonce"));
        assertEquals("node-1", claims.getStringClaim("fingerprint"));
        assertEquals(r.path("leaseId").toString(), claims.getJWTID());
        assertEquals(Map.of("cuda.device", new BigDecimal("8"), "cuda.shares", new BigDecimal("2.5")),
                LeaseClaims.fromClaims(claims).quantities());
        assertEquals(Instant.parse(r.path("leaseUntil")).getEpochSecond(), claims.getLongClaim("lease_until"));
        // As a node checks it: the issued checkout (JWE) opens with the license key and certifies the lease's key.
        LeaseClaims verified = new LeaseVerifier(RelayTestResource.licenseKey(),
                RelayTestResource.vendorKeys().publicJwkSet(), "https://issuer.licensing.test", "gpu-cluster",
                Duration.ZERO).verify(r.path("lease"), r.path("checkoutFile"), "nonce-abc", "node-1", Instant.now())
                .lease();
        assertEquals(r.path("leaseId").toString(), verified.leaseId().toString());
    }

    @Test
    @Order(5)
    void requestsPastTheLimitsOrMalformedAreRefusedWithProblems() {
        given().contentType(ContentType.JSON).body(lease("node-2", "n", Map.of("cuda.shares", 126.000001)))
                .when().post("/v1/leases").then().statusCode(409).contentType(PROBLEM)
                .body("type", equalTo("https://licensing.dev/problems/pool-exhausted"))
                .body("quantity", equalTo("cuda.shares")).body("available", equalTo("126"))
                .body("limit", equalTo("128.5"));
        given().contentType(ContentType.JSON).body(lease("node-2", "n", Map.of("rocm.device", 1)))
                .when().post("/v1/leases").then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("https://licensing.dev/problems/invalid-request"))
                .body("detail", containsString("rocm.device"));
        given().contentType(ContentType.JSON).body(lease("bad node", "n", Map.of("cuda.device", 1)))
                .when().post("/v1/leases").then().statusCode(400).body("detail", containsString("fingerprint"));
        given().contentType(ContentType.JSON).body("{\"fingerprint\":\"n\",\"nonce\":\"n\",\"quantities\":{},"
                + "\"extra\":1}").when().post("/v1/leases").then().statusCode(400).contentType(PROBLEM);
        given().contentType(ContentType.JSON).body("{not json").when().post("/v1/leases").then().statusCode(400)
                .contentType(PROBLEM).body("type", containsString("https://licensing.dev/problems/"));
        // Eight nodes hold leases at most.
        for (int i = 2; i <= 8; i++) {
            given().contentType(ContentType.JSON).body(lease("node-" + i, "n", Map.of("cuda.device", 1)))
                    .when().post("/v1/leases").then().statusCode(201);
        }
        given().contentType(ContentType.JSON).body(lease("node-9", "n", Map.of("cuda.device", 1)))
                .when().post("/v1/leases").then().statusCode(409)
                .body("type", equalTo("https://licensing.dev/problems/too-many-activations"));
    }

    @Test
    @Order(6)
    void heartbeatsExtendAndReleasesFreeOnlyForTheNodeThatHoldsTheLease() {
        String id = given().contentType(ContentType.JSON).body(lease("node-8", "n1", Map.of("cuda.device", 2)))
                .when().post("/v1/leases").then().statusCode(201).extract().path("leaseId");
        given().contentType(ContentType.JSON).body(Map.of("fingerprint", "node-8", "nonce", "n2"))
                .when().put("/v1/leases/" + id).then().statusCode(200).body("nonce", equalTo("n2"))
                .body("leaseId", equalTo(id));
        given().contentType(ContentType.JSON).body(Map.of("fingerprint", "node-7", "nonce", "n3"))
                .when().put("/v1/leases/" + id).then().statusCode(404)
                .body("type", equalTo("https://licensing.dev/problems/lease-not-found"));
        given().queryParam("fingerprint", "node-7").when().delete("/v1/leases/" + id).then().statusCode(404);
        given().queryParam("fingerprint", "node-8").when().delete("/v1/leases/" + id).then().statusCode(204);
        given().queryParam("fingerprint", "node-8").when().delete("/v1/leases/" + id).then().statusCode(404);
        given().contentType(ContentType.JSON).body(lease("node-9", "n", Map.of("cuda.device", 1)))
                .when().post("/v1/leases").then().statusCode(201);
        given().header("Authorization", ADMIN).when().get("/v1/admin/leases").then().statusCode(200)
                .body("size()", equalTo(8)).body("fingerprint", hasItem("node-9"));
    }

    @Test
    @Order(7)
    void theUsageReportIsSignedByTheRelayKeyAndChained() throws Exception {
        Thread.sleep(1100); // a period of at least a second
        String jws = given().header("Authorization", ADMIN).when().get("/v1/admin/usage-report").then()
                .statusCode(200).contentType("application/jwt").extract().asString();
        JWKSet relayKey = new JWKSet(CheckoutFiles.verify(relayCheckout(),
                RelayTestResource.vendorKeys().publicJwkSet(), null, Instant.now(), Duration.ZERO).document()
                .relayKey());
        UsageReport report = UsageReport.fromClaims(JwsVerifier.verify(jws, relayKey, UsageReport.TYP).claims());
        assertEquals(1, report.sequence());
        assertTrue(report.totals().get("cuda.device").signum() > 0, report.totals().toString());
        assertEquals(0, new BigDecimal("8").compareTo(report.peak().get("nodes")), "never more nodes than the license allows");
        given().header("Authorization", ADMIN).queryParam("from", "2020-01-01").when()
                .get("/v1/admin/usage-report").then().statusCode(409).contentType(PROBLEM)
                .body("type", equalTo("https://licensing.dev/problems/usage-report-overlap"));
        // The issuer's types for the same faults: one name whoever refuses.
        given().header("Authorization", ADMIN).queryParam("from", "2099-01-01").queryParam("to", "2099-01-02")
                .when().get("/v1/admin/usage-report").then().statusCode(409).contentType(PROBLEM)
                .body("type", equalTo("https://licensing.dev/problems/usage-report-gap"));
        given().header("Authorization", ADMIN).queryParam("to", "2099-01-02").when()
                .get("/v1/admin/usage-report").then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("https://licensing.dev/problems/invalid-request"))
                .body("detail", containsString("future"));
        given().header("Authorization", ADMIN).queryParam("to", "yesterday").when()
                .get("/v1/admin/usage-report").then().statusCode(400);
        given().when().get("/v1/admin/usage-report").then().statusCode(401);
    }

    String relayCheckout() {
        return given().contentType(ContentType.JSON).body(lease("node-9", "n", Map.of("cuda.device", 1)))
                .when().post("/v1/leases").then().statusCode(201).extract().path("checkout");
    }

    @Test
    @Order(8)
    void pingAndTheApiDocumentAnswer() {
        given().when().get("/v1/ping").then().statusCode(200).body("status", equalTo("ok"));
        given().when().get("/q/openapi").then().statusCode(200).body(containsString("/v1/leases"));
        // The shared answers (RelayOpenApiModel) are in the document, their examples from the one list of types.
        given().when().get("/q/openapi?format=json").then().statusCode(200)
                .body("components.responses.NotServing.content.'application/problem+json'.examples."
                        + "'relay-not-serving'.value.type", equalTo("https://licensing.dev/problems/relay-not-serving"))
                .body("components.responses.NotServing.headers.'Retry-After'.schema.type", equalTo("integer"))
                .body("components.responses.AdminRefused.content.'application/problem+json'.examples."
                        + "unauthorized.value.status", equalTo(401))
                .body("components.securitySchemes.adminToken.scheme", equalTo("bearer"))
                .body("paths.'/v1/leases'.post.responses.'503'.'$ref'", equalTo("#/components/responses/NotServing"));
        given().when().get("/v1/nothing").then().statusCode(404).contentType(PROBLEM)
                .body("type", equalTo("https://licensing.dev/problems/not-found"));
    }
}
