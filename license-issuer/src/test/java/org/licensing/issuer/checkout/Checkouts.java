package org.licensing.issuer.checkout;

import static io.restassured.RestAssured.given;
import static org.licensing.issuer.support.Api.admin;
import static org.licensing.issuer.support.Api.as;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.licensing.core.checkout.CheckoutFiles;
import org.licensing.core.checkout.CheckoutRequest;
import org.licensing.core.checkout.VerifiedCheckout;
import org.licensing.core.key.LicenseKey;
import org.licensing.issuer.support.Api;

import com.nimbusds.jose.jwk.JWKSet;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Test helpers: policies with checkout settings, licenses, checkout requests, opening files (also for usage). */
public final class Checkouts {

    private Checkouts() {
    }

    /** A license of a new customer and product with a policy of {@code maxActivations} seats. */
    public record License(String id, LicenseKey key, String customerId, String productCode) {
    }

    static License license(int maxActivations, boolean allowUnboundFiles) {
        return license(maxActivations, Map.of("allowUnboundFiles", allowUnboundFiles));
    }

    /** A license whose policy has {@code settings} besides the defaults here (limits: 8 gpus). */
    public static License license(int maxActivations, Map<String, Object> settings) {
        String customer = Api.createCustomer(Api.unique("Site"));
        String product = Api.createProduct();
        Map<String, Object> policy = new HashMap<>(Map.of("productCode", product, "name", "Air-gapped",
                "durationDays", 365, "graceDays", 14, "maxActivations", maxActivations, "maxCheckoutDays", 90,
                "entitlements", Map.of("features", Map.of("sso", true), "limits", Map.of("gpus", 8))));
        policy.putAll(settings);
        String policyId = as(admin()).body(policy).post("/v1/policies").then().statusCode(201).extract().path("id");
        JsonPath issued = as(admin()).body(Map.of("customerId", customer, "policyId", policyId)).post("/v1/licenses")
                .then().statusCode(201).extract().jsonPath();
        return new License(issued.getString("licenseId"), LicenseKey.parse(issued.getString("licenseKey")), customer,
                product);
    }

    public static String fingerprint() {
        return "host-" + UUID.randomUUID().toString().replace("-", "");
    }

    static String request(License l, String fingerprint) {
        return CheckoutRequest.of(UUID.fromString(l.id()), l.productCode(), fingerprint, Instant.now(), "rack-1")
                .toJson();
    }

    public static Response checkOut(String token, License l, Object request, int days) {
        return as(token).body(Map.of("request", request, "durationDays", days))
                .post("/v1/licenses/" + l.id() + "/checkouts");
    }

    static Response checkOut(License l, String fingerprint) {
        return checkOut(admin(), l, request(l, fingerprint), 30);
    }

    static JWKSet jwks() throws Exception {
        return JWKSet.parse(given().get("/.well-known/jwks.json").asString());
    }

    static VerifiedCheckout open(String jwe, LicenseKey key, String fingerprint) throws Exception {
        return CheckoutFiles.open(jwe, key, fingerprint, jwks(), null, Instant.now(), Duration.ofSeconds(5));
    }

    static JsonPath list(License l) {
        return as(admin()).get("/v1/licenses/" + l.id() + "/checkouts").then().statusCode(200).extract().jsonPath();
    }

    static JsonPath audit(License l) {
        return as(admin()).queryParam("licenseId", l.id()).get("/v1/audit-events").then().statusCode(200).extract()
                .jsonPath();
    }
}
