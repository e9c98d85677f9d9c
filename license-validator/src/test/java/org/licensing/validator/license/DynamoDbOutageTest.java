package org.licensing.validator.license;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.licensing.store.LicenseStore;
import org.licensing.validator.TestLicenses;
import org.licensing.validator.TestLicenses.Issued;
import org.licensing.validator.TestTime;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * DynamoDB stops: a cached license still answers within its TTL (time is frozen, so it stays cached), an
 * uncached one gets 503 problem+json, and once DynamoDB is back (a fresh, empty emulator: re-seeded here) the
 * service answers again by itself. The emulator is this class's own ({@link OwnDynamoDbResource}), not the one the
 * other classes share, so stopping it changes nothing for them.
 */
@QuarkusTest
@WithTestResource(OwnDynamoDbResource.class)
class DynamoDbOutageTest {

    @BeforeEach
    void startClock() {
        TestTime.startAt("2026-07-01T00:00:00Z");
    }

    @Inject
    LicenseStore store;

    static ValidatableResponse validate(String key) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("key", key, "productCode", TestLicenses.PRODUCT, "nonce", UUID.randomUUID().toString()))
                .post("/v1/validate").then();
    }

    @Test
    void cachedAnswersDuringAnOutage503OtherwiseAndRecovery() {
        Issued cached = TestLicenses.issue(store);
        Issued uncached = TestLicenses.issue(store);
        validate(cached.keyText()).statusCode(200).body("code", equalTo("VALID"));

        OwnDynamoDbResource.stopEmulator();
        try {
            validate(cached.keyText()).statusCode(200).body("code", equalTo("VALID"));
            validate(uncached.keyText()).statusCode(503).contentType("application/problem+json")
                    .body("type", equalTo("https://licensing.dev/problems/store-unavailable"))
                    .header("Retry-After", "5");
            given().contentType(ContentType.JSON)
                    .body(Map.of("key", uncached.keyText(), "fingerprint", "m1")).post("/v1/activations").then()
                    .statusCode(503).contentType("application/problem+json");
            given().get("/q/health/ready").then().statusCode(503);
        } finally {
            OwnDynamoDbResource.restartEmulator();
        }
        store.create(uncached.record()).join();
        validate(uncached.keyText()).statusCode(200).body("code", equalTo("VALID"));
        given().get("/q/health/ready").then().statusCode(200);
        assertEquals(true, store.find(uncached.id()).join().isPresent());
    }

    /**
     * Readiness recovers by itself: after the outage no request reaches the service (as behind a load balancer that
     * took the unready pod out), only the probes, and the next probe after DynamoDB is back finds it. Liveness never
     * depends on DynamoDB.
     */
    @Test
    void readinessRecoversWithoutTrafficOnceDynamoDbIsBack() {
        Issued uncached = TestLicenses.issue(store);
        given().get("/q/health/ready").then().statusCode(200);
        OwnDynamoDbResource.stopEmulator();
        try {
            validate(uncached.keyText()).statusCode(503);
            given().get("/q/health/ready").then().statusCode(503);
            given().get("/q/health/live").then().statusCode(200);
            TestTime.advance(Duration.ofSeconds(5));
            given().get("/q/health/ready").then().statusCode(503); // probed: still down
            given().get("/q/health/live").then().statusCode(200);
        } finally {
            OwnDynamoDbResource.restartEmulator();
        }
        // Within the probe interval the last outcome stands (no DynamoDB call per probe) ...
        given().get("/q/health/ready").then().statusCode(503);
        // ... and the first probe after it asks DynamoDB again: back in service, with no request in between.
        TestTime.advance(Duration.ofSeconds(5));
        given().get("/q/health/ready").then().statusCode(200).body("checks[0].name", equalTo("dynamodb"));
    }
}
