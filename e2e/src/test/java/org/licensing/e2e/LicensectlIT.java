package org.licensing.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensing.cli.ExitCodes;
import org.licensing.cli.Licensectl;
import org.licensing.core.document.LicenseDocument;
import org.licensing.core.document.LicenseFiles;
import org.licensing.core.key.LicenseKey;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

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
        // The system the other e2e classes share; this class only adds licenses of its own or of the demo customer.
        system = SharedSystem.apis();
        token = system.backOfficeToken();
        issuer = ApiClient.bearer(system.issuer().url(), token);
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

        // Page by page (one license a page, following nextCursor): every license exactly once, no page repeating
        // another's, and the last page says so by carrying no cursor.
        List<String> paged = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 2; pages++) {
            Run page = cursor == null
                    ? ok("licenses", "list", "--customer", seed.customerId(), "--limit", "1", "--json")
                    : ok("licenses", "list", "--customer", seed.customerId(), "--limit", "1", "--cursor", cursor,
                            "--json");
            JsonNode body = ApiClient.JSON.readTree(page.out());
            assertEquals(1, body.path("items").size(), page::toString);
            paged.add(body.path("items").get(0).path("licenseId").asText());
            cursor = body.path("nextCursor").asText(null);
            if (pages == 0) {
                assertTrue(cursor != null, "a second license follows\n" + page);
            }
        }
        if (cursor != null) {
            Run last = ok("licenses", "list", "--customer", seed.customerId(), "--limit", "1", "--cursor", cursor,
                    "--json");
            assertEquals(0, ApiClient.JSON.readTree(last.out()).path("items").size(), last::toString);
            assertFalse(ApiClient.JSON.readTree(last.out()).has("nextCursor"), last::toString);
        }
        assertEquals(2, new HashSet<>(paged).size(), "page 2 repeats page 1: " + paged);
        assertEquals(Set.of(id, seed.licenseId()), new HashSet<>(paged), "the pages together: both licenses");
        Run all = ok("licenses", "list", "--customer", seed.customerId(), "--limit", "1", "--all");
        assertEquals(List.of(seed.licenseId(), id), tableIds(all.out()), "soonest expiry first, each once\n" + all);

        Run search = ok("licenses", "search", "--product", DemoSeed.PRODUCT_CODE, "--status", "active",
                "--expiring-before", Instant.now().plus(31, ChronoUnit.DAYS).toString(), "--all", "--json");
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

        // The issuer serves no bearer license file any more: this policy allows no unbound files (checkouts instead).
        Run noFile = cli("licenses", "file", id, "-o", dir.resolve("files/refused.lic").toString());
        assertEquals(ExitCodes.CONFLICT, noFile.code(), noFile::toString);
        assertTrue(noFile.err().contains("unbound") || noFile.err().contains("checkout"), noFile::toString);

        // Offline verification of license files (signed, and encrypted for the key) with the issuer's own key,
        // made here from the issuer's record: the JWK Set comes from the issuer, the check needs no network.
        Path lic = dir.resolve("files/" + id + ".lic");
        Path jwe = dir.resolve("files/" + id + ".lic.jwe");
        Path jwks = dir.resolve("files/jwks.json");
        String signed = LicenseFiles.sign(documentOf(renewed), null, system.signingKeys(LocalSystem.ISSUER));
        Files.createDirectories(lic.getParent());
        Files.writeString(lic, signed);
        Files.writeString(jwe, LicenseFiles.encryptFor(signed, LicenseKey.parse(key)));
        assertEquals(3, Files.readString(lic).strip().split("\\.", -1).length);
        assertEquals(5, Files.readString(jwe).strip().split("\\.", -1).length);
        Run keys = ok("jwks", "--out", jwks.toString());
        assertTrue(keys.out().contains("Saved"), keys::toString);

        // verify must not need the issuer: LICENSECTL_URL names a server that counts every request it gets.
        AtomicInteger contacted = new AtomicInteger();
        HttpServer tripwire = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tripwire.createContext("/", ex -> {
            contacted.incrementAndGet();
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        tripwire.start();
        Map<String, String> offline = new HashMap<>(env());
        offline.put("LICENSECTL_URL", "http://127.0.0.1:" + tripwire.getAddress().getPort());
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
        tripwire.stop(0);
        assertEquals(0, contacted.get(), "offline verification sent a request");

        // revoke is final: no file any more, no reinstating.
        ok("licenses", "revoke", id, "--reason", "contract ended");
        assertEquals("REVOKED", license(id).path("status").asText());
        assertEquals(ExitCodes.CONFLICT, cli("licenses", "file", id).code());
        assertEquals(ExitCodes.CONFLICT, cli("licenses", "reinstate", id).code());
    }

    @Test
    void searchesEveryLicenseByAnyFilter() throws Exception {
        DemoSeed.Seeded demo = new DemoSeed(system).seed();
        login();
        Instant start = Instant.now().minusSeconds(1);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String name = "Initech Render " + suffix;
        String externalId = "crm-initech-" + suffix;
        String customer = issuer.postOk("/v1/customers", Map.of("name", name, "externalId", externalId))
                .path("id").asText();
        // Three licenses of a customer no other test uses: expiring in 20, 45 and 100 days, cuda.device 8, 16 and
        // the policy's 64; the last one suspended.
        String l1 = issue(customer, demo.policyId(), "20", "cuda.device=8");
        String l2 = issue(customer, demo.policyId(), "45", "cuda.device=16");
        String l3 = issue(customer, demo.policyId(), "100", null);
        ok("licenses", "suspend", l3, "--reason", "search test");
        Set<String> every = Set.of(l1, l2, l3);

        // q: the customer's name (any case, a substring), its external id (a prefix), a license id prefix.
        assertEquals(every, searchIds("licenses", "search", name.toLowerCase(java.util.Locale.ROOT).substring(8)));
        assertEquals(every, searchIds("licenses", "search", externalId.substring(0, externalId.length() - 2)));
        assertEquals(every, searchIds("licenses", "list", "--query", name.toUpperCase(java.util.Locale.ROOT)));
        Set<String> byPrefix = searchIds("licenses", "search", l1.substring(0, 13));
        assertTrue(byPrefix.contains(l1) && byPrefix.stream().allMatch(i -> i.startsWith(l1.substring(0, 13))),
                byPrefix::toString);

        // Filters, each alone with the customer and combined.
        assertEquals(Set.of(l1), searchIds("licenses", "list", "--customer", customer, "--expiring-within", "30d"));
        assertEquals(Set.of(l1, l2), searchIds("licenses", "list", "--customer", customer, "--expiring-within",
                "1440h"));
        assertEquals(Set.of(l2), searchIds("licenses", "list", "--customer", customer, "--expires-after",
                Instant.now().plus(30, ChronoUnit.DAYS).toString(), "--expires-before",
                Instant.now().plus(60, ChronoUnit.DAYS).toString()));
        assertEquals(Set.of(l3), searchIds("licenses", "list", "--customer", customer, "--status", "suspended"));
        assertEquals(every, searchIds("licenses", "list", "--customer", customer, "--status", "active",
                "--status", "SUSPENDED"));
        assertEquals(Set.of(), searchIds("licenses", "list", "--customer", customer, "--status", "revoked"));
        assertEquals(Set.of(l2, l3), searchIds("licenses", "list", "--customer", customer, "--min-limit",
                "cuda.device:16"));
        assertEquals(Set.of(l3), searchIds("licenses", "list", "--customer", customer, "--min-limit",
                "cuda.device:16.5"), "exact decimal comparison");
        assertEquals(Set.of(l2, l3), searchIds("licenses", "list", "--customer", customer, "--min-limit",
                "cuda.device:16", "--min-limit", "nodes:8"), "every --min-limit holds");
        assertEquals(Set.of(), searchIds("licenses", "list", "--customer", customer, "--min-limit",
                "cuda.device:16", "--min-limit", "nodes:9"));
        assertEquals(Set.of(), searchIds("licenses", "list", "--customer", customer, "--min-limit",
                "no.such.limit:1"), "a license without the limit does not match");
        assertEquals(every, searchIds("licenses", "list", "--customer", customer, "--product",
                DemoSeed.PRODUCT_CODE, "--policy", demo.policyId(), "--issued-after", start.toString()));
        assertEquals(Set.of(), searchIds("licenses", "list", "--customer", customer, "--issued-before",
                start.toString()));
        assertEquals(Set.of(l2), searchIds("licenses", "search", name, "--status", "active", "--min-limit",
                "cuda.device:9"));

        // Sort and order; --all over pages of one.
        assertEquals(List.of(l1, l2, l3), tableIds(ok("licenses", "list", "--customer", customer, "--all",
                "--limit", "1").out()));
        assertEquals(List.of(l3, l2, l1), tableIds(ok("licenses", "list", "--customer", customer, "--sort",
                "expiresAt", "--order", "desc", "--all", "--limit", "1").out()));
        Run table = ok("licenses", "list", "--customer", customer, "--sort", "customerName");
        assertTrue(table.out().startsWith("LICENSE "), table::toString);
        assertTrue(table.out().contains(name) && table.out().contains("cuda.device=16"), table::toString);

        // CSV: to standard output and to a file, the same rows.
        Run csv = ok("licenses", "list", "--customer", customer, "--csv");
        List<String> lines = csv.out().lines().toList();
        assertTrue(lines.get(0).startsWith("licenseId,customerId,customerName,"), csv::toString);
        assertEquals(every, lines.stream().skip(1).map(l -> l.split(",")[0].replace("\"", ""))
                .collect(java.util.stream.Collectors.toSet()), csv::toString); // every text field is quoted
        Path file = dir.resolve("exports/initech.csv");
        Run saved = ok("licenses", "search", externalId, "--csv", "--output", file.toString());
        assertEquals("Saved 3 licenses (CSV) to " + file, saved.out().strip());
        assertEquals(csv.out().lines().toList(), Files.readAllLines(file));

        // stats over the same filters.
        JsonNode stats = ApiClient.JSON.readTree(ok("licenses", "stats", "--customer", customer, "--json").out());
        assertEquals(2, stats.path("byStatus").path("ACTIVE").asInt(), stats::toString);
        assertEquals(1, stats.path("byStatus").path("SUSPENDED").asInt(), stats::toString);
        assertEquals(0, stats.path("byStatus").path("REVOKED").asInt(0), stats::toString);
        assertEquals(3, stats.path("byProduct").path(DemoSeed.PRODUCT_CODE).asInt(), stats::toString);
        assertEquals(0, stats.path("expiringWithin").path("7").asInt(), stats::toString);
        assertEquals(1, stats.path("expiringWithin").path("30").asInt(), stats::toString);
        assertEquals(2, stats.path("expiringWithin").path("60").asInt(), stats::toString);
        assertEquals(2, stats.path("expiringWithin").path("90").asInt(), stats::toString);
        Run statsTable = ok("licenses", "stats", "--customer", customer);
        assertTrue(statsTable.out().lines().anyMatch(l -> l.strip().equals("SUSPENDED  1")), statsTable::toString);

        // A portal token of this customer sees its own licenses only, in search, stats and CSV, whatever it asks.
        Map<String, String> portal = new HashMap<>(env());
        portal.put("LICENSECTL_TOKEN", system.tokens().portal("it@initech.example", customer, "licenses:read"));
        Run mine = cliWithStdin(portal, "", "licenses", "list", "--all", "--json");
        assertEquals(0, mine.code(), mine::toString);
        assertEquals(every, ids(mine.out()));
        Run theirs = cliWithStdin(portal, "", "licenses", "list", "--customer", demo.customerId(), "--json");
        // Another customer's id narrows the portal's own search to nothing: an answer with no rows, not an error.
        assertEquals(0, theirs.code(), theirs::toString);
        assertTrue(ids(theirs.out()).isEmpty(), "another customer's rows\n" + theirs);
        Run portalStats = cliWithStdin(portal, "", "licenses", "stats", "--json");
        assertEquals(0, portalStats.code(), portalStats::toString);
        assertEquals(2, ApiClient.JSON.readTree(portalStats.out()).path("byStatus").path("ACTIVE").asInt());
        Run portalCsv = cliWithStdin(portal, "", "licenses", "list", "--csv");
        assertEquals(0, portalCsv.code(), portalCsv::toString);
        assertEquals(4, portalCsv.out().lines().count(), portalCsv::toString);
    }

    /** Issues a license with licensectl; returns its id. */
    private String issue(String customer, String policy, String days, String limit) {
        List<String> args = new ArrayList<>(List.of("licenses", "issue", "--customer", customer, "--policy", policy,
                "--duration-days", days));
        if (limit != null) {
            args.addAll(List.of("--limit", limit));
        }
        return field(ok(args.toArray(String[]::new)).out(), "License");
    }

    /** Every license id a list/search command finds (all pages, through --json). */
    private Set<String> searchIds(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--all", "--json"));
        Run r = ok(all.toArray(String[]::new));
        List<String> found = new ArrayList<>();
        ApiClient.JSON.readTree(r.out()).path("items").forEach(l -> found.add(l.path("licenseId").asText()));
        assertEquals(found.size(), new HashSet<>(found).size(), "a license twice\n" + r);
        return new HashSet<>(found);
    }

    @Test
    void errorsMapToExitCodes() {
        DemoSeed.Seeded seed = new DemoSeed(system).seed();
        login();
        String id = seed.licenseId();
        String expiry = license(id).path("expiresAt").asText();

        // 400: the issuer's validation (extendDays is 1-3650; licensectl leaves that to the issuer).
        Run invalid = cli("licenses", "renew", id, "--extend-days", "5000");
        assertEquals(ExitCodes.USAGE, invalid.code(), invalid::toString);
        assertTrue(invalid.err().contains("extendDays"), invalid::toString);
        assertEquals(expiry, license(id).path("expiresAt").asText());

        // 409: a transition the state does not allow (reinstating an active license), and a stale version.
        Run notSuspended = cli("licenses", "reinstate", id);
        assertEquals(ExitCodes.CONFLICT, notSuspended.code(), notSuspended::toString);
        long version = license(id).path("version").asLong();
        Run stale = cli("licenses", "suspend", id, "--expected-version", Long.toString(version + 7));
        assertEquals(ExitCodes.CONFLICT, stale.code(), stale::toString);
        assertTrue(stale.err().contains("Stale version:"), stale::toString);
        assertEquals("ACTIVE", license(id).path("status").asText());

        // 422: an Idempotency-Key reused for another request; the first one happened once, the second never.
        String key = "it-" + UUID.randomUUID();
        ok("licenses", "renew", id, "--extend-days", "1", "--idempotency-key", key);
        Run reused = cli("licenses", "renew", id, "--extend-days", "2", "--idempotency-key", key);
        assertEquals(ExitCodes.OTHER, reused.code(), reused::toString);
        assertTrue(reused.err().contains("Idempotency-Key reused"), reused::toString);
        assertEquals(Instant.parse(expiry).plus(1, ChronoUnit.DAYS), Instant.parse(license(id).path("expiresAt")
                .asText()));
        Run unknownPolicy = cli("licenses", "issue", "--customer", seed.customerId(), "--policy",
                UUID.randomUUID().toString());
        assertEquals(ExitCodes.OTHER, unknownPolicy.code(), unknownPolicy::toString);

        // 404
        Run missing = cli("licenses", "show", UUID.randomUUID().toString());
        assertEquals(ExitCodes.NOT_FOUND, missing.code(), missing::toString);
        assertTrue(missing.err().contains("Not found:"), missing::toString);

        Run unknownCustomer = cli("licenses", "issue", "--customer", UUID.randomUUID().toString(), "--policy",
                UUID.randomUUID().toString());
        assertEquals(ExitCodes.NOT_FOUND, unknownCustomer.code(), unknownCustomer::toString);

        Map<String, String> badToken = new HashMap<>(env());
        badToken.put("LICENSECTL_TOKEN", system.tokens().builder().subject("mallory").roles("licenses:read")
                .signedByAnotherKey().sign());
        // 401: a token the issuer does not trust, for a read and for a change (which then did not happen).
        Run untrusted = cliWithStdin(badToken, "", "licenses", "list", "--customer", UUID.randomUUID().toString());
        assertEquals(ExitCodes.AUTH, untrusted.code(), untrusted::toString);
        Run untrustedChange = cliWithStdin(badToken, "", "licenses", "suspend", id);
        assertEquals(ExitCodes.AUTH, untrustedChange.code(), untrustedChange::toString);
        assertEquals("ACTIVE", license(id).path("status").asText());

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

    /** The license ids of a table's rows, in order (the first column, header and More: line left out). */
    private static List<String> tableIds(String out) {
        return out.lines().skip(1).takeWhile(l -> !l.isBlank()).map(l -> l.split(" ")[0]).toList();
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

    /** The license file document of the issuer's answer for a license. */
    private static LicenseDocument documentOf(JsonNode l) {
        Map<String, Boolean> features = new HashMap<>();
        l.path("entitlements").path("features").fields().forEachRemaining(e -> features.put(e.getKey(),
                e.getValue().asBoolean()));
        Map<String, java.math.BigDecimal> limits = new HashMap<>();
        l.path("entitlements").path("limits").fields().forEachRemaining(e -> limits.put(e.getKey(),
                e.getValue().decimalValue()));
        return new LicenseDocument(l.path("licenseId").asText(), l.path("customerId").asText(),
                l.path("customerName").asText(null), l.path("productCode").asText(), features, limits,
                l.path("maxActivations").asInt(), Instant.parse(l.path("issuedAt").asText()),
                Instant.parse(l.path("notBefore").asText()), Instant.parse(l.path("expiresAt").asText()),
                l.path("graceDays").asInt());
    }
}
