package org.licensing.issuer.idempotency;

import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.licensing.issuer.support.Api.*;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.licensing.issuer.support.Api;
import org.licensing.testsupport.ServiceTest;
import org.licensing.testsupport.TestTokens;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.smallrye.mutiny.Uni;

@ServiceTest
class IdempotencyTest {

    @Inject
    Idempotency idempotency;

    @Test
    void sameKeyTwiceIssuesOneLicenseAndReturnsTheFirstAnswer() {
        Api.Fixture f = Api.fixture();
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("customerId", f.customerId(), "policyId", f.policyId());

        Response first = as(admin()).header("Idempotency-Key", key).body(body).post("/v1/licenses");
        first.then().statusCode(201).header("Idempotent-Replayed", nullValue());
        Response second = as(admin()).header("Idempotency-Key", key).body(body).post("/v1/licenses");
        second.then().statusCode(201).header("Idempotent-Replayed", is("true"))
                .header("Location", is(first.header("Location")));

        JsonPath a = first.jsonPath();
        JsonPath b = second.jsonPath();
        assertEquals(a.getString("licenseId"), b.getString("licenseId"));
        assertEquals(a.getString("licenseKey"), b.getString("licenseKey"));
        as(admin()).queryParam("customerId", f.customerId()).get("/v1/licenses").then()
                .body("items", hasSize(1));
    }

    @Test
    void sameKeyWithAnotherBodyIs422AndAnotherActorHasItsOwnKeys() {
        Api.Fixture f = Api.fixture();
        String key = UUID.randomUUID().toString();
        as(admin()).header("Idempotency-Key", key).body(Map.of("customerId", f.customerId(), "policyId",
                f.policyId())).post("/v1/licenses").then().statusCode(201);
        as(admin()).header("Idempotency-Key", key).body(Map.of("customerId", f.customerId(), "policyId",
                f.policyId(), "graceDays", 1)).post("/v1/licenses").then().statusCode(422)
                .contentType("application/problem+json")
                .body("type", is("https://licensing.dev/problems/idempotency-key-reused"));
        as(backOffice("someone-else@vendor.example")).header("Idempotency-Key", key)
                .body(Map.of("customerId", f.customerId(), "policyId", f.policyId())).post("/v1/licenses").then()
                .statusCode(201).header("Idempotent-Replayed", nullValue());
        as(admin()).queryParam("customerId", f.customerId()).get("/v1/licenses").then()
                .body("items", hasSize(2));
    }

    /**
     * Two people, one user name in turn: Alice signs in as "alice", issues a license and suspends another with the
     * same Idempotency-Keys anyone could pick, is renamed, and Bob gets the name "alice". Bob's POSTs with those
     * keys and bodies are his own (a new license, a stale-version conflict), never Alice's stored answers; Alice,
     * under her new name, still gets hers.
     */
    @Test
    void aRenamedUsersOldNameTakenByAnotherPersonReplaysNothingOfHers() {
        String aliceId = UUID.randomUUID().toString();
        String bobId = UUID.randomUUID().toString();
        Api.Fixture f = Api.fixture();
        Map<String, Object> body = Map.of("customerId", f.customerId(), "policyId", f.policyId());
        String issueKey = "order-" + UUID.randomUUID();
        String suspendKey = "suspend-" + UUID.randomUUID();
        String suspended = f.issue().getString("licenseId");
        Map<String, Object> suspend = Map.of("expectedVersion", 1, "reason", "card lost");

        JsonPath alices = as(keycloakUser(aliceId, "alice")).header("Idempotency-Key", issueKey).body(body)
                .post("/v1/licenses").then().statusCode(201).extract().jsonPath();
        as(keycloakUser(aliceId, "alice")).header("Idempotency-Key", suspendKey).body(suspend)
                .post("/v1/licenses/" + suspended + "/suspend").then().statusCode(200).body("version", is(2));

        // Alice is renamed; Bob is given her old name and happens to send the same keys and bodies.
        Response bobs = as(keycloakUser(bobId, "alice")).header("Idempotency-Key", issueKey).body(body)
                .post("/v1/licenses");
        bobs.then().statusCode(201).header("Idempotent-Replayed", nullValue());
        assertNotEquals(alices.getString("licenseId"), bobs.jsonPath().getString("licenseId"));
        assertNotEquals(alices.getString("licenseKey"), bobs.jsonPath().getString("licenseKey"));
        as(keycloakUser(bobId, "alice")).header("Idempotency-Key", suspendKey).body(suspend)
                .post("/v1/licenses/" + suspended + "/suspend").then().statusCode(409)
                .header("Idempotent-Replayed", nullValue());

        Response again = as(keycloakUser(aliceId, "alice.smith")).header("Idempotency-Key", issueKey).body(body)
                .post("/v1/licenses");
        again.then().statusCode(201).header("Idempotent-Replayed", is("true"));
        assertEquals(alices.getString("licenseKey"), again.jsonPath().getString("licenseKey"));
        as(admin()).queryParam("customerId", f.customerId()).get("/v1/licenses").then().body("items", hasSize(3));
    }

    /** A Keycloak access token: {@code sub} the user's stable id, {@code preferred_username} the name they use. */
    private static String keycloakUser(String sub, String name) {
        long now = Instant.now().getEpochSecond();
        return TestTokens.shared().sign(Map.of("iss", TestTokens.ISSUER, "aud", List.of(TestTokens.AUDIENCE),
                "sub", sub, "preferred_username", name, "groups", List.of("licenses:read", "licenses:write"),
                "iat", now, "exp", now + 600));
    }

    @Test
    void retriedRenewExtendsOnce() {
        JsonPath issued = Api.fixture().issue();
        String id = issued.getString("licenseId");
        String key = UUID.randomUUID().toString();
        for (int i = 0; i < 3; i++) {
            as(admin()).header("Idempotency-Key", key).body(Map.of("expectedVersion", 1, "extendDays", 30))
                    .post("/v1/licenses/" + id + "/renew").then().statusCode(200).body("version", is(2));
        }
        as(admin()).get("/v1/licenses/" + id).then().body("version", is(2));
    }

    @Test
    void aFailedChangeReleasesItsKeySoTheCorrectedRetryRuns() {
        JsonPath issued = Api.fixture().issue();
        String id = issued.getString("licenseId");
        String key = UUID.randomUUID().toString();
        as(admin()).header("Idempotency-Key", key).body(Map.of("expectedVersion", 9, "extendDays", 30))
                .post("/v1/licenses/" + id + "/renew").then().statusCode(409)
                .body("type", is("https://licensing.dev/problems/stale-version"));
        // The failure released the key (no stored answer, no lock): the corrected request with it runs at once.
        as(admin()).header("Idempotency-Key", key).body(Map.of("expectedVersion", 1, "extendDays", 30))
                .post("/v1/licenses/" + id + "/renew").then().statusCode(200).body("version", is(2))
                .header("Idempotent-Replayed", nullValue());
    }

    @Test
    void retriedCatalogPostCreatesOneCustomer() {
        String key = UUID.randomUUID().toString();
        String name = unique("Idem");
        String a = as(admin()).header("Idempotency-Key", key).body(Map.of("name", name)).post("/v1/customers")
                .then().statusCode(201).extract().path("id");
        String b = as(admin()).header("Idempotency-Key", key).body(Map.of("name", name)).post("/v1/customers")
                .then().statusCode(201).extract().path("id");
        assertEquals(a, b);
    }

    @Test
    void badKeysAreRefused() {
        as(admin()).header("Idempotency-Key", "x".repeat(300)).body(Map.of("name", "n")).post("/v1/customers")
                .then().statusCode(400).body("type", is("https://licensing.dev/problems/invalid-idempotency-key"));
    }

    @Test
    void aPlannedOperationInterruptedAfterItsPlanIsFinishedByTheRetry() {
        String actor = "crash-test@vendor.example";
        String key = UUID.randomUUID().toString();
        byte[] plan = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        AtomicInteger executions = new AtomicInteger();

        // First attempt: the plan is stored, then "the process dies" before the operation finishes.
        Uni<Idempotency.Result> first = idempotency.runPlanned(actor, key, "fp",
                () -> Uni.createFrom().item(plan),
                p -> {
                    executions.incrementAndGet();
                    return Uni.createFrom().failure(new IllegalStateException("crash"));
                });
        assertThrows(IllegalStateException.class, () -> first.await().indefinitely());

        // Retry: prepare is not called again; the stored plan is executed.
        Idempotency.Result retried = idempotency.runPlanned(actor, key, "fp",
                () -> Uni.createFrom().failure(new AssertionError("must reuse the stored plan")),
                p -> {
                    executions.incrementAndGet();
                    return Uni.createFrom().item(new StoredAnswer(201, "\"" + new String(p, StandardCharsets.UTF_8)
                            + "\"", null));
                }).await().indefinitely();
        assertEquals("\"" + new String(plan, StandardCharsets.UTF_8) + "\"", retried.answer().body());
        assertEquals(2, executions.get());

        Idempotency.Result third = idempotency.runPlanned(actor, key, "fp",
                () -> Uni.createFrom().failure(new AssertionError()),
                p -> Uni.createFrom().failure(new AssertionError("already completed"))).await().indefinitely();
        assertTrue(third.replayed());
        assertEquals(retried.answer(), third.answer());
    }
}
