package org.licensing.examples.gpuagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensing.core.checkout.CheckoutDocument;
import org.licensing.core.checkout.CheckoutFiles;
import org.licensing.core.checkout.CheckoutRequest;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.document.LicenseDocument;
import org.licensing.core.key.LicenseKey;
import org.licensing.testsupport.process.ChildProcess;
import org.licensing.testsupport.process.PackagedService;

/**
 * The agent against the real packaged license-relay (a child JVM): the relay starts on an empty data directory,
 * the test plays the vendor (a relay checkout made from the relay's own request with license-core's
 * {@link CheckoutFiles}, installed over the admin API), then three agents in relay mode lease 8 GPUs each from a
 * pool of 24 and keep their leases; a fourth is refused with the pool-exhausted exit code and a message naming
 * {@code cuda.device}; when one agent stops it gives its lease back and the fourth gets it.
 */
class GpuAgentRelayIT {

    static final String SITE = "k8s-" + "c".repeat(64);
    static final String ADMIN_TOKEN = "gpu-agent-it-admin-token-0123456789abcdef";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    final SigningKeys vendor = SigningKeys.generate("vendor-it-1");
    final LicenseKey key = LicenseKey.generate(UUID.randomUUID());
    final ExecutorService agents = Executors.newCachedThreadPool();
    final List<GpuAgent> running = new ArrayList<>();
    ChildProcess relay;
    URI url;

    record Run(int code, String out) {
    }

    @BeforeEach
    void startRelayWithACheckout() throws Exception {
        Files.writeString(dir.resolve("license-key"), key.text());
        Files.writeString(dir.resolve("vendor-keys.json"), vendor.publicJwkSetJson());
        Map<String, String> env = Map.of(
                "LICENSING_RELAY_DATA_DIR", dir.resolve("relay-data").toString(),
                "LICENSING_RELAY_LICENSE_KEY_FILE", dir.resolve("license-key").toString(),
                "LICENSING_RELAY_PRODUCT", AgentOptions.DEFAULT_PRODUCT,
                "LICENSING_RELAY_FINGERPRINT_STRATEGY", "supplied",
                "LICENSING_RELAY_FINGERPRINT_VALUE", SITE,
                "LICENSING_RELAY_VENDOR_KEYS_FILE", dir.resolve("vendor-keys.json").toString(),
                "LICENSING_RELAY_ADMIN_TOKEN", ADMIN_TOKEN);
        // ChildProcess rather than PackagedService.start: that waits for readiness, which a relay reaches only once
        // a checkout is installed (below).
        relay = ChildProcess.start("license-relay", ChildProcess.javaJar(PackagedService.jar("license-relay")), e -> {
            e.putAll(env);
            e.put("QUARKUS_HTTP_HOST", "127.0.0.1");
            e.put("QUARKUS_HTTP_PORT", "0");
        }, Path.of("target", "gpu-agent-relay-it.log"));
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        url = URI.create("http://127.0.0.1:" + relay.awaitListeningPort(deadline));
        relay.awaitOk(url.resolve("/q/health/live"), deadline);

        HttpResponse<String> request = HTTP.send(admin("/v1/admin/checkout-request").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, request.statusCode(), request.body());
        HttpResponse<String> installed = HTTP.send(admin("/v1/admin/checkout")
                .header("Content-Type", "application/jwt")
                .PUT(HttpRequest.BodyPublishers.ofString(relayCheckout(request.body()))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, installed.statusCode(), installed.body());
        relay.awaitOk(url.resolve("/q/health/ready"), deadline);
    }

    /** The vendor's answer to the relay's request: 24 GPUs, 8 nodes, for 30 days, certifying the relay's key. */
    String relayCheckout(String requestJson) {
        CheckoutRequest request = CheckoutRequest.parse(requestJson);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        LicenseDocument license = new LicenseDocument(key.licenseId().toString(), "cust-1", "Acme GPU",
                AgentOptions.DEFAULT_PRODUCT, Map.of("mig", true), Map.of("cuda.device", new BigDecimal("24"),
                        "cuda.shares", new BigDecimal("12.5"), "nodes", new BigDecimal("8")), 8,
                now.minus(Duration.ofDays(1)), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), 7);
        CheckoutDocument doc = new CheckoutDocument(UUID.randomUUID(), license, request.fingerprint(), 1,
                now.minusSeconds(60), now.plus(Duration.ofDays(30)), request.relayKey());
        return CheckoutFiles.encrypt(CheckoutFiles.sign(doc, "https://issuer.licensing.test", vendor),
                key.licenseId(), key.secretHash(), request.fingerprint());
    }

    HttpRequest.Builder admin(String path) {
        return HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    @AfterEach
    void stop() throws Exception {
        running.forEach(GpuAgent::stop);
        agents.shutdown();
        agents.awaitTermination(30, TimeUnit.SECONDS);
        if (relay != null) {
            relay.close();
        }
    }

    Map<String, String> agentEnv(String node) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("GPU_AGENT_LICENSE_KEY", key.text());
        env.put("GPU_AGENT_PINNED_KEYS", dir.resolve("vendor-keys.json").toString());
        env.put("GPU_AGENT_CACHE_DIR", dir.resolve("cache-" + node).toString());
        env.put("GPU_AGENT_RELAY_URL", url.toString());
        env.put("GPU_AGENT_LEASE", "cuda.device=8");
        env.put("GPU_AGENT_FINGERPRINT", "supplied:" + node);
        return env;
    }

    /** An agent running {@code run} in the background (as on a node), and its output so far. */
    record Background(GpuAgent agent, ByteArrayOutputStream out, Future<Integer> exit) {
        String output() {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    Background startAgent(String node) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        GpuAgent agent = new GpuAgent(agentEnv(node), print, print, Clock.systemUTC());
        running.add(agent);
        Future<Integer> exit = agents.submit(() -> agent.run("run", "--check-interval", "1s"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!out.toString(StandardCharsets.UTF_8).contains(" VALID RELAY") && System.nanoTime() < deadline
                && !exit.isDone()) {
            Thread.sleep(100); // waiting for its first lease, not a timed assertion
        }
        Background b = new Background(agent, out, exit);
        assertTrue(b.output().contains(" VALID RELAY"), node + " leased:\n" + b.output());
        return b;
    }

    Run once(String node, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int code = new GpuAgent(agentEnv(node), print, print, Clock.systemUTC()).run(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void threeAgentsLeaseTheSitesGpusAndTheFourthIsRefusedUntilOneStops() throws Exception {
        Background first = startAgent("gpu-node-1");
        startAgent("gpu-node-2");
        startAgent("gpu-node-3");
        String pool = HTTP.send(HttpRequest.newBuilder(url.resolve("/v1/relay")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(pool.replace(" ", "").contains("\"nodes\":3"), pool);

        Run fourth = once("gpu-node-4", "validate");
        assertEquals(ExitCodes.POOL_EXHAUSTED, fourth.code(), fourth.out());
        assertTrue(fourth.out().contains("code:        POOL_EXHAUSTED (not usable)"), fourth.out());
        assertTrue(fourth.out().contains("exhausted:   cuda.device"), fourth.out());
        assertTrue(fourth.out().contains("Not enough cuda.device: requested 8, available 0 of 24"), fourth.out());

        first.agent().stop(); // the agent closes its client: the lease goes back to the pool
        assertEquals(ExitCodes.USABLE, first.exit().get(30, TimeUnit.SECONDS), first.output());
        Run now = once("gpu-node-4", "validate");
        assertEquals(ExitCodes.USABLE, now.code(), now.out());
        assertTrue(now.out().contains("leased:      cuda.device=8"), now.out());
        assertTrue(now.out().contains("source:      RELAY"), now.out());
    }
}
