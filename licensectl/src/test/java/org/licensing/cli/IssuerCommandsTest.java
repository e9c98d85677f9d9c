package org.licensing.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensing.cli.StandInIssuer.Reply;
import org.licensing.cli.StandInIssuer.Seen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The HTTP side against a scripted stand-in for the issuer ({@link StandInIssuer}; the real one is driven by the
 * e2e LicensectlIT):
 * headers sent, problem+json mapped to exit codes, config file handling.
 */
class IssuerCommandsTest {

    private static final String TOKEN = "eyJhbGciOiJFUzI1NiJ9.e30.c2ln";
    private static final String LICENSE = "{\"licenseId\":\"L1\",\"customerId\":\"C1\",\"customerName\":\"Acme\","
            + "\"productCode\":\"gpu-cluster\",\"status\":\"ACTIVE\",\"expiresAt\":\"2027-01-01T00:00:00Z\","
            + "\"graceDays\":14,\"maxActivations\":3,\"activations\":1,\"entitlements\":{\"features\":{\"sso\":true},"
            + "\"limits\":{\"gpus\":8}},\"version\":2}";

    @TempDir
    Path dir;

    private StandInIssuer issuer;
    private List<Seen> seen;
    private Map<String, String> env;

    @BeforeEach
    void start() throws IOException {
        issuer = new StandInIssuer();
        seen = issuer.seen();
        env = Map.of("LICENSECTL_CONFIG", dir.resolve("cfg/config.json").toString());
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    private String url() {
        return issuer.url();
    }

    private void login() {
        issuer.on("GET /v1/licenses", new Reply(200, "application/json", "{\"items\":[]}"));
        Run r = Run.of(env, "login", "--url", url(), "--token", TOKEN);
        assertEquals(0, r.code(), r::toString);
        seen.clear();
    }

    @Test
    void loginStoresUrlAndTokenReadableByOwnerOnly() throws Exception {
        issuer.on("GET /v1/licenses", new Reply(200, "application/json", "{\"items\":[]}"));
        Run r = Run.withStdin(env, TOKEN + "\n", "login", "--url", url() + "/", "--token", "-");
        assertEquals(0, r.code(), r::toString);
        assertFalse(r.out().contains(TOKEN) || r.err().contains(TOKEN), "never prints the token");
        assertEquals("Bearer " + TOKEN, seen.get(0).header("Authorization"));

        Path config = dir.resolve("cfg/config.json");
        JsonNode stored = new ObjectMapper().readTree(config.toFile());
        assertEquals(url(), stored.path("url").asText());
        assertEquals(TOKEN, stored.path("token").asText());
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(config));
    }

    @Test
    void loginWithARejectedTokenStoresNothing() {
        issuer.on("GET /v1/licenses", new Reply(401, "application/problem+json",
                "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"Token is not valid\"}"));
        Run r = Run.of(env, "login", "--url", url(), "--token", TOKEN);
        assertEquals(ExitCodes.AUTH, r.code(), r::toString);
        assertTrue(r.err().contains("Unauthorized: Token is not valid"), r::toString);
        assertFalse(Files.exists(dir.resolve("cfg/config.json")));
    }

    @Test
    void environmentOverridesTheConfigFile() {
        login();
        issuer.on("GET /v1/licenses/L1", new Reply(200, "application/json", LICENSE));
        Map<String, String> overridden = new HashMap<>(env);
        overridden.put("LICENSECTL_TOKEN", "other.token.value");
        Run r = Run.of(overridden, "licenses", "show", "L1");
        assertEquals(0, r.code(), r::toString);
        assertEquals("Bearer other.token.value", seen.get(0).header("Authorization"));
    }

    @Test
    void notLoggedInIsAnAuthError() {
        Run r = Run.of(env, "licenses", "show", "L1");
        assertEquals(ExitCodes.AUTH, r.code(), r::toString);
        assertTrue(r.err().contains("Not logged in"), r::toString);
    }

    @Test
    void showPrintsTheLicenseAndMapsProblemsToExitCodes() {
        login();
        issuer.on("GET /v1/licenses/L1", new Reply(200, "application/json", LICENSE));
        Run ok = Run.of(env, "licenses", "show", "L1");
        assertEquals(0, ok.code(), ok::toString);
        assertTrue(ok.out().contains("Acme (C1)") && ok.out().contains("gpus=8") && ok.out().contains("1 of 3"),
                ok::toString);

        Run missing = Run.of(env, "licenses", "show", "nope");
        assertEquals(ExitCodes.NOT_FOUND, missing.code(), missing::toString);
        assertTrue(missing.err().contains("Not found: /v1/licenses/nope was not found"), missing::toString);

        issuer.on("GET /v1/licenses/L2", new Reply(403, "application/problem+json",
                "{\"title\":\"Forbidden\",\"status\":403,\"detail\":\"missing role\"}"));
        assertEquals(ExitCodes.AUTH, Run.of(env, "licenses", "show", "L2").code());

        issuer.on("GET /v1/licenses/L3", new Reply(503, "text/plain", "down"));
        Run down = Run.of(env, "licenses", "show", "L3");
        assertEquals(ExitCodes.OTHER, down.code(), down::toString);
    }

    @Test
    void changesSendIdempotencyKeyAndExpectedVersion() throws Exception {
        login();
        issuer.on("POST /v1/licenses/L1/renew", new Reply(200, "application/json", LICENSE));
        Run r = Run.of(env, "licenses", "renew", "L1", "--extend-days", "30", "--expected-version", "2");
        assertEquals(0, r.code(), r::toString);
        Seen post = seen.get(0);
        assertNotNull(post.header("Idempotency-Key"));
        JsonNode body = new ObjectMapper().readTree(post.body());
        assertEquals(30, body.path("extendDays").asInt());
        assertEquals(2, body.path("expectedVersion").asLong());

        Run again = Run.of(env, "licenses", "renew", "L1", "--extend-days", "30", "--idempotency-key", "retry-1");
        assertEquals(0, again.code(), again::toString);
        assertEquals("retry-1", seen.get(1).header("Idempotency-Key"));
        Run third = Run.of(env, "licenses", "renew", "L1", "--extend-days", "30");
        assertEquals(0, third.code(), third::toString);
        assertFalse(seen.get(2).header("Idempotency-Key").equals(post.header("Idempotency-Key")),
                "a fresh key per invocation");
    }

    @Test
    void staleVersionIsAConflict() {
        login();
        issuer.on("POST /v1/licenses/L1/suspend", new Reply(409, "application/problem+json",
                "{\"type\":\"https://licensing.dev/problems/stale-version\",\"title\":\"Conflict\",\"status\":409,"
                        + "\"detail\":\"License L1 was changed by someone else\"}"));
        Run r = Run.of(env, "licenses", "suspend", "L1", "--expected-version", "1", "--reason", "payment overdue");
        assertEquals(ExitCodes.CONFLICT, r.code(), r::toString);
        assertTrue(r.err().contains("Conflict: License L1 was changed by someone else"), r::toString);
    }

    @Test
    void issueSendsOverridesAndPrintsTheKeyOnce() throws Exception {
        login();
        String answer = LICENSE.replace("\"licenseId\":\"L1\",", "\"licenseId\":\"L1\",\"licenseKey\":\"LK1-SECRET\",");
        issuer.on("POST /v1/licenses", new Reply(201, "application/json", answer));
        Run r = Run.of(env, "licenses", "issue", "--customer", "3f0f6f7e-5a47-4f0e-9a43-0d3f2f1f9b10",
                "--policy", "9d7c2c0e-7a1b-4c55-8f0e-2b6a1d3c4e5f", "--duration-days", "90", "--feature", "sso=true",
                "--limit", "gpus=8", "--limit", "nodes=2", "--max-activations", "5");
        assertEquals(0, r.code(), r::toString);
        assertEquals(1, r.out().split("LK1-SECRET", -1).length - 1, r::toString);
        JsonNode body = new ObjectMapper().readTree(seen.get(0).body());
        assertEquals(90, body.path("durationDays").asInt());
        assertEquals(5, body.path("maxActivations").asInt());
        assertTrue(body.path("entitlements").path("features").path("sso").asBoolean());
        assertEquals(2, body.path("entitlements").path("limits").path("nodes").asLong());
        assertFalse(body.has("expiresAt"));
    }

    @Test
    void changeAnswersNeverShowAKey() {
        login();
        String answer = LICENSE.replace("\"licenseId\":\"L1\",", "\"licenseId\":\"L1\",\"licenseKey\":\"LK1-SECRET\",");
        issuer.on("POST /v1/licenses/L1/revoke", new Reply(200, "application/json", answer));
        Run r = Run.of(env, "licenses", "revoke", "L1", "--json");
        assertEquals(0, r.code(), r::toString);
        assertFalse(r.out().contains("LK1-SECRET"), r::toString);
    }

    @Test
    void listPrintsATableAndTheNextCursor() {
        login();
        issuer.on("GET /v1/licenses", new Reply(200, "application/json",
                "{\"items\":[" + LICENSE + "],\"nextCursor\":\"abc\"}"));
        Run r = Run.of(env, "licenses", "list", "--customer", "3f0f6f7e-5a47-4f0e-9a43-0d3f2f1f9b10", "--limit", "1");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith("LICENSE"), r::toString);
        assertTrue(r.out().contains("L1") && r.out().contains("--cursor abc"), r::toString);
        assertTrue(seen.get(0).uri().toString().contains("customerId=3f0f6f7e-5a47-4f0e-9a43-0d3f2f1f9b10") && seen.get(0).uri().toString().contains("limit=1"),
                () -> seen.get(0).uri().toString());
    }

    @Test
    void fileAndJwksAreDownloaded() throws Exception {
        login();
        issuer.on("GET /v1/licenses/L1/file", new Reply(200, "application/jose", "aaa.bbb.ccc.ddd.eee"));
        Path out = dir.resolve("L1.lic.jwe");
        Run r = Run.of(env, "licenses", "file", "L1", "-o", out.toString());
        assertEquals(0, r.code(), r::toString);
        assertEquals("aaa.bbb.ccc.ddd.eee", Files.readString(out).strip());
        assertTrue(seen.get(0).header("Accept").contains("application/jose"));

        String jwks = org.licensing.core.crypto.SigningKeys.generate("k1").publicJwkSetJson();
        issuer.on("GET /.well-known/jwks.json", new Reply(200, "application/jwk-set+json", jwks));
        Path jwksFile = dir.resolve("jwks.json");
        Run j = Run.of(env, "jwks", "--out", jwksFile.toString());
        assertEquals(0, j.code(), j::toString);
        assertTrue(j.out().contains("k1"), j::toString);
        assertEquals(jwks, Files.readString(jwksFile));
    }

    @Test
    void checkoutFromARequestFileListAndReturn() throws Exception {
        login();
        java.util.UUID id = java.util.UUID.randomUUID();
        String request = org.licensing.core.checkout.CheckoutRequest.of(id, "gpu-cluster", "host-abc",
                java.time.Instant.parse("2026-12-07T10:00:00Z"), "rack 1").toJson();
        Path requestFile = dir.resolve("checkout-request.json");
        Files.writeString(requestFile, request + "\n");
        issuer.on("POST /v1/licenses/" + id + "/checkouts", new Reply(201, "application/json",
                "{\"licenseId\":\"" + id + "\",\"checkoutId\":\"c1\",\"fingerprint\":\"host-abc\",\"sequence\":4,"
                        + "\"until\":\"2027-01-06T10:00:00Z\",\"fileName\":\"x-4.checkout\",\"file\":\"a.b.c.d.e\"}"));
        Path out = dir.resolve("site/x.checkout");
        Run r = Run.of(env, "licenses", "checkout", id.toString(), "--request", requestFile.toString(), "--days", "30",
                "--reason", "ticket 1", "-o", out.toString(), "--idempotency-key", "k-1");
        assertEquals(0, r.code(), r::toString);
        assertEquals("a.b.c.d.e", Files.readString(out).strip());
        assertTrue(r.out().contains("host-abc") && r.out().contains("2027-01-06T10:00:00Z"), r::toString);
        JsonNode sent = new ObjectMapper().readTree(seen.get(0).body());
        assertEquals(request, sent.path("request").asText(), "the request file's text, as the machine wrote it");
        assertEquals(30, sent.path("durationDays").asInt());
        assertEquals("ticket 1", sent.path("reason").asText());
        assertEquals("k-1", seen.get(0).header("Idempotency-Key"));

        // A malformed request file is refused before anything is sent.
        seen.clear();
        Files.writeString(requestFile, request.replace("host-abc", "host abc"));
        Run bad = Run.of(env, "licenses", "checkout", id.toString(), "--request", requestFile.toString(), "--days", "30");
        assertEquals(ExitCodes.USAGE, bad.code(), bad::toString);
        assertTrue(bad.err().contains("fingerprint"), bad::toString);
        assertTrue(seen.isEmpty());

        issuer.on("GET /v1/licenses/" + id + "/checkouts", new Reply(200, "application/json",
                "[{\"fingerprint\":\"host-abc\",\"sequence\":4,\"state\":\"ACTIVE\",\"until\":\"2027-01-06T10:00:00Z\","
                        + "\"returnedAt\":null,\"label\":\"rack 1\"}]"));
        Run list = Run.of(env, "checkouts", "list", id.toString());
        assertEquals(0, list.code(), list::toString);
        assertTrue(list.out().startsWith("FINGERPRINT") && list.out().contains("host-abc")
                && list.out().contains("ACTIVE"), list::toString);

        String returned = "{\"fingerprint\":\"host-abc\",\"sequence\":4,\"state\":\"RETURNED\"}";
        issuer.on("DELETE /v1/licenses/" + id + "/checkouts/host-abc", new Reply(200, "application/json", returned));
        seen.clear();
        Run ret = Run.of(env, "checkouts", "return", id.toString(), "--fingerprint", "host-abc", "--reason", "gone");
        assertEquals(0, ret.code(), ret::toString);
        assertTrue(ret.out().contains("seat is free"), ret::toString);
        assertTrue(seen.get(0).uri().toString().endsWith("/checkouts/host-abc?reason=gone"), () -> seen.get(0).uri().toString());

        org.licensing.core.key.LicenseKey key = org.licensing.core.key.LicenseKey.generate(id);
        var doc = new org.licensing.core.checkout.CheckoutDocument(java.util.UUID.randomUUID(),
                new org.licensing.core.document.LicenseDocument(id.toString(), "c", "Acme", "gpu-cluster", Map.of(),
                        Map.of(), 3, java.time.Instant.parse("2026-01-01T00:00:00Z"),
                        java.time.Instant.parse("2026-01-01T00:00:00Z"), java.time.Instant.parse("2027-06-01T00:00:00Z"), 14),
                "host-abc", 4, java.time.Instant.parse("2026-12-07T10:00:00Z"),
                java.time.Instant.parse("2027-01-06T10:00:00Z"), null);
        String returnFile = org.licensing.core.checkout.CheckoutReturn.create(doc, key,
                java.time.Instant.parse("2026-12-20T10:00:00Z")).toJson();
        Path rf = dir.resolve("return.json");
        Files.writeString(rf, returnFile);
        issuer.on("POST /v1/licenses/" + id + "/checkouts/returns", new Reply(200, "application/json", returned));
        seen.clear();
        Run byFile = Run.of(env, "checkouts", "return", id.toString(), "--file", rf.toString());
        assertEquals(0, byFile.code(), byFile::toString);
        assertEquals(returnFile, new ObjectMapper().readTree(seen.get(0).body()).path("returnFile").asText());
    }
}
