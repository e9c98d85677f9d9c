package org.licensing.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensing.cli.StandInIssuer.Reply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** webhooks list/create/rotate-secret/deliveries/replay against the scripted stand-in issuer. */
class WebhooksCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID = "2d8f0c1e-5a47-4f0e-9a43-0d3f2f1f9b10";
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwAAAAAAAAAAA=";

    @TempDir
    Path dir;

    private StandInIssuer issuer;
    private Map<String, String> env;

    @BeforeEach
    void start() throws IOException {
        issuer = new StandInIssuer();
        env = Map.of("LICENSECTL_CONFIG", dir.resolve("cfg/config.json").toString(), "LICENSECTL_URL", issuer.url(),
                "LICENSECTL_TOKEN", "eyJhbGciOiJFUzI1NiJ9.e30.c2ln");
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    private static String endpoint(String secret, String until) {
        return "{\"id\":\"" + ID + "\",\"url\":\"https://crm.vendor.example/hooks\",\"eventTypes\":[],"
                + "\"enabled\":true" + (secret == null ? "" : ",\"secret\":\"" + secret + "\"")
                + (until == null ? "" : ",\"previousSecretUntil\":\"" + until + "\"")
                + ",\"createdAt\":\"2026-12-07T10:00:00Z\",\"updatedAt\":\"2026-12-07T10:00:00Z\"}";
    }

    @Test
    void createPrintsTheSecretOnceAndSendsWhatWasAsked() throws Exception {
        issuer.on("POST /v1/webhook-endpoints", new Reply(201, "application/json", endpoint(SECRET, null)));
        Run r = Run.of(env, "webhooks", "create", "https://crm.vendor.example/hooks", "--type", "license.issued",
                "--type", "license.revoked", "--description", "CRM", "--idempotency-key", "hook-1");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("Created webhook endpoint " + ID), r::toString);
        assertEquals(1, r.out().split(SECRET, -1).length - 1, "the secret, once: " + r);
        JsonNode sent = JSON.readTree(issuer.last().body());
        assertEquals("https://crm.vendor.example/hooks", sent.path("url").asText());
        assertEquals("[\"license.issued\",\"license.revoked\"]", sent.path("eventTypes").toString());
        assertEquals("CRM", sent.path("description").asText());
        assertFalse(sent.has("enabled"));
        assertEquals("hook-1", issuer.last().header("Idempotency-Key"));

        // the issuer's refusals are exit codes: an internal address (400), a missing role (403)
        issuer.on("POST /v1/webhook-endpoints", Reply.problem(400, "invalid-request", "Invalid request",
                "url: 127.0.0.1 is a loopback address"));
        Run refused = Run.of(env, "webhooks", "create", "https://127.0.0.1/x");
        assertEquals(ExitCodes.USAGE, refused.code(), refused::toString);
        assertTrue(refused.err().contains("loopback"), refused::toString);
        issuer.on("POST /v1/webhook-endpoints", Reply.problem(403, "forbidden", "Forbidden", "webhooks:admin"));
        assertEquals(ExitCodes.AUTH, Run.of(env, "webhooks", "create", "https://x.example/h").code());
    }

    @Test
    void listShowsEveryEndpointWithoutSecrets() {
        issuer.on("GET /v1/webhook-endpoints", Reply.json("[" + endpoint(null, null) + "]"));
        Run r = Run.of(env, "webhooks", "list");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains(ID) && r.out().contains("https://crm.vendor.example/hooks"), r::toString);
        assertTrue(r.out().contains("all"), r::toString);
        Run json = Run.of(env, "webhooks", "list", "--json");
        assertTrue(json.out().contains("\"url\""), json::toString);
    }

    @Test
    void rotateSecretSendsTheOverlapAndPrintsTheNewSecretOnce() throws Exception {
        issuer.on("POST /v1/webhook-endpoints/" + ID + "/rotate-secret", new Reply(200, "application/json",
                endpoint(SECRET, "2026-12-08T10:00:00Z")));
        Run r = Run.of(env, "webhooks", "rotate-secret", ID, "--overlap", "24h");
        assertEquals(0, r.code(), r::toString);
        assertEquals("PT24H", JSON.readTree(issuer.last().body()).path("overlap").asText());
        assertTrue(r.out().contains("signs too until 2026-12-08T10:00:00Z"), r::toString);
        assertTrue(r.out().contains(SECRET), r::toString);
        Run none = Run.of(env, "webhooks", "rotate-secret", ID, "--overlap", "0");
        assertEquals(0, none.code(), none::toString);
        assertEquals("PT0S", JSON.readTree(issuer.last().body()).path("overlap").asText());
        int before = issuer.seen().size();
        assertEquals(ExitCodes.USAGE, Run.of(env, "webhooks", "rotate-secret", ID, "--overlap", "soon").code());
        assertEquals(before, issuer.seen().size(), "nothing sent");

        issuer.on("POST /v1/webhook-endpoints/" + ID + "/rotate-secret", Reply.problem(404, "not-found",
                "Not found", "Webhook endpoint " + ID));
        assertEquals(ExitCodes.NOT_FOUND, Run.of(env, "webhooks", "rotate-secret", ID).code());
    }

    @Test
    void deliveriesShowTheLogAndReplayQueuesAgain() throws Exception {
        issuer.on("GET /v1/webhook-endpoints/" + ID + "/deliveries", Reply.json("[{\"id\":812,\"eventId\":"
                + "\"7c9e6679-7425-40de-944b-e07fc1f90ae7\",\"eventType\":\"license.suspended\",\"eventSequence\":1042,"
                + "\"state\":\"DEAD\",\"attempts\":9,\"createdAt\":\"2026-12-07T10:00:00Z\",\"lastStatus\":503,"
                + "\"lastLatencyMs\":84},{\"id\":811,\"eventId\":\"8c9e6679-7425-40de-944b-e07fc1f90ae7\","
                + "\"eventType\":\"license.issued\",\"eventSequence\":1041,\"state\":\"PENDING\",\"attempts\":2,"
                + "\"createdAt\":\"2026-12-07T09:00:00Z\",\"nextAttemptAt\":\"2026-12-07T10:01:00Z\","
                + "\"lastError\":\"timed out\"}]"));
        Run r = Run.of(env, "webhooks", "deliveries", ID, "--state", "DEAD", "--limit", "20");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("license.suspended") && r.out().contains("503") && r.out().contains("84 ms"),
                r::toString);
        assertTrue(r.out().contains("timed out"), r::toString);
        String query = issuer.last().uri().getQuery();
        assertTrue(query.contains("state=DEAD") && query.contains("limit=20"), query);
        assertEquals(ExitCodes.USAGE, Run.of(env, "webhooks", "deliveries", ID, "--limit", "0").code());

        issuer.on("POST /v1/webhook-endpoints/" + ID + "/replay", Reply.json("{\"queued\":3}"));
        Run range = Run.of(env, "webhooks", "replay", ID, "--since", "2026-12-07T00:00:00Z", "--until",
                "2026-12-08T00:00:00Z");
        assertEquals(0, range.code(), range::toString);
        assertTrue(range.out().contains("Queued 3 deliveries"), range::toString);
        JsonNode sent = JSON.readTree(issuer.last().body());
        assertEquals("2026-12-07T00:00:00Z", sent.path("since").asText());
        assertEquals("2026-12-08T00:00:00Z", sent.path("until").asText());
        Run one = Run.of(env, "webhooks", "replay", ID, "--event", "7c9e6679-7425-40de-944b-e07fc1f90ae7");
        assertEquals(0, one.code(), one::toString);
        assertEquals("7c9e6679-7425-40de-944b-e07fc1f90ae7", JSON.readTree(issuer.last().body()).path("eventId")
                .asText());
        // one of --event or --since, not both, not neither
        int before = issuer.seen().size();
        assertEquals(ExitCodes.USAGE, Run.of(env, "webhooks", "replay", ID).code());
        assertEquals(ExitCodes.USAGE, Run.of(env, "webhooks", "replay", ID, "--event", "x", "--since",
                "2026-12-07T00:00:00Z").code());
        assertEquals(before, issuer.seen().size(), "nothing sent");
        issuer.on("POST /v1/webhook-endpoints/" + ID + "/replay", Reply.problem(404, "not-found", "Not found",
                "Event 7c9e"));
        assertEquals(ExitCodes.NOT_FOUND, Run.of(env, "webhooks", "replay", ID, "--event", "7c9e").code());
    }
}
