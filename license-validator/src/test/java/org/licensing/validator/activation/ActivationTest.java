package org.licensing.validator.activation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.licensing.testsupport.ServiceTest;
import org.licensing.core.key.LicenseKey;
import org.licensing.core.license.LicenseStatus;
import org.licensing.store.Checkout;
import org.licensing.store.CheckoutStore;
import org.licensing.store.LicenseStore;
import org.licensing.validator.TestLicenses;
import org.licensing.validator.TestLicenses.Issued;
import org.licensing.validator.TestTime;

import io.quarkus.test.common.http.TestHTTPResource;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

@ServiceTest
class ActivationTest {

    /** This class's own clock (TestTime): a fixed start, the same whatever the day or the order of the tests. */
    @BeforeEach
    void startClock() {
        TestTime.startAt("2026-03-10T09:30:00Z");
    }

    @Inject
    LicenseStore store;

    @Inject
    DynamoDbAsyncClient dynamo;

    @TestHTTPResource("/v1/activations")
    URI activations;

    static ValidatableResponse activate(String key, String fingerprint) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("key", key, "fingerprint", fingerprint, "productCode", TestLicenses.PRODUCT))
                .post("/v1/activations").then();
    }

    static ValidatableResponse deactivate(String key, String fingerprint) {
        return given().header("Authorization", "License " + key).delete("/v1/activations/" + fingerprint).then();
    }

    static String validateCode(String key, String fingerprint) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("key", key, "fingerprint", fingerprint, "productCode", TestLicenses.PRODUCT,
                        "nonce", UUID.randomUUID().toString()))
                .post("/v1/validate").then().statusCode(200).extract().path("code");
    }

    @Test
    void activateValidateDeactivate() {
        Issued l = TestLicenses.issue(store, t -> {
            t.maxActivations = 5;
            return t;
        });
        assertEquals("FINGERPRINT_MISMATCH", validateCode(l.keyText(), "host-a"));
        activate(l.keyText(), "host-a").statusCode(201).body("fingerprint", equalTo("host-a"))
                .body("licenseId", equalTo(l.id())).body("activeMachines", equalTo(1)).body("maxActivations", equalTo(5));
        // The activating instance sees its own write at once (cache refreshed with the written record).
        assertEquals("VALID", validateCode(l.keyText(), "host-a"));
        activate(l.keyText(), "host-a").statusCode(200).body("activeMachines", equalTo(1));
        deactivate(l.keyText(), "host-a").statusCode(204);
        assertEquals("FINGERPRINT_MISMATCH", validateCode(l.keyText(), "host-a"));
        deactivate(l.keyText(), "host-a").statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("https://licensing.dev/problems/activation-not-found"));
        assertEquals(Map.of(), store.find(l.id()).join().orElseThrow().activations());
    }

    /**
     * A checkout (an air-gapped machine's file, written by the issuer) shares the seats: it counts until it ends
     * whatever the heartbeat, is never pruned as a lapsed floating seat, and is not the validator's to deactivate.
     */
    @Test
    void aCheckoutHoldsItsSeatUntilItEnds() {
        Issued l = TestLicenses.issue(store, t -> {
            t.maxActivations = 2;
            t.heartbeatHours = 2;
            return t;
        });
        Instant now = TestTime.now();
        Checkout checkout = new Checkout("air-gapped-1", UUID.randomUUID().toString(), 1, now,
                now.plus(Duration.ofDays(10)), null, "rack 7");
        assertNotNull(new CheckoutStore(dynamo, store.table()).checkOut(l.id(), checkout, 0, 2, false).join());
        TestTime.advance(Duration.ofHours(5));
        activate(l.keyText(), "host-a").statusCode(201).body("activeMachines", equalTo(2));
        activate(l.keyText(), "host-b").statusCode(409)
                .body("type", equalTo("https://licensing.dev/problems/too-many-activations"));
        deactivate(l.keyText(), "air-gapped-1").statusCode(409)
                .body("type", equalTo("https://licensing.dev/problems/checkout-seat"));
        TestTime.advance(Duration.ofDays(10)); // the checkout ended; host-a missed its heartbeats
        activate(l.keyText(), "host-b").statusCode(201).body("activeMachines", equalTo(1));
        var stored = store.find(l.id()).join().orElseThrow();
        assertEquals(java.util.Set.of("host-b"), stored.activations().keySet());
        assertEquals(1, stored.checkouts().size(), "the checkout's entry stays for the issuer's list");
    }

    @Test
    void fiftyParallelActivationsAgainstALimitOfFiveLeaveExactlyFive() throws Exception {
        Issued l = TestLicenses.issue(store, t -> {
            t.maxActivations = 5;
            return t;
        });
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String body = "{\"key\":\"" + l.keyText() + "\",\"fingerprint\":\"machine-" + i + "\"}";
            calls.add(client.sendAsync(HttpRequest.newBuilder(activations).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        int created = 0;
        int refused = 0;
        for (var call : calls) {
            int status = call.get().statusCode();
            if (status == 201) {
                created++;
            } else if (status == 409) {
                refused++;
            } else {
                throw new AssertionError("unexpected " + status + ": " + call.get().body());
            }
        }
        assertEquals(5, created);
        assertEquals(45, refused);
        var stored = store.find(l.id()).join().orElseThrow();
        assertEquals(5, stored.activations().size());
        assertEquals(l.record().version(), stored.version(), "activations never touch the issuer's version");
    }

    @Test
    void refusalsOfActivation() {
        activate(LicenseKey.generate(UUID.randomUUID()).text(), "h").statusCode(404).body("code", equalTo("NOT_FOUND"));
        Issued revoked = TestLicenses.issue(store, t -> {
            t.status = LicenseStatus.REVOKED;
            return t;
        });
        activate(revoked.keyText(), "h").statusCode(403).body("code", equalTo("REVOKED"));
        Issued full = TestLicenses.issue(store, t -> {
            t.maxActivations = 1;
            return t;
        });
        activate(full.keyText(), "h1").statusCode(201);
        activate(full.keyText(), "h2").statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("TOO_MANY_ACTIVATIONS"));
        given().contentType(ContentType.JSON).body("{\"key\":\"" + full.keyText() + "\"}").post("/v1/activations")
                .then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"key\":\"LK1-nope\",\"fingerprint\":\"x\"}")
                .post("/v1/activations").then().statusCode(400).body("code", equalTo("MALFORMED_KEY"));
        given().delete("/v1/activations/x").then().statusCode(400).body("code", equalTo("MALFORMED_KEY"));
    }

    @Test
    void floatingSeatsLapseWithoutHeartbeat() {
        Issued l = TestLicenses.issue(store, t -> {
            t.maxActivations = 1;
            t.heartbeatHours = 2;
            return t;
        });
        activate(l.keyText(), "seat-1").statusCode(201).body("heartbeatDueBy", notNullValue());
        activate(l.keyText(), "seat-2").statusCode(409);
        TestTime.advance(Duration.ofMinutes(90));
        given().header("Authorization", "License " + l.keyText()).post("/v1/activations/seat-1/heartbeat").then()
                .statusCode(200).body("lastSeenAt", equalTo(TestTime.now().toString()));
        TestTime.advance(Duration.ofMinutes(90));
        activate(l.keyText(), "seat-2").statusCode(409); // seat-1 was seen 90 minutes ago: still counts
        TestTime.advance(Duration.ofMinutes(31));
        assertEquals("FINGERPRINT_MISMATCH", validateCode(l.keyText(), "seat-1"));
        activate(l.keyText(), "seat-2").statusCode(201);
        var stored = store.find(l.id()).join().orElseThrow();
        assertEquals(List.of("seat-2"), List.copyOf(stored.activations().keySet()));
        given().header("Authorization", "License " + l.keyText()).post("/v1/activations/seat-1/heartbeat").then()
                .statusCode(404);
    }

    @Test
    void deactivationChurnIsBoundedPerDay() {
        Issued l = TestLicenses.issue(store, t -> {
            t.maxDeactivationsPerDay = 2;
            return t;
        });
        for (String fp : List.of("d1", "d2", "d3")) {
            activate(l.keyText(), fp).statusCode(201);
        }
        deactivate(l.keyText(), "d1").statusCode(204);
        deactivate(l.keyText(), "d2").statusCode(204);
        String retryAfter = deactivate(l.keyText(), "d3").statusCode(429).contentType("application/problem+json")
                .body("type", equalTo("https://licensing.dev/problems/deactivation-limit"))
                .body("opensAt", equalTo("2026-03-11T00:00:00Z"))
                .extract().header("Retry-After");
        // The clock stands at 09:30 UTC (startClock): the next day's deactivations open at midnight UTC.
        assertEquals(Instant.parse("2026-03-10T09:30:00Z"), TestTime.now());
        assertEquals(Duration.ofHours(14).plusMinutes(30).toSeconds(), Long.parseLong(retryAfter));
        TestTime.advance(Duration.ofSeconds(Long.parseLong(retryAfter)).minusSeconds(1));
        deactivate(l.keyText(), "d3").statusCode(429).header("Retry-After", "1");
        TestTime.advance(Duration.ofSeconds(1));
        deactivate(l.keyText(), "d3").statusCode(204);
        var stored = store.find(l.id()).join().orElseThrow();
        assertEquals(1, stored.deactivationsOnDay());
        assertEquals(Map.of(), stored.activations());
    }
}
