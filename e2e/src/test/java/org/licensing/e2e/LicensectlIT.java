package org.licensing.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensing.cli.ExitCodes;
import org.licensing.cli.Licensectl;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The operator CLI against the running issuer (packaged, real back ends): every command in-process through
 * {@link Licensectl#run}, each outcome checked on the command's output and exit code and, through the issuer's
 * API, on the license's real state.
 */
class LicensectlIT {

    private static LocalSystem system;
    private static ApiClient issuer;
    private static String token;

    @TempDir
    Path dir;

    /** One licensectl invocation's outcome. */
    record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    @BeforeAll
    static void startSystem() {
        system = LocalSystem.start(LocalSystem.Ports.free(), Map.of());
        token = system.backOfficeToken();
        issuer = ApiClient.bearer(system.issuer().url(), token);
    }

    @AfterAll
    static void stopSystem() {
        if (system != null) {
            system.close();
        }
    }

    private Map<String, String> env() {
        return Map.of("LICENSECTL_CONFIG", dir.resolve("config/config.json").toString(), "HOME", dir.toString());
    }

    private Run cli(String... args) {
        return cliWithStdin(env(), "", args);
    }

    private static Run cliWithStdin(Map<String, String> env, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Licensectl.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run ok(String... args) {
        Run r = cli(args);
        assertEquals(0, r.code(), () -> String.join(" ", args) + "\n" + r);
        return r;
    }

    private static JsonNode license(String id) {
        return issuer.getOk("/v1/licenses/" + id);
    }

    private void login() {
        Run r = cliWithStdin(env(), token + "\n", "login", "--url", system.issuer().url().toString(), "--token", "-");
        assertEquals(0, r.code(), r::toString);
    }

    @Test
    void operatorLifecycle() throws Exception {
        DemoSeed.Seeded seed = new DemoSeed(system).seed();

        // login: the token goes to a 0600 config file, never to the output.
        Run login = cliWithStdin(env(), token + "\n", "login", "--url", system.issuer().url().toString(),
                "--token", "-");
        assertEquals(0, login.code(), login::toString);
        assertFalse(login.out().contains(token) || login.err().contains(token));
        Path config = dir.resolve("config/config.json");
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(config));

        // issue with overrides; the same Idempotency-Key again gives the same license, not a second one.
        String idem = "it-" + UUID.randomUUID();
        String[] issueArgs = {"licenses", "issue", "--customer", seed.customerId(), "--policy", seed.policyId(),
            "--duration-days", "30", "--grace-days", "7", "--max-activations", "5", "--limit", "gpus=16",
            "--feature", "audit-export=true", "--idempotency-key", idem};
        Run issued = ok(issueArgs);
        String id = field(issued.out(), "License");
        String key = issued.out().lines().map(String::strip).filter(l -> l.startsWith("LK1-")).findFirst()
                .orElseThrow(() -> new AssertionError("no license key in\n" + issued));
        Run retried = ok(issueArgs);
        assertEquals(id, field(retried.out(), "License"), retried::toString);
        assertTrue(retried.err().contains("replayed"), retried::toString);
        JsonNode stored = license(id);
        assertEquals("ACTIVE", stored.path("status").asText());
        assertEquals(16, stored.path("entitlements").path("limits").path("gpus").asLong());
        assertEquals(8, stored.path("entitlements").path("limits").path("nodes").asLong(), "policy default kept");
        assertTrue(stored.path("entitlements").path("features").path("audit-export").asBoolean());
        assertEquals(5, stored.path("maxActivations").asInt());
        assertEquals(7, stored.path("graceDays").asInt());
        assertEquals(2, issuer.getOk("/v1/licenses?customerId=" + seed.customerId()).path("items").size(),
                "the seeded license and exactly one issued here");

        // show, list, search: the license, never its key.
        Run show = ok("licenses", "show", id);
        assertEquals("ACTIVE", field(show.out(), "Status"));
        assertTrue(show.out().contains("gpus=16"), show::toString);
        assertFalse(show.out().contains(key), "show never prints the key");
        Run showJson = ok("licenses", "show", id, "--json");
        assertEquals(id, ApiClient.JSON.readTree(showJson.out()).path("licenseId").asText());

        Run list = ok("licenses", "list", "--customer", seed.customerId());
        assertTrue(list.out().startsWith("LICENSE"), list::toString);
        assertTrue(list.out().contains(id) && list.out().contains(seed.licenseId()), list::toString);
        assertFalse(list.out().contains(key));

        Run page = ok("licenses", "list", "--customer", seed.customerId(), "--limit", "1", "--json");
        JsonNode first = ApiClient.JSON.readTree(page.out());
        assertEquals(1, first.path("items").size(), page::toString);
        Run next = ok("licenses", "list", "--customer", seed.customerId(), "--limit", "1",
                "--cursor", first.path("nextCursor").asText());
        assertTrue(next.out().contains(seed.licenseId()) || next.out().contains(id), next::toString);

        Run search = ok("licenses", "search", "--product", DemoSeed.PRODUCT_CODE, "--status", "active",
                "--expiring-before", Instant.now().plus(31, ChronoUnit.DAYS).toString(), "--limit", "100", "--json");
        assertTrue(ids(search.out()).contains(id), search::toString);
        Run searchLater = ok("licenses", "search", "--customer", seed.customerId(), "--expiring-before",
                Instant.now().plus(1, ChronoUnit.DAYS).toString(), "--json");
        assertFalse(ids(searchLater.out()).contains(id), "expires in 30 days, not within 1\n" + searchLater);

        // renew with the version just read; the same version again is stale: exit 5, nothing changed.
        JsonNode before = license(id);
        long version = before.path("version").asLong();
        ok("licenses", "renew", id, "--extend-days", "30", "--expected-version", Long.toString(version));
        JsonNode renewed = license(id);
        assertEquals(Instant.parse(before.path("expiresAt").asText()).plus(30, ChronoUnit.DAYS),
                Instant.parse(renewed.path("expiresAt").asText()));
        Run stale = cli("licenses", "renew", id, "--extend-days", "30", "--expected-version",
                Long.toString(version));
        assertEquals(ExitCodes.CONFLICT, stale.code(), stale::toString);
        // The title is the problem type's own (one list in service-support): "Stale version", not a bare "Conflict".
        assertTrue(stale.err().contains("Stale version:"), stale::toString);
        assertEquals(renewed.path("expiresAt").asText(), license(id).path("expiresAt").asText());

        // suspend, a second suspend is a conflict, reinstate.
        ok("licenses", "suspend", id, "--reason", "payment overdue");
        assertEquals("SUSPENDED", license(id).path("status").asText());
        Run again = cli("licenses", "suspend", id);
        assertEquals(ExitCodes.CONFLICT, again.code(), again::toString);
        Run reinstated = ok("licenses", "reinstate", id, "--reason", "paid");
        assertEquals("ACTIVE", field(reinstated.out(), "Status"));
        assertEquals("ACTIVE", license(id).path("status").asText());

        // license files (signed, and encrypted for the key), the JWK Set, then offline verification.
        Path lic = dir.resolve("files/" + id + ".lic");
        Path jwe = dir.resolve("files/" + id + ".lic.jwe");
        Path jwks = dir.resolve("files/jwks.json");
        ok("licenses", "file", id, "-o", lic.toString());
        Run encrypted = cliWithStdin(env(), key + "\n", "licenses", "file", id, "--license-key", "-", "-o",
                jwe.toString());
        assertEquals(0, encrypted.code(), encrypted::toString);
        assertEquals(3, Files.readString(lic).strip().split("\\.", -1).length);
        assertEquals(5, Files.readString(jwe).strip().split("\\.", -1).length);
        Run keys = ok("jwks", "--out", jwks.toString());
        assertTrue(keys.out().contains("Saved"), keys::toString);

        Map<String, String> offline = new HashMap<>(env());
        offline.put("LICENSECTL_URL", "http://127.0.0.1:9"); // nothing listens: verify must not need the issuer
        Run verified = cliWithStdin(offline, "", "verify", lic.toString(), "--jwks", jwks.toString());
        assertEquals(0, verified.code(), verified::toString);
        assertEquals("VALID", field(verified.out(), "Status"));
        assertEquals(id, field(verified.out(), "License"));
        assertTrue(verified.out().contains("gpus=16"), verified::toString);

        Run decrypted = cliWithStdin(offline, "", "verify", jwe.toString(), "--jwks", jwks.toString(),
                "--license-key", key, "--json");
        assertEquals(0, decrypted.code(), decrypted::toString);
        JsonNode v = ApiClient.JSON.readTree(decrypted.out());
        assertEquals("VALID", v.path("status").asText());
        assertEquals(Instant.parse(renewed.path("expiresAt").asText()).truncatedTo(ChronoUnit.SECONDS),
                Instant.parse(v.path("license").path("expiresAt").asText()), "the file carries the renewed expiry");

        Instant expiry = Instant.parse(renewed.path("expiresAt").asText());
        Run inGrace = cliWithStdin(offline, "", "verify", lic.toString(), "--jwks", jwks.toString(), "--at",
                expiry.plus(2, ChronoUnit.DAYS).toString());
        assertEquals(0, inGrace.code(), inGrace::toString);
        assertEquals("EXPIRED_IN_GRACE", field(inGrace.out(), "Status"));
        Run expired = cliWithStdin(offline, "", "verify", lic.toString(), "--jwks", jwks.toString(), "--at",
                expiry.plus(8, ChronoUnit.DAYS).toString());
        assertEquals(ExitCodes.NOT_USABLE, expired.code(), expired::toString);

        Path tampered = dir.resolve("files/tampered.lic");
        Files.writeString(tampered, tamper(Files.readString(lic).strip()));
        Run rejected = cliWithStdin(offline, "", "verify", tampered.toString(), "--jwks", jwks.toString());
        assertEquals(ExitCodes.REJECTED, rejected.code(), rejected::toString);
        assertTrue(rejected.err().contains("BAD_SIGNATURE"), rejected::toString);

        // revoke is final: no file any more, no reinstating.
        ok("licenses", "revoke", id, "--reason", "contract ended");
        assertEquals("REVOKED", license(id).path("status").asText());
        assertEquals(ExitCodes.CONFLICT, cli("licenses", "file", id).code());
        assertEquals(ExitCodes.CONFLICT, cli("licenses", "reinstate", id).code());
    }

    @Test
    void errorsMapToExitCodes() {
        login();
        Run missing = cli("licenses", "show", UUID.randomUUID().toString());
        assertEquals(ExitCodes.NOT_FOUND, missing.code(), missing::toString);
        assertTrue(missing.err().contains("Not found:"), missing::toString);

        Run unknownCustomer = cli("licenses", "issue", "--customer", UUID.randomUUID().toString(), "--policy",
                UUID.randomUUID().toString());
        assertEquals(ExitCodes.NOT_FOUND, unknownCustomer.code(), unknownCustomer::toString);

        Map<String, String> badToken = new HashMap<>(env());
        badToken.put("LICENSECTL_TOKEN", system.tokens().builder().subject("mallory").roles("licenses:read")
                .signedByAnotherKey().sign());
        Run untrusted = cliWithStdin(badToken, "", "licenses", "list", "--customer", UUID.randomUUID().toString());
        assertEquals(ExitCodes.AUTH, untrusted.code(), untrusted::toString);

        Map<String, String> readOnly = new HashMap<>(env());
        readOnly.put("LICENSECTL_TOKEN", system.tokens().builder().subject("viewer@vendor.example")
                .roles("licenses:read").lifetime(java.time.Duration.ofMinutes(5)).sign());
        Run forbidden = cliWithStdin(readOnly, "", "licenses", "revoke", UUID.randomUUID().toString());
        assertEquals(ExitCodes.AUTH, forbidden.code(), forbidden::toString);

        Run rejectedLogin = cliWithStdin(env(), "not.a.token\n", "login", "--url",
                system.issuer().url().toString(), "--token", "-");
        assertEquals(ExitCodes.AUTH, rejectedLogin.code(), rejectedLogin::toString);
    }

    /** The value of a {@code Label   value} line of the human output. */
    private static String field(String out, String label) {
        return out.lines().filter(l -> l.startsWith(label + " ")).map(l -> l.substring(label.length()).strip())
                .map(s -> s.split(" ")[0]).findFirst().orElseThrow(() -> new AssertionError(label + " not in\n" + out));
    }

    private static Set<String> ids(String json) throws Exception {
        Set<String> ids = new java.util.HashSet<>();
        ApiClient.JSON.readTree(json).path("items").forEach(l -> ids.add(l.path("licenseId").asText()));
        return ids;
    }

    private static String tamper(String jws) {
        String[] parts = jws.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"gpus\":16", "\"gpus\":1600");
        assertTrue(payload.contains("1600"), payload);
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }
}
