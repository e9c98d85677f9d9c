package org.licensing.issuer.webhook;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.licensing.issuer.readmodel.ReadModelFixtures.rows;
import static org.licensing.issuer.readmodel.ReadModelFixtures.update;
import static org.licensing.issuer.support.Api.*;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.licensing.issuer.support.Api;
import org.licensing.testsupport.ServiceTest;
import org.licensing.testsupport.TestTokens;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.path.json.JsonPath;

/**
 * Webhook delivery end to end: the issuer's own worker (scheduled, as in production) sends real HTTP requests to
 * receivers this test starts on loopback addresses. Signatures are checked with this test's own HMAC code, written
 * from the Standard Webhooks specification, not with the production signer. The test profile allows 127.0.0.2/32
 * only, retries for 6 s with backoffs from 0.2 s to 1 s, and times an attempt out after 2 s.
 */
@ServiceTest
class WebhookDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @jakarta.inject.Inject
    WebhookEndpointStore endpointStore;
    /** The one address the test profile allows (licensing.webhooks.allowed-ranges=127.0.0.2/32). */
    private static final String ALLOWED = "127.0.0.2";
    private final List<String> endpoints = new ArrayList<>();
    private final List<Receiver> receivers = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        endpoints.forEach(id -> as(admin()).delete("/v1/webhook-endpoints/" + id));
        receivers.forEach(Receiver::close);
    }

    private Receiver receiver(java.util.function.IntUnaryOperator answer) throws Exception {
        Receiver r = Receiver.on(ALLOWED, answer);
        receivers.add(r);
        return r;
    }

    private JsonPath createEndpoint(String url, List<String> types) {
        JsonPath created = as(admin()).body(Map.of("url", url, "eventTypes", types, "description", "test"))
                .post("/v1/webhook-endpoints").then().statusCode(201).extract().jsonPath();
        endpoints.add(created.getString("id"));
        return created;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within 90 s: " + what);
            }
            Thread.sleep(100);
        }
    }

    /** The requests about {@code licenseId} a receiver got, in the order it got them. */
    private static List<Receiver.Received> about(Receiver r, String licenseId) {
        return r.received().stream().filter(x -> licenseId.equals(body(x).get("licenseId"))).toList();
    }

    private static Map<String, Object> body(Receiver.Received r) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = JSON.readValue(r.body(), Map.class);
            return m;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Map<String, Object>> log(String endpointId) {
        return as(admin()).get("/v1/webhook-endpoints/" + endpointId + "/deliveries").then().statusCode(200)
                .extract().jsonPath().getList("");
    }

    /**
     * Standard Webhooks verification, from the specification: the secret is the base64 after {@code whsec_}; the
     * signed content is {@code id.timestamp.body}; the header lists {@code v1,<base64 HMAC-SHA256>} entries.
     * The secrets whose signature the header carries, by index in {@code secrets}.
     */
    static List<Integer> verifiedBy(List<String> secrets, Receiver.Received r) throws Exception {
        String signed = r.header("webhook-id") + "." + r.header("webhook-timestamp") + "." + r.body();
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < secrets.size(); i++) {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secrets.get(i).substring("whsec_".length())),
                    "HmacSHA256"));
            byte[] expected = mac.doFinal(signed.getBytes(StandardCharsets.UTF_8));
            for (String entry : r.header("webhook-signature").split(" ")) {
                String[] parts = entry.split(",", 2);
                if (parts[0].equals("v1") && MessageDigest.isEqual(expected, Base64.getDecoder().decode(parts[1]))) {
                    out.add(i);
                }
            }
        }
        return out;
    }

    /**
     * What npm {@code standardwebhooks} 1.1.1 (src/test/node, installed by the build) says of each delivery, verified
     * with the secret paired with it: "ok <type>" or "fail <reason>".
     */
    static List<String> standardWebhooks(List<Map.Entry<String, Receiver.Received>> deliveries) throws Exception {
        java.nio.file.Path input = java.nio.file.Files.createTempFile("deliveries", ".jsonl");
        try {
            StringBuilder lines = new StringBuilder();
            for (Map.Entry<String, Receiver.Received> d : deliveries) {
                Receiver.Received r = d.getValue();
                lines.append(JSON.writeValueAsString(Map.of("secret", d.getKey(), "body", r.body(), "headers",
                        Map.of("webhook-id", r.header("webhook-id"), "webhook-timestamp",
                                r.header("webhook-timestamp"), "webhook-signature", r.header("webhook-signature")))))
                        .append('\n');
            }
            java.nio.file.Files.writeString(input, lines);
            Process node = new ProcessBuilder("node", "src/test/node/verify.mjs", input.toString())
                    .redirectErrorStream(true).start();
            String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, node.waitFor(), out);
            return out.lines().toList();
        } finally {
            java.nio.file.Files.deleteIfExists(input);
        }
    }

    @Test
    void aDeliveryCarriesTheFeedsEventSignedPerTheSpecificationAndTheSecretIsShownOnce() throws Exception {
        Receiver r = receiver(n -> 204);
        JsonPath endpoint = createEndpoint(r.url(), List.of("license.issued", "license.suspended"));
        String secret = endpoint.getString("secret");
        assertTrue(secret.startsWith("whsec_"));
        assertEquals(32, Base64.getDecoder().decode(secret.substring(6)).length);
        // never again: not in the read, not in the list
        String id = endpoint.getString("id");
        as(admin()).get("/v1/webhook-endpoints/" + id).then().statusCode(200).body("secret", nullValue())
                .body("enabled", equalTo(true)).body("eventTypes", contains("license.issued", "license.suspended"));
        assertFalse(as(admin()).get("/v1/webhook-endpoints").then().statusCode(200).extract().asString()
                .contains(secret));

        String license = Api.fixture().issue().getString("licenseId");
        as(admin()).post("/v1/licenses/" + license + "/suspend").then().statusCode(200);
        as(admin()).post("/v1/licenses/" + license + "/reinstate").then().statusCode(200);
        await("two deliveries", () -> about(r, license).size() >= 2);

        List<Receiver.Received> got = about(r, license);
        List<Map<String, Object>> feed = as(admin()).queryParam("licenseId", license).get("/v1/events").then()
                .statusCode(200).extract().jsonPath().getList("items");
        assertEquals(List.of("license.issued", "license.suspended"), got.stream().map(x -> body(x).get("type"))
                .toList(), "subscribed types only, in order");
        for (int i = 0; i < 2; i++) {
            Receiver.Received x = got.get(i);
            assertEquals(feed.get(i), body(x), "the body is the feed's event");
            assertEquals(feed.get(i).get("id"), x.header("webhook-id"));
            assertEquals("application/json", x.header("content-type"));
            long ts = Long.parseLong(x.header("webhook-timestamp"));
            assertTrue(Math.abs(ts - Instant.now().getEpochSecond()) < 3600, "Unix seconds");
            assertEquals(List.of(0), verifiedBy(List.of(secret), x));
            // a signature over another body does not verify
            Receiver.Received tampered = new Receiver.Received(x.headers(), x.body() + " ");
            assertEquals(List.of(), verifiedBy(List.of(secret), tampered));
        }
        // and by the reference implementation of the specification
        assertEquals(List.of("ok license.issued", "ok license.suspended"), standardWebhooks(List.of(
                Map.entry(secret, got.get(0)), Map.entry(secret, got.get(1)))));
        List<String> refused = standardWebhooks(List.of(
                Map.entry(secret, new Receiver.Received(got.get(0).headers(), got.get(0).body() + " ")),
                Map.entry(WebhookSigner.newSecret(), got.get(0))));
        assertTrue(refused.stream().allMatch(l -> l.startsWith("fail")), refused.toString());
        await("the log says delivered", () -> log(id).stream().filter(d -> "DELIVERED".equals(d.get("state")))
                .count() >= 2);
        Map<String, Object> delivered = log(id).get(0);
        assertEquals(1, delivered.get("attempts"));
        assertEquals(204, delivered.get("lastStatus"));
        assertNotNull(delivered.get("lastLatencyMs"));
    }

    @Test
    void aRotatedSecretSignsBesideThePreviousOneDuringTheOverlap() throws Exception {
        Receiver r = receiver(n -> 200);
        JsonPath endpoint = createEndpoint(r.url(), List.of("license.issued"));
        String old = endpoint.getString("secret");
        String id = endpoint.getString("id");
        JsonPath rotated = as(admin()).body(Map.of("overlap", "PT1H")).post("/v1/webhook-endpoints/" + id
                + "/rotate-secret").then().statusCode(200).extract().jsonPath();
        String fresh = rotated.getString("secret");
        assertNotEquals(old, fresh);
        assertNotNull(rotated.getString("previousSecretUntil"));

        // at rest, both are sealed: the row holds neither secret, nor any whsec_ text
        Map<String, String> row = rows("SELECT secret, previous_secret FROM webhook_endpoints WHERE id = ?::uuid", id)
                .get(0);
        for (String column : List.of("secret", "previous_secret")) {
            assertThat(row.get(column), startsWith("v1:"));
            assertThat(row.get(column), not(anyOf(containsString("whsec_"), containsString(old.substring(6)),
                    containsString(fresh.substring(6)))));
        }

        String a = Api.fixture().issue().getString("licenseId");
        await("delivered", () -> about(r, a).size() == 1);
        assertEquals(List.of(0, 1), verifiedBy(List.of(fresh, old), about(r, a).get(0)), "both sign");
        // a receiver still on the old secret accepts it too
        assertEquals(List.of("ok license.issued", "ok license.issued"), standardWebhooks(List.of(
                Map.entry(old, about(r, a).get(0)), Map.entry(fresh, about(r, a).get(0)))));

        // a rotation without overlap: only the newest secret signs
        String newest = as(admin()).body(Map.of("overlap", "PT0S")).post("/v1/webhook-endpoints/" + id
                + "/rotate-secret").then().statusCode(200).extract().path("secret");
        String b = Api.fixture().issue().getString("licenseId");
        await("delivered", () -> about(r, b).size() == 1);
        assertEquals(List.of(0), verifiedBy(List.of(newest, fresh, old), about(r, b).get(0)));
        assertEquals(1, about(r, b).get(0).header("webhook-signature").split(" ").length);
        assertTrue(standardWebhooks(List.of(Map.entry(fresh, about(r, b).get(0)))).get(0).startsWith("fail"));
    }

    @Test
    void secretsStoredInClearAreSealedAndASealedSecretOpensOnlyForItsOwnEndpoint() throws Exception {
        Receiver r = receiver(n -> 200);
        JsonPath first = createEndpoint(r.url(), List.of("license.issued"));
        String id = first.getString("id");
        String secret = first.getString("secret");
        // as an issuer before sealing wrote it: in clear
        update("UPDATE webhook_endpoints SET secret = ? WHERE id = ?::uuid", secret, id);
        assertTrue(endpointStore.sealClearSecrets(1000).await().indefinitely() >= 1);
        String sealed = rows("SELECT secret FROM webhook_endpoints WHERE id = ?::uuid", id).get(0).get("secret");
        assertThat(sealed, startsWith("v1:"));
        String a = Api.fixture().issue().getString("licenseId");
        await("delivered", () -> about(r, a).size() == 1);
        assertEquals(List.of(0), verifiedBy(List.of(secret), about(r, a).get(0)), "it still signs");

        // the sealed value copied onto another endpoint (its id is the associated data) opens nowhere else
        Receiver other = receiver(n -> 200);
        String otherId = createEndpoint(other.url(), List.of("license.issued")).getString("id");
        update("UPDATE webhook_endpoints SET secret = ? WHERE id = ?::uuid", sealed, otherId);
        String b = Api.fixture().issue().getString("licenseId");
        await("attempted", () -> log(otherId).stream().anyMatch(d -> d.get("lastError") != null));
        assertEquals(DeliveryWorker.UNREADABLE_SECRET, log(otherId).get(0).get("lastError"));
        assertEquals(List.of(), about(other, b), "nothing unsigned or wrongly signed is sent");
    }

    @Test
    void aFailingReceiverIsRetriedUntilItRecoversAndALicensesEventsStayInOrder() throws Exception {
        // 500 for the first three requests, then 204
        Receiver r = receiver(n -> n < 3 ? 500 : 204);
        String id = createEndpoint(r.url(), List.of("license.issued", "license.suspended", "license.reinstated"))
                .getString("id");
        String license = Api.fixture().issue().getString("licenseId");
        as(admin()).post("/v1/licenses/" + license + "/suspend").then().statusCode(200);
        as(admin()).post("/v1/licenses/" + license + "/reinstate").then().statusCode(200);
        await("three events delivered", () -> log(id).stream().filter(d -> "DELIVERED".equals(d.get("state")))
                .count() == 3);

        List<Object> types = about(r, license).stream().map(x -> body(x).get("type")).toList();
        // the suspension waited until the issue was delivered, the reinstatement until the suspension was
        assertEquals(List.of("license.issued", "license.issued", "license.issued", "license.issued",
                "license.suspended", "license.reinstated"), types);
        Map<String, Object> issued = log(id).stream().filter(d -> "license.issued".equals(d.get("eventType")))
                .findFirst().orElseThrow();
        assertEquals(4, issued.get("attempts"));
        assertEquals(204, issued.get("lastStatus"));
        // every retry is the same message: same id, so a receiver deduplicates
        assertEquals(1, about(r, license).stream().limit(4).map(x -> x.header("webhook-id")).distinct().count());
        as(admin()).get("/v1/webhook-endpoints/" + id).then().body("enabled", equalTo(true))
                .body("failingSince", nullValue());
    }

    @Test
    void aSlowReceiverTimesOutAndGetsTheEventAgain() throws Exception {
        Receiver r = receiver(n -> 200);
        // the first answer comes after the 2 s timeout, the next at once
        r.delay(n -> n == 0 ? 4_000 : 0);
        String id = createEndpoint(r.url(), List.of("license.issued")).getString("id");
        String license = Api.fixture().issue().getString("licenseId");
        await("delivered", () -> log(id).stream().anyMatch(d -> "DELIVERED".equals(d.get("state"))));
        Map<String, Object> d = log(id).get(0);
        assertEquals(2, d.get("attempts"));
        assertEquals(2, about(r, license).size());
    }

    @Test
    void a410DisablesTheEndpointAndAReplayDeliversWhatItMissed() throws Exception {
        Receiver r = receiver(n -> 410);
        String id = createEndpoint(r.url(), List.of("license.issued")).getString("id");
        Instant since = Instant.now().minusSeconds(1);
        String first = Api.fixture().issue().getString("licenseId");
        await("disabled", () -> !as(admin()).get("/v1/webhook-endpoints/" + id).then().extract().jsonPath()
                .getBoolean("enabled"));
        as(admin()).get("/v1/webhook-endpoints/" + id).then().body("disabledReason", containsString("410"));
        // the worker's disabling is audited like an operator's
        as(admin()).queryParam("targetType", "WEBHOOK_ENDPOINT").queryParam("targetId", id)
                .queryParam("action", "WEBHOOK_ENDPOINT_DISABLED").get("/v1/audit-events").then().statusCode(200)
                .body("size()", is(1)).body("[0].actor", is("webhook-delivery"))
                .body("[0].reason", containsString("410")).body("[0].before.enabled", is(true))
                .body("[0].after.enabled", is(false));
        // metrics: its first event waits undelivered (the endpoint is disabled), the 410 counted as a failure
        await("the endpoint's oldest-undelivered gauge", () -> given().get("/q/metrics").asString()
                .contains("licensing_webhooks_oldest_undelivered_age_seconds{endpoint=\"" + id + "\""));
        String metrics = given().get("/q/metrics").asString();
        assertThat(metrics, containsString("licensing_webhooks_deliveries_total{outcome=\"failed\""));
        assertThat(metrics, containsString("licensing_events_published_total"));
        // disabled: nothing is queued for it
        String second = Api.fixture().issue().getString("licenseId");
        assertEquals(1, log(id).size());

        r.answer(n -> 204);
        as(admin()).body(Map.of("enabled", true)).patch("/v1/webhook-endpoints/" + id).then().statusCode(200)
                .body("enabled", equalTo(true)).body("disabledReason", nullValue());
        as(admin()).body(Map.of("since", since.toString())).post("/v1/webhook-endpoints/" + id + "/replay")
                .then().statusCode(202).body("queued", greaterThanOrEqualTo(2));
        await("nothing pending", () -> log(id).stream().noneMatch(d -> "PENDING".equals(d.get("state"))));
        assertEquals(1, about(r, second).size(), "the missed event, replayed");
        // the first event: its 410 attempt, then (the pending delivery resumed, and its replay) 204s
        assertTrue(about(r, first).size() >= 2);
        assertTrue(log(id).stream().allMatch(d -> "DELIVERED".equals(d.get("state"))), log(id).toString());
    }

    @Test
    void aReceiverFailingForTheRetryWindowGetsItsDeliveryDeadLetteredAndTheEndpointDisabled() throws Exception {
        Receiver r = receiver(n -> 503);
        String id = createEndpoint(r.url(), List.of("license.issued")).getString("id");
        String license = Api.fixture().issue().getString("licenseId");
        await("dead-lettered", () -> log(id).stream().anyMatch(d -> "DEAD".equals(d.get("state"))));
        Map<String, Object> dead = log(id).get(0);
        assertEquals(503, dead.get("lastStatus"));
        assertTrue((Integer) dead.get("attempts") >= 3, "retried with backoff: " + dead);
        assertEquals(dead.get("attempts"), about(r, license).size());
        JsonPath endpoint = as(admin()).get("/v1/webhook-endpoints/" + id).then().extract().jsonPath();
        assertFalse(endpoint.getBoolean("enabled"));
        assertThat(endpoint.getString("disabledReason"), containsString("no successful delivery since"));

        // replay of that one event, once the receiver is back
        r.answer(n -> 200);
        as(admin()).body(Map.of("enabled", true)).patch("/v1/webhook-endpoints/" + id).then().statusCode(200);
        String eventId = (String) dead.get("eventId");
        as(admin()).body(Map.of("eventId", eventId)).post("/v1/webhook-endpoints/" + id + "/replay").then()
                .statusCode(202).body("queued", equalTo(1));
        await("replayed", () -> log(id).stream().anyMatch(d -> "DELIVERED".equals(d.get("state"))));
        assertEquals(eventId, about(r, license).get(about(r, license).size() - 1).header("webhook-id"));
        as(admin()).body(Map.of("eventId", UUID.randomUUID().toString())).post("/v1/webhook-endpoints/" + id
                + "/replay").then().statusCode(404);
    }

    @Test
    void internalAddressesAreRefusedAtCreationAndAtDelivery() throws Exception {
        // a receiver that really listens on 127.0.0.1: reachable, but not in the allowed range
        Receiver internal = Receiver.on("127.0.0.1", n -> 200);
        receivers.add(internal);
        int port = internal.port();
        for (String url : List.of("http://127.0.0.1:" + port + "/hooks", "http://localhost:" + port + "/hooks",
                "http://169.254.169.254/latest/meta-data", "http://10.0.0.1/hooks", "http://[::1]:" + port + "/",
                "http://[::ffff:127.0.0.1]:" + port + "/", "http://[fd00:ec2::254]/")) {
            as(admin()).body(Map.of("url", url)).post("/v1/webhook-endpoints").then().statusCode(400)
                    .contentType("application/problem+json").body("detail", startsWith("url:"));
        }
        as(admin()).body(Map.of("url", "ftp://example.com/x")).post("/v1/webhook-endpoints").then().statusCode(400);
        as(admin()).body(Map.of("url", "http://user:pw@" + ALLOWED + "/x")).post("/v1/webhook-endpoints").then()
                .statusCode(400);

        // an endpoint accepted at creation whose URL now points inside (a name re-pointed by its DNS, or a narrower
        // allow-list): the delivery is refused before any connection
        Receiver allowed = receiver(n -> 200);
        for (String inside : List.of("http://127.0.0.1:" + port + "/hooks", "http://localhost:" + port + "/hooks")) {
            String id = createEndpoint(allowed.url(), List.of("license.issued")).getString("id");
            update("UPDATE webhook_endpoints SET url = ? WHERE id = ?::uuid", inside, id);
            Api.fixture().issue();
            await("refused", () -> log(id).stream().anyMatch(d -> d.get("lastError") != null));
            Map<String, Object> d = log(id).get(0);
            assertThat((String) d.get("lastError"), startsWith("refused: "));
            assertThat((String) d.get("lastError"), containsString("127.0.0.1"));
            assertNull(d.get("lastStatus"));
            assertEquals("PENDING", d.get("state"), "retried later: the address may change back");
            as(admin()).delete("/v1/webhook-endpoints/" + id).then().statusCode(204);
            endpoints.remove(id);
        }
        assertEquals(List.of(), internal.received(), "nothing ever reached the internal receiver");
        assertEquals(List.of(), allowed.received());
    }

    @Test
    void endpointsAreForBackOfficeAdminsAndInputIsChecked() {
        as(backOffice("ops@vendor.example")).get("/v1/webhook-endpoints").then().statusCode(403);
        // webhooks:admin, not catalog:admin, manages endpoints; and only with a back-office token
        String catalogOnly = TestTokens.shared().backOffice("catalog@vendor.example", CATALOG, READ);
        String webhooksOnly = TestTokens.shared().backOffice("hooks@vendor.example", WEBHOOKS);
        as(catalogOnly).get("/v1/webhook-endpoints").then().statusCode(403);
        as(catalogOnly).body(Map.of("url", "http://" + ALLOWED + ":9/x")).post("/v1/webhook-endpoints").then()
                .statusCode(403);
        as(catalogOnly).get("/v1/webhook-endpoints/" + UUID.randomUUID() + "/deliveries").then().statusCode(403);
        as(webhooksOnly).get("/v1/webhook-endpoints").then().statusCode(200);
        as(webhooksOnly).get("/v1/webhook-endpoints/" + UUID.randomUUID() + "/deliveries").then().statusCode(404);
        as(TestTokens.shared().portal("p@x", UUID.randomUUID().toString(), WEBHOOKS)).get("/v1/webhook-endpoints")
                .then().statusCode(403);
        as(portal(UUID.randomUUID().toString())).get("/v1/webhook-endpoints").then().statusCode(403);
        as(admin()).body(Map.of("url", "http://" + ALLOWED + ":9/x", "eventTypes", List.of("license.exploded")))
                .post("/v1/webhook-endpoints").then().statusCode(400).body("detail", startsWith("eventTypes:"));
        as(admin()).body(Map.of("url", "http://" + ALLOWED + ":9/x", "surprise", 1)).post("/v1/webhook-endpoints").then()
                .statusCode(400).body("type", endsWith("malformed-request-body"));
        as(admin()).get("/v1/webhook-endpoints/" + UUID.randomUUID()).then().statusCode(404);
        as(admin()).get("/v1/webhook-endpoints/not-an-id/deliveries").then().statusCode(404);
        as(admin()).body(Map.of("overlap", "P30D")).post("/v1/webhook-endpoints/" + UUID.randomUUID()
                + "/rotate-secret").then().statusCode(400);
    }
}
