package org.licensing.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensing.cli.Licensectl;
import org.licensing.core.checkout.CheckoutRequest;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.usage.UsageReport;
import org.licensing.e2e.ApiClient.Answer;
import org.licensing.examples.gpuagent.ExitCodes;
import org.licensing.testsupport.LocalBackends;
import org.licensing.testsupport.idp.KeycloakServer.DemoUser;
import org.licensing.testsupport.process.ChildProcess;
import org.licensing.testsupport.process.PackagedService;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jwt.JWTClaimsSet;

/**
 * The air-gapped site's whole story over real HTTP, on the packaged jars: the issuer issues a license; the packaged
 * relay's first start writes its checkout request; the operator turns it into a relay checkout with licensectl and
 * copies it next to the relay, which serves; three gpu-agent processes (the shaded example jar) lease 8 GPUs each
 * until the pool of 24 is exhausted and a fourth node is refused with the clear message; one agent is SIGKILLed
 * (no release) and its lease is reaped after its lease time, so the fourth gets its GPUs; the relay is SIGKILLed in
 * the middle of a stream of leases and releases and restarted: every answered lease is still there and every answer
 * is in the usage log; the jar's {@code report} command exports a report that licensectl hands to the issuer, whose
 * usage view shows its figures; an operator signed in to the back office (real Chromium, Keycloak) sees on the license
 * page the report with its period, the relay's chain state and the usage tables with the issuer's figures; a forged
 * report, a replayed one, one that skips a report and one with a gap are each refused with their problem type, and the
 * page still lists only the accepted report; reports 2 and 3 are then accepted and listed. Each step is printed
 * ({@code [relay story ...]}) as it happens; the back office's pages are saved under {@code target/screenshots/}.
 *
 * <p>It runs on the shared system with Keycloak and the back office ({@link SharedSystem#backOffice()}): the issuer
 * trusts Keycloak's tokens, so the API calls here carry the seed account's token (15 minutes, longer than the story).
 */
class AirGappedRelayStoryIT {

    private static final String PRODUCT = "gpu-relay-site";
    private static final String ADMIN_TOKEN = "relay-story-admin-token-0123456789abcdef";
    /** Short, so the reaping shows in seconds; long enough that leases outlive the relay's restart. */
    private static final Duration LEASE_TTL = Duration.ofSeconds(20);
    private static final String PROBLEMS = "https://licensing.dev/problems/";

    @TempDir
    Path dir;

    private final long t0 = System.nanoTime();
    private final List<ChildProcess> processes = new ArrayList<>();
    private final Path logs = Path.of("target", "relay-story").toAbsolutePath();
    private final String site = "k8s-" + UUID.randomUUID().toString().replace("-", "")
            + UUID.randomUUID().toString().replace("-", "");
    private ApiClient issuer;
    private Path data;
    private int port;
    private URI relayUrl;

    private void step(String format, Object... args) {
        System.out.printf("[relay story %5.1f s] %s%n", (System.nanoTime() - t0) / 1e9, String.format(format, args));
    }

    @AfterEach
    void stopProcesses() {
        processes.forEach(ChildProcess::close);
    }

    @Test
    void issueCheckOutLeaseCrashReportIngest() throws Exception {
        LocalSystem system = SharedSystem.backOffice();
        issuer = ApiClient.bearer(system.issuer().url(), system.backOfficeToken());
        Files.createDirectories(logs);

        // 1. The vendor issues the site's license: 24 GPUs, 12.5 GPU shares, 8 nodes.
        if (issuer.get("/v1/products/" + PRODUCT).status() == 404) {
            issuer.postOk("/v1/products", Map.of("code", PRODUCT, "name", "GPU cluster behind a relay"));
        }
        String customerId = issuer.postOk("/v1/customers", Map.of("name", "Air-gapped Lab AG",
                "externalId", "crm-relay-" + UUID.randomUUID().toString().substring(0, 8))).path("id").asText();
        JsonNode policy = issuer.postOk("/v1/policies", Map.of("productCode", PRODUCT, "name", "Site relay",
                "durationDays", 365, "graceDays", 14, "maxActivations", 8, "maxCheckoutDays", 60,
                "entitlements", Map.of("limits", Map.of("cuda.device", 24, "cuda.shares", 12.5, "nodes", 8))));
        JsonNode license = issuer.postOk("/v1/licenses", Map.of("customerId", customerId,
                "policyId", policy.path("id").asText()));
        String licenseId = license.path("licenseId").asText();
        String licenseKey = license.path("licenseKey").asText();
        step("1. issued license %s (%s): cuda.device=24, cuda.shares=12.5, nodes=8", licenseId, PRODUCT);

        // 2. The relay's first start on an empty data directory: its key, its request, not serving yet.
        Path keyFile = Files.writeString(dir.resolve("license-key"), licenseKey);
        Path vendorKeys = Files.writeString(dir.resolve("vendor-keys.json"),
                system.signingKeys(LocalSystem.ISSUER).publicJwkSet().toString());
        data = dir.resolve("relay-data");
        port = freePort();
        relayUrl = URI.create("http://127.0.0.1:" + port);
        Map<String, String> relayEnv = Map.of(
                "LICENSING_RELAY_DATA_DIR", data.toString(),
                "LICENSING_RELAY_LICENSE_KEY_FILE", keyFile.toString(),
                "LICENSING_RELAY_PRODUCT", PRODUCT,
                "LICENSING_RELAY_FINGERPRINT_STRATEGY", "supplied",
                "LICENSING_RELAY_FINGERPRINT_VALUE", site,
                "LICENSING_RELAY_VENDOR_KEYS_FILE", vendorKeys.toString(),
                "LICENSING_RELAY_ADMIN_TOKEN", ADMIN_TOKEN,
                "LICENSING_RELAY_LEASE_TTL", LEASE_TTL.toString(),
                "LICENSING_RELAY_TICK_INTERVAL", "PT1S");
        ChildProcess relay = startRelay(relayEnv, "relay.log");
        relay.awaitOk(relayUrl.resolve("/q/health/live"), deadline(Duration.ofSeconds(120)));
        Path requestFile = data.resolve("checkout-request.json");
        Await.until(() -> Files.isRegularFile(requestFile), Duration.ofSeconds(30), "the checkout request");
        String requestText = Files.readString(requestFile);
        CheckoutRequest request = CheckoutRequest.parse(requestText);
        assertEquals(List.of(licenseId, PRODUCT, site), List.of(request.licenseId().toString(), request.productCode(),
                request.fingerprint()));
        assertTrue(request.relayKey() != null, "the request carries the relay's public key");
        assertFalse(requestText.contains(licenseKey), "no secret in the request");
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(data.resolve("relay-key.jwk")));
        JsonNode state = relayApi().getOk("/v1/relay");
        assertEquals(List.of("false", "NO_CHECKOUT"), List.of(state.path("serving").asText(),
                state.path("code").asText()), state.toString());
        step("2. relay's first start: key %s (0600), checkout-request.json written; not serving (%s)",
                request.relayKey().getKeyID(), state.path("code").asText());

        // 3. The vendor's operator makes the relay checkout with licensectl, from the request a person carried.
        Path cliHome = dir.resolve("cli");
        Cli cli = new Cli(Map.of("LICENSECTL_CONFIG", cliHome.resolve("config.json").toString(), "HOME",
                cliHome.toString()));
        cli.ok(system.backOfficeToken() + "\n", "login", "--url", system.issuer().url().toString(), "--token", "-");
        Path checkoutFile = dir.resolve("carried-checkout.jwe");
        Cli.Run made = cli.ok("", "licenses", "checkout", licenseId, "--request", requestFile.toString(), "--days",
                "30", "--out", checkoutFile.toString(), "--reason", "relay of the lab's cluster");
        step("3. relay checkout through the issuer API (licensectl licenses checkout): %s",
                made.out().lines().filter(l -> l.startsWith("Checkout")).findFirst().orElse("?")
                        .replaceAll("\\s+", " ").strip());

        // 4. The site's operator copies the answer next to the relay: it serves within a tick.
        Files.copy(checkoutFile, data.resolve("checkout.jwe"));
        relay.awaitOk(relayUrl.resolve("/q/health/ready"), deadline(Duration.ofSeconds(30)));
        state = relayApi().getOk("/v1/relay");
        assertEquals("SERVING", state.path("code").asText(), state.toString());
        assertEquals(0, new BigDecimal("24").compareTo(state.path("pool").path("limits").path("cuda.device")
                .decimalValue()), state.toString());
        step("4. checkout.jwe installed: relay SERVING, pool %s", state.path("pool").path("limits"));

        // 5. Three nodes' agents (the example's shaded jar, one process each) lease 8 GPUs each.
        List<ChildProcess> agents = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            agents.add(startAgent("gpu-node-" + i));
        }
        for (ChildProcess agent : agents) {
            Await.until(() -> agent.output().contains(" VALID RELAY"), Duration.ofSeconds(90),
                    agent.name() + " to hold its lease");
        }
        JsonNode pool = relayApi().getOk("/v1/relay").path("pool");
        assertEquals(3, pool.path("nodes").asInt(), pool.toString());
        assertEquals(0, new BigDecimal("24").compareTo(pool.path("used").path("cuda.device").decimalValue()),
                pool.toString());
        step("5. three gpu-agent nodes hold leases of cuda.device=8: pool used %s, nodes %d", pool.path("used"),
                pool.path("nodes").asInt());

        // 6. A fourth node is refused, and told why.
        AgentRun refused = AgentRun.of(agentEnv("gpu-node-4"), Clock.systemUTC(), "validate");
        assertEquals(ExitCodes.POOL_EXHAUSTED, refused.code(), refused.toString());
        assertTrue(refused.out().contains("Not enough cuda.device: requested 8, available 0 of 24"),
                refused.toString());
        step("6. fourth node refused, exit %d: %s", refused.code(), refused.out().lines()
                .filter(l -> l.contains("Not enough")).findFirst().orElse("?").strip());

        // 7. Node 3 dies (SIGKILL: no release); its lease is reaped when its lease time is over.
        agents.get(2).kill();
        long killedAt = System.nanoTime();
        JsonNode dead = leases().get("gpu-node-3");
        String deadLease = dead.path("leaseId").asText();
        Instant deadUntil = Instant.parse(dead.path("leaseUntil").asText());
        Await.until(() -> !leases().containsKey("gpu-node-3"), LEASE_TTL.plusSeconds(30),
                "the dead node's lease to be reaped");
        long reapedMs = (System.nanoTime() - killedAt) / 1_000_000;
        assertFalse(Instant.now().isBefore(deadUntil), "reaped before its lease ended (" + deadUntil + ")");
        AgentRun fourth = AgentRun.of(agentEnv("gpu-node-4"), Clock.systemUTC(), "validate");
        assertEquals(ExitCodes.USABLE, fourth.code(), fourth.toString());
        assertEquals("cuda.device=8", fourth.field("leased"), fourth.toString());
        step("7. gpu-node-3 SIGKILLed; its lease %s reaped %d ms later (lease time %d s); gpu-node-4 then leased %s",
                deadLease, reapedMs, LEASE_TTL.toSeconds(), fourth.field("leased"));

        // 8. The relay is SIGKILLed in the middle of a stream of leases and releases, and restarted.
        Map<String, Answered> answeredLive = new ConcurrentHashMap<>();
        Set<String> answeredReleases = ConcurrentHashMap.newKeySet();
        Set<String> releaseInFlight = ConcurrentHashMap.newKeySet();
        AtomicInteger answers = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService stream = Executors.newSingleThreadExecutor();
        stream.submit(() -> {
            ApiClient nodes = relayApi();
            for (int i = 0; !stop.get(); i++) {
                String node = "burst-" + i;
                try {
                    Answer granted = nodes.post("/v1/leases", Map.of("fingerprint", node, "nonce", "n" + i,
                            "quantities", Map.of("cuda.shares", 0.5)), null);
                    if (granted.status() != 201) {
                        continue;
                    }
                    String id = granted.body().path("leaseId").asText();
                    answeredLive.put(id, new Answered(id, node, Instant.parse(granted.body().path("leaseUntil")
                            .asText())));
                    answers.incrementAndGet();
                    releaseInFlight.add(id);
                    if (nodes.delete("/v1/leases/" + id + "?fingerprint=" + node).status() == 204) {
                        answeredLive.remove(id);
                        answeredReleases.add(id);
                        releaseInFlight.remove(id);
                        answers.incrementAndGet();
                    }
                } catch (UncheckedIOException relayGone) {
                    // killed: this request has no answer, so nothing is expected of it
                }
            }
            return null;
        });
        Await.until(() -> answers.get() >= 40, Duration.ofSeconds(60), "40 answers of the stream");
        Map<String, JsonNode> beforeKill = leases();
        relay.kill();
        Instant killed = Instant.now();
        int answeredBeforeKill = answers.get();
        stop.set(true);
        stream.shutdown();
        assertTrue(stream.awaitTermination(60, TimeUnit.SECONDS));
        long restartStart = System.nanoTime();
        relay = startRelay(relayEnv, "relay-restarted.log");
        relay.awaitOk(relayUrl.resolve("/q/health/ready"), deadline(Duration.ofSeconds(120)));
        Instant restarted = Instant.now();
        long restartMs = (System.nanoTime() - restartStart) / 1_000_000;
        Map<String, JsonNode> after = leases();
        Map<String, String> afterById = new HashMap<>();
        after.values().forEach(l -> afterById.put(l.path("leaseId").asText(), l.path("leaseUntil").asText()));
        int checked = 0;
        for (Answered a : answeredLive.values()) {
            if (!releaseInFlight.contains(a.id()) && a.until().isAfter(restarted)) {
                assertTrue(afterById.containsKey(a.id()), "answered lease " + a.id() + " lost in the crash");
                assertFalse(Instant.parse(afterById.get(a.id())).isBefore(a.until()), "shorter than answered");
                checked++;
            }
        }
        for (String released : answeredReleases) {
            assertFalse(afterById.containsKey(released), "answered release of " + released + " lost in the crash");
        }
        for (String node : List.of("gpu-node-1", "gpu-node-2")) {
            JsonNode held = beforeKill.get(node);
            if (Instant.parse(held.path("leaseUntil").asText()).isAfter(restarted)) {
                assertEquals(held.path("leaseId").asText(), after.get(node).path("leaseId").asText(),
                        node + "'s lease after the restart");
                checked++;
            }
        }
        assertTrue(checked > 0, "no answered lease was still running after the restart (" + restartMs
                + " ms): raise LEASE_TTL");
        Set<String> granted = new HashSet<>();
        for (String line : Files.readAllLines(data.resolve("usage.log"))) {
            JsonNode record = ApiClient.JSON.readTree(line);
            if ("grant".equals(record.path("type").asText())) {
                granted.add(record.path("lease").asText());
            }
        }
        for (String id : answeredReleases) {
            assertTrue(granted.contains(id), "the usage log lacks answered lease " + id);
        }
        answeredLive.keySet().forEach(id -> assertTrue(granted.contains(id), "the usage log lacks lease " + id));
        // The agents' held leases carry them through; their heartbeats reach the restarted relay with the same ids.
        for (String node : List.of("gpu-node-1", "gpu-node-2")) {
            Await.until(() -> {
                JsonNode l = leases().get(node);
                return l != null && !Instant.parse(l.path("leaseUntil").asText())
                        .isBefore(restarted.plus(LEASE_TTL).minusSeconds(1));
            }, LEASE_TTL, node + " to heartbeat on the restarted relay");
        }
        step("8. relay SIGKILLed at %s after %d answers of a lease/release stream (%d leases, %d releases answered);"
                + " restarted and ready in %d ms: %d answered leases still running, every answered release gone,"
                + " %d grants in the usage log, the agents' heartbeats continue", killed, answeredBeforeKill,
                answeredLive.size() + answeredReleases.size(), answeredReleases.size(), restartMs, checked,
                granted.size());

        // 9. The site exports a usage report with the jar's report command (beside the running relay).
        Path reportFile = dir.resolve("report-1.jws");
        runReportCommand(reportFile);
        String reportText = Files.readString(reportFile).strip();
        UsageReport report = read(reportText);
        assertEquals(1, report.sequence());
        BigDecimal gpuSeconds = report.totals().get("cuda.device");
        assertTrue(gpuSeconds.compareTo(new BigDecimal(24 * 5)) > 0, "GPU-seconds " + gpuSeconds);
        assertTrue(report.peak().get("nodes").compareTo(new BigDecimal("3")) >= 0, report.peak().toString());
        step("9. license-relay report: report %d [%s, %s) totals %s, peak %s", report.sequence(), report.from(),
                report.to(), report.totals(), report.peak());

        // 10. The vendor hands it to the issuer with licensectl.
        Cli.Run submitted = cli.ok("", "usage-reports", "submit", reportFile.toString());
        assertTrue(submitted.out().contains("Accepted report 1"), submitted.toString());
        step("10. licensectl usage-reports submit: %s", submitted.out().strip());

        // The relay folds what report 1 covers into a signed checkpoint (next tick); reports 2 and 3 below are made
        // from the compacted log and the issuer's chain checks accept them.
        Await.until(() -> firstLogLine().contains("\"type\":\"checkpoint\""), Duration.ofSeconds(30),
                "the relay to compact its usage log after report 1");

        // 11. The issuer's usage view shows the report's figures.
        JsonNode usage = issuer.getOk("/v1/licenses/" + licenseId + "/usage");
        Map<String, BigDecimal> shown = new HashMap<>();
        Map<String, String> limits = new HashMap<>();
        usage.path("quantities").forEach(q -> {
            shown.put(q.path("quantity").asText(), new BigDecimal(q.path("quantitySeconds").asText()));
            limits.put(q.path("quantity").asText(), q.path("limit").asText());
        });
        for (Map.Entry<String, BigDecimal> total : report.totals().entrySet()) {
            assertEquals(0, total.getValue().compareTo(shown.get(total.getKey())), total.getKey() + ": " + usage);
        }
        Cli.Run table = cli.ok("", "licenses", "usage", licenseId);
        assertTrue(table.out().contains("cuda.device"), table.toString());
        step("11. GET /v1/licenses/%s/usage: quantity-seconds %s against limits %s", licenseId, shown, limits);

        // 12. An operator signed in to the back office sees the report, the relay's chain and the issuer's figures.
        String backOffice = system.backOffice().url().toString();
        try (Chromium browser = Chromium.signIn(backOffice, DemoUser.OPERATOR, "/licenses/" + licenseId)) {
            String page = assertLicensePage(browser, licenseId, List.of(report));
            browser.assertAccessible("license page with usage");
            browser.scrollTo("#usage-h");
            Path shot = browser.screenshot("relay-story-usage-report-1");
            step("12. back office, license page as operator (Keycloak sign-in, Chromium): %s; %s", page,
                    shot.getFileName());

            // 13. What the issuer refuses: a forged report, a replay, one that skips a report, one with a gap.
            String path = "/v1/licenses/" + licenseId + "/usage-reports";
            String[] parts = reportText.split("\\.");
            char[] sig = parts[2].toCharArray();
            sig[sig.length / 2] = sig[sig.length / 2] == 'A' ? 'B' : 'A';
            String forged = parts[0] + "." + parts[1] + "." + new String(sig);
            assertProblem(issuer.postText(path, "application/jwt", forged), 422, "usage-report-signature-invalid");
            assertProblem(issuer.postText(path, "application/jwt", reportText), 409, "usage-report-replayed");
            Path second = dir.resolve("report-2.jws");
            Path third = dir.resolve("report-3.jws");
            Thread.sleep(1100); // each report covers at least a second
            runReportCommand(second);
            Thread.sleep(1100);
            runReportCommand(third);
            assertProblem(issuer.postText(path, "application/jwt", Files.readString(third).strip()), 409,
                    "usage-report-out-of-sequence");
            // Whoever holds the relay key could sign a report that skips a period: the chain still refuses it.
            String relayKeyJson = Files.readString(data.resolve("relay-key.jwk"));
            SigningKeys relayKey = SigningKeys.fromJwkSet(request.relayKey().getKeyID(), relayKeyJson);
            UsageReport gap = new UsageReport(UUID.randomUUID(), Instant.now(), report.licenseId(), report.product(),
                    report.fingerprint(), report.checkoutId(), 2, UsageReport.hashOf(reportText),
                    report.to().plusSeconds(1), read(Files.readString(second).strip()).to(), Map.of(), Map.of(),
                    Map.of(), report.logSeq(), report.logHash());
            assertProblem(issuer.postText(path, "application/jwt", relayKey.sign(gap.toClaims(), UsageReport.TYP)),
                    409, "usage-report-gap");
            page = assertLicensePage(browser, licenseId, List.of(report));
            step("13. refused: forged (422 usage-report-signature-invalid), replayed (409 usage-report-replayed),"
                    + " report 3 before 2 (409 usage-report-out-of-sequence), a key-signed report leaving a gap (409"
                    + " usage-report-gap); the back office still lists only the accepted one: %s", page);

            cli.ok("", "usage-reports", "submit", second.toString());
            cli.ok("", "usage-reports", "submit", third.toString());
            JsonNode chains = issuer.getOk(path).path("chains");
            assertEquals(3, chains.get(0).path("lastSequence").asInt(), chains.toString());
            page = assertLicensePage(browser, licenseId, List.of(report, read(Files.readString(second).strip()),
                    read(Files.readString(third).strip())));
            browser.scrollTo("#usage-chains");
            shot = browser.screenshot("relay-story-usage-reports-1-to-3");
            step("14. reports 2 and 3 (made from the log the relay compacted after report 1: %s) accepted in order"
                    + " (chain at %d); the back office shows %s; %s", relayLogOf("compacted the usage log"),
                    chains.get(0).path("lastSequence").asInt(), page, shot.getFileName());
        }
    }

    private record Answered(String id, String node, Instant until) {
    }

    /** A licensectl in this JVM with its own config directory. */
    private record Cli(Map<String, String> env) {
        record Run(int code, String out, String err) {
            @Override
            public String toString() {
                return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
            }
        }

        Run ok(String stdin, String... args) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Licensectl.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), env);
            Run run = new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
            assertEquals(0, code, () -> String.join(" ", args) + "\n" + run);
            return run;
        }
    }

    /**
     * Reloads the license page (signed in) and checks its usage section against the issuer: the reports received are
     * exactly {@code accepted} (sequence, relay machine, period, totals), the one chain stands at the last of them
     * (covered until its end, the next one numbered after it and starting there), and each quantity's table holds
     * the issuer's {@code GET .../usage} days (day, average in use, quantity-seconds). Returns what it saw, briefly.
     */
    private String assertLicensePage(Chromium browser, String licenseId, List<UsageReport> accepted) {
        browser.open(browser.currentUrl());
        browser.await("#usage-reports");
        List<String> expected = new ArrayList<>();
        for (UsageReport r : accepted) {
            expected.add("#" + r.sequence() + " " + r.fingerprint() + " " + r.from() + " to " + r.to());
        }
        List<String> listed = new ArrayList<>();
        List<String> periods = new ArrayList<>();
        for (WebElement row : browser.all("#usage-reports tbody tr")) {
            List<WebElement> cells = row.findElements(By.tagName("td"));
            if (cells.size() < 5) {
                listed.add(row.getText());
                continue;
            }
            List<WebElement> period = cells.get(2).findElements(By.tagName("time"));
            String sequence = cells.get(0).getText().strip();
            listed.add(sequence + " " + cells.get(1).getText().strip() + " " + datetime(period.get(0)) + " to "
                    + datetime(period.get(1)));
            periods.add(sequence + " [" + datetime(period.get(0)) + ", " + datetime(period.get(1)) + ")");
            UsageReport r = accepted.stream().filter(a -> sequence.equals("#" + a.sequence())).findFirst()
                    .orElse(null);
            if (r != null) {
                Map<String, BigDecimal> totals = new HashMap<>();
                for (String pair : cells.get(4).getText().strip().split(",\\s*")) {
                    String[] kv = pair.split("=", 2);
                    totals.put(kv[0], new BigDecimal(kv[1]));
                }
                assertEquals(r.totals().keySet(), totals.keySet(), cells.get(4).getText());
                r.totals().forEach((q, v) -> assertEquals(0, v.compareTo(totals.get(q)), q + ": " + totals));
            }
        }
        Collections.sort(listed);
        Collections.sort(expected);
        assertEquals(expected, listed, "the reports the back office lists");

        UsageReport last = accepted.get(accepted.size() - 1);
        List<WebElement> chains = browser.all("#usage-chains tbody tr");
        assertEquals(1, chains.size(), browser.text("#usage-chains"));
        List<WebElement> chain = chains.get(0).findElements(By.tagName("td"));
        assertEquals(List.of(last.fingerprint(), "#" + last.sequence(), last.to().toString()),
                List.of(chain.get(0).getText().strip(), chain.get(1).getText().strip(),
                        datetime(chain.get(2).findElement(By.tagName("time")))), browser.text("#usage-chains"));
        assertTrue(chain.get(3).getText().strip().startsWith("#" + (last.sequence() + 1) + ", from"),
                chain.get(3).getText());
        assertEquals(last.to().toString(), datetime(chain.get(3).findElement(By.tagName("time"))));
        String chainShown = "the relay's chain at " + chain.get(1).getText().strip() + ", covered until " + last.to()
                + ", next #" + (last.sequence() + 1) + " from " + last.to();

        JsonNode usage = issuer.getOk("/v1/licenses/" + licenseId + "/usage");
        List<String> tables = new ArrayList<>();
        assertEquals(usage.path("quantities").size(), browser.all("table.usage-days").size(), usage.toString());
        for (JsonNode q : usage.path("quantities")) {
            String name = q.path("quantity").asText();
            WebElement img = browser.find("figure.usage-chart[data-quantity='" + name + "'] img");
            Object width = browser.js("return arguments[0].complete ? arguments[0].naturalWidth : 0", img);
            assertTrue(((Number) width).intValue() > 0, name + "'s chart renders");
            List<WebElement> rows = browser.all("table.usage-days[data-quantity='" + name + "'] tbody tr");
            assertEquals(q.path("days").size(), rows.size(), name + ": " + q);
            BigDecimal sum = BigDecimal.ZERO;
            for (int i = 0; i < rows.size(); i++) {
                JsonNode day = q.path("days").get(i);
                List<WebElement> cells = rows.get(i).findElements(By.tagName("td"));
                assertEquals(day.path("day").asText(), cells.get(0).getText().strip(), name + ": " + q);
                assertEquals(0, new BigDecimal(day.path("averageInUse").asText()).compareTo(
                        new BigDecimal(cells.get(1).getText().strip())), name + " average: " + q);
                assertEquals(day.path("quantitySeconds").asText(), cells.get(2).getText().strip(), name + ": " + q);
                sum = sum.add(new BigDecimal(cells.get(2).getText().strip()));
            }
            assertEquals(0, sum.compareTo(new BigDecimal(q.path("quantitySeconds").asText())), name + ": " + q);
            tables.add(name + " " + sum.toPlainString() + " over " + rows.size() + " day(s)");
        }
        Collections.sort(periods);
        return "reports " + periods + " of relay machine " + abbreviated(last.fingerprint()) + "; " + chainShown
                + "; usage tables (quantity-seconds) " + tables;
    }

    private static String abbreviated(String fingerprint) {
        return fingerprint.length() > 16 ? fingerprint.substring(0, 16) + "…" : fingerprint;
    }

    private static String datetime(WebElement time) {
        return Instant.parse(time.getDomAttribute("datetime")).toString();
    }

    private static void assertProblem(Answer answer, int status, String type) {
        assertEquals(status, answer.status(), answer.raw());
        assertEquals(PROBLEMS + type, answer.body().path("type").asText(), answer.raw());
    }

    private static UsageReport read(String jws) throws Exception {
        return UsageReport.fromClaims(JWTClaimsSet.parse(JWSObject.parse(jws).getPayload().toJSONObject()));
    }

    /** The relay's first log line saying {@code what} (from the restarted relay's log), trimmed to the message. */
    private String relayLogOf(String what) {
        try (var lines = Files.lines(logs.resolve("relay-restarted.log"))) {
            return lines.filter(l -> l.contains(what)).map(l -> l.substring(l.indexOf(what)))
                    .findFirst().orElse("(not logged)");
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private String firstLogLine() {
        try (var lines = Files.lines(data.resolve("usage.log"))) {
            return lines.findFirst().orElse("");
        } catch (IOException e) {
            return ""; // between the compaction's rename and the read: look again
        }
    }

    private ApiClient relayApi() {
        return ApiClient.bearer(relayUrl, ADMIN_TOKEN);
    }

    /** The relay's live leases by node fingerprint (admin API). */
    private Map<String, JsonNode> leases() {
        Map<String, JsonNode> byNode = new HashMap<>();
        relayApi().getOk("/v1/admin/leases").forEach(l -> byNode.put(l.path("fingerprint").asText(), l));
        return byNode;
    }

    private ChildProcess startRelay(Map<String, String> env, String log) {
        ChildProcess relay = ChildProcess.start("license-relay",
                ChildProcess.javaJar(PackagedService.jar("license-relay")), e -> {
                    e.putAll(env);
                    e.put("QUARKUS_HTTP_HOST", "127.0.0.1");
                    e.put("QUARKUS_HTTP_PORT", Integer.toString(port));
                }, logs.resolve(log));
        processes.add(relay);
        return relay;
    }

    /** {@code java -jar quarkus-run.jar report --data-dir DIR --out FILE}: the site's report command. */
    private void runReportCommand(Path out) {
        List<String> command = new ArrayList<>(ChildProcess.javaJar(PackagedService.jar("license-relay")));
        command.addAll(List.of("report", "--data-dir", data.toString(), "--out", out.toString()));
        ChildProcess report = ChildProcess.start("license-relay report", command, e -> { }, logs.resolve(
                "report.log"));
        processes.add(report);
        assertEquals(0, report.waitFor(Duration.ofSeconds(120)), report.output());
    }

    private Map<String, String> agentEnv(String node) {
        return Map.of(
                "GPU_AGENT_LICENSE_KEY_FILE", dir.resolve("license-key").toString(),
                "GPU_AGENT_PRODUCT", PRODUCT,
                "GPU_AGENT_PINNED_KEYS", dir.resolve("vendor-keys.json").toString(),
                "GPU_AGENT_CACHE_DIR", dir.resolve("cache-" + node).toString(),
                "GPU_AGENT_RELAY_URL", relayUrl.toString(),
                "GPU_AGENT_LEASE", "cuda.device=8",
                "GPU_AGENT_FINGERPRINT", "supplied:" + node);
    }

    /** {@code java -jar gpu-agent.jar run --check-interval 1s} on a node: a process that can be killed. */
    private ChildProcess startAgent(String node) {
        Path jar = LocalBackends.checkoutRoot().resolve("examples/gpu-agent/target/gpu-agent.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is missing: package examples/gpu-agent first");
        ChildProcess agent = ChildProcess.start(node, List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx64m", "-XX:+UseSerialGC", "-jar", jar.toString(), "run", "--check-interval", "1s"),
                e -> e.putAll(agentEnv(node)), logs.resolve(node + ".log"));
        processes.add(agent);
        return agent;
    }

    private static long deadline(Duration d) {
        return System.nanoTime() + d.toNanos();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
