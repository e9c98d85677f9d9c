package org.licensing.relay.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.licensing.core.crypto.JwsVerifier;
import org.licensing.relay.TestVendor;
import org.licensing.relay.ledger.LogRecord;
import org.licensing.relay.ledger.UsageLog;
import org.licensing.relay.site.RelayKey;
import org.licensing.core.usage.UsageReport;

/**
 * The packaged relay killed with SIGKILL while four clients lease, heartbeat and release: after a restart every
 * answered lease is live (with at least the end it was answered), every answered release is gone, the usage log
 * verifies and holds a record of each, and the report command of the same jar exports a report. Then the same
 * directory on another site, and with a changed log record, refuses to serve and says why.
 */
class RelayCrashIT {

    static final String ADMIN = "crash-it-admin-token-0123456789abcdef0123";
    static final String SITE = "host-" + "9".repeat(64);
    static final int CLIENTS = 4;
    static final int KILL_AFTER = 160;

    final Path work = Path.of("target", "relay-crash-it").toAbsolutePath();
    final Path data = work.resolve("data");
    final TestVendor vendor = new TestVendor();

    Map<String, String> env(String site) throws IOException {
        Files.writeString(work.resolve("license-key"), vendor.licenseKey.text());
        Files.writeString(work.resolve("vendor-keys.json"), vendor.publicJwks());
        Files.writeString(work.resolve("admin-token"), ADMIN);
        Map<String, String> env = new HashMap<>();
        env.put("LICENSING_RELAY_DATA_DIR", data.toString());
        env.put("LICENSING_RELAY_LICENSE_KEY_FILE", work.resolve("license-key").toString());
        env.put("LICENSING_RELAY_PRODUCT", TestVendor.PRODUCT);
        env.put("LICENSING_RELAY_FINGERPRINT_STRATEGY", "supplied");
        env.put("LICENSING_RELAY_FINGERPRINT_VALUE", site);
        env.put("LICENSING_RELAY_VENDOR_KEYS_FILE", work.resolve("vendor-keys.json").toString());
        env.put("LICENSING_RELAY_VENDOR_ISSUER", TestVendor.ISSUER);
        env.put("LICENSING_RELAY_ADMIN_TOKEN_FILE", work.resolve("admin-token").toString());
        env.put("LICENSING_RELAY_TICK_INTERVAL", "PT1S");
        // This test reads every answer back from the whole log and then changes a record in it; folding reported
        // records into a checkpoint (LogCompactionTest, AirGappedRelayStoryIT) would leave it nothing to read or change.
        env.put("LICENSING_RELAY_COMPACT_AFTER_REPORT", "false");
        return env;
    }

    record Answered(String id, String node, Instant until) {
    }

    static HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return RelayProcess.HTTP.send(b.timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.BodyPublisher json(Map<String, Object> m) {
        return HttpRequest.BodyPublishers.ofString(JSONObjectUtils.toJSONString(m));
    }

    @Test
    void sigkillMidStreamLosesNoAnsweredLeaseAndNoRecordedUsage() throws Exception {
        if (Files.exists(work)) {
            try (Stream<Path> s = Files.walk(work)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(work);
        Map<String, String> env = env(SITE);
        Map<String, Answered> live = new ConcurrentHashMap<>();
        Set<String> released = ConcurrentHashMap.newKeySet();
        // A release sent but not answered when the relay died may or may not have been recorded: either is right.
        Set<String> releaseInFlight = ConcurrentHashMap.newKeySet();
        AtomicInteger answers = new AtomicInteger();
        try (RelayProcess relay = new RelayProcess(env, work.resolve("relay.log")).start()) {
            // The operator's path: the request appears, the vendor answers, the file goes next to it.
            String request = Files.readString(data.resolve("checkout-request.json"));
            Instant now = Instant.now();
            String jwe = vendor.relayCheckout(request, vendor.license(Map.of("cuda.shares", new BigDecimal("100000"),
                    "cuda.device", new BigDecimal("100000")), 0, now.minus(Duration.ofDays(1)),
                    now.plus(Duration.ofDays(300))), 1, now, now.plus(Duration.ofDays(30)));
            Files.writeString(data.resolve("checkout.jwe"), jwe);
            relay.await("/q/health/ready", Duration.ofSeconds(30));

            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.submit(() -> {
                    int i = 0;
                    List<Answered> mine = new ArrayList<>();
                    while (!stop.get()) {
                        i++;
                        try {
                            if (i % 4 == 3 && !mine.isEmpty()) {
                                Answered a = mine.remove(0);
                                releaseInFlight.add(a.id());
                                HttpResponse<String> r = send(HttpRequest.newBuilder(relay.url(
                                        "/v1/leases/" + a.id() + "?fingerprint=" + a.node())).DELETE());
                                if (r.statusCode() == 204) {
                                    releaseInFlight.remove(a.id());
                                    live.remove(a.id());
                                    released.add(a.id());
                                    answers.incrementAndGet();
                                }
                            } else if (i % 4 == 2 && !mine.isEmpty()) {
                                Answered a = mine.get(mine.size() - 1);
                                HttpResponse<String> r = send(HttpRequest.newBuilder(relay.url("/v1/leases/" + a.id()))
                                        .header("Content-Type", "application/json")
                                        .PUT(json(Map.of("fingerprint", a.node(), "nonce", "h" + i))));
                                if (r.statusCode() == 200) {
                                    Instant until = Instant.parse((String) JSONObjectUtils.parse(r.body())
                                            .get("leaseUntil"));
                                    live.put(a.id(), new Answered(a.id(), a.node(), until));
                                    answers.incrementAndGet();
                                }
                            } else {
                                String node = "node-" + client + "-" + i;
                                HttpResponse<String> r = send(HttpRequest.newBuilder(relay.url("/v1/leases"))
                                        .header("Content-Type", "application/json")
                                        .POST(json(Map.of("fingerprint", node, "nonce", "n" + i,
                                                "quantities", Map.of("cuda.shares", 0.5, "cuda.device", 1)))));
                                if (r.statusCode() == 201) {
                                    Map<String, Object> body = JSONObjectUtils.parse(r.body());
                                    Answered a = new Answered((String) body.get("leaseId"), node,
                                            Instant.parse((String) body.get("leaseUntil")));
                                    live.put(a.id(), a);
                                    mine.add(a);
                                    answers.incrementAndGet();
                                }
                            }
                        } catch (Exception down) {
                            // the relay is gone: nothing answered, nothing recorded as answered
                        }
                    }
                    return null;
                });
            }
            while (answers.get() < KILL_AFTER) {
                Thread.sleep(5);
            }
            relay.kill();
            stop.set(true);
            clients.shutdown();
            assertTrue(clients.awaitTermination(60, TimeUnit.SECONDS));
        }
        assertTrue(live.size() > 20, "leases answered before the kill: " + live.size());

        try (RelayProcess relay = new RelayProcess(env, work.resolve("relay-restarted.log")).start()) {
            relay.await("/q/health/ready", Duration.ofSeconds(30));
            HttpResponse<String> r = send(HttpRequest.newBuilder(relay.url("/v1/admin/leases"))
                    .header("Authorization", "Bearer " + ADMIN));
            assertEquals(200, r.statusCode(), r.body());
            Map<String, Instant> after = new HashMap<>();
            for (Object o : JSONObjectUtils.parse("{\"l\":" + r.body() + "}").get("l") instanceof List<?> l ? l
                    : List.of()) {
                Map<?, ?> m = (Map<?, ?>) o;
                after.put((String) m.get("leaseId"), Instant.parse((String) m.get("leaseUntil")));
            }
            for (Answered a : live.values()) {
                if (releaseInFlight.contains(a.id())) {
                    continue;
                }
                assertTrue(after.containsKey(a.id()), "answered lease " + a.id() + " lost in the crash");
                assertTrue(!after.get(a.id()).isBefore(a.until()), "lease " + a.id() + " ends before it was answered");
            }
            for (String id : released) {
                assertTrue(!after.containsKey(id), "answered release of " + id + " lost in the crash");
            }

            // The usage log verifies and records every answer.
            RelayKey key = RelayKey.load(data);
            Set<String> granted = new HashSet<>();
            Set<String> releasedInLog = new HashSet<>();
            UsageLog.read(data, key, rec -> {
                if (rec.type() == LogRecord.Type.GRANT) {
                    granted.add(rec.text("lease"));
                } else if (rec.type() == LogRecord.Type.RELEASE) {
                    releasedInLog.add(rec.text("lease"));
                }
            });
            assertTrue(granted.containsAll(live.keySet()) && granted.containsAll(released));
            assertTrue(releasedInLog.containsAll(released));

            // A report over HTTP, then the report command of the same jar beside the running relay.
            Thread.sleep(1100);
            HttpResponse<String> report = send(HttpRequest.newBuilder(relay.url("/v1/admin/usage-report"))
                    .header("Authorization", "Bearer " + ADMIN));
            assertEquals(200, report.statusCode(), report.body());
            UsageReport first = UsageReport.fromClaims(JwsVerifier.verify(report.body(), key.publicJwkSet(),
                    UsageReport.TYP).claims());
            assertTrue(first.totals().get("cuda.device").signum() > 0);
            Thread.sleep(1100);
            Process cli = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", RelayProcess.jar().toString(), "report", "--data-dir", data.toString())
                    .redirectError(ProcessBuilder.Redirect.appendTo(work.resolve("report.err").toFile())).start();
            String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            assertEquals(0, cli.waitFor(), Files.readString(work.resolve("report.err")));
            UsageReport second = UsageReport.fromClaims(JwsVerifier.verify(out, key.publicJwkSet(), UsageReport.TYP)
                    .claims());
            assertEquals(2, second.sequence());
            assertEquals(UsageLog.sha256(report.body()), second.previousHash());
        }

        // The same directory on another site refuses, and says why.
        try (RelayProcess relay = new RelayProcess(env(SITE.replace('9', '8')), work.resolve("relay-moved.log"))
                .start()) {
            HttpResponse<String> h = send(HttpRequest.newBuilder(relay.url("/q/health/ready")));
            assertEquals(503, h.statusCode());
            assertTrue(h.body().contains("WRONG_SITE"), h.body());
        }
        // A changed record in the middle of the log: refused, naming the record.
        Path log = data.resolve(UsageLog.FILE);
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        int middle = lines.size() / 2;
        while (!lines.get(middle).contains("\"cuda.device\":\"1\"")) {
            middle++;
        }
        lines.set(middle, lines.get(middle).replace("\"cuda.device\":\"1\"", "\"cuda.device\":\"0\""));
        Files.writeString(log, String.join("\n", lines) + "\n");
        try (RelayProcess relay = new RelayProcess(env, work.resolve("relay-tampered.log")).start()) {
            HttpResponse<String> h = send(HttpRequest.newBuilder(relay.url("/q/health/ready")));
            assertEquals(503, h.statusCode());
            assertTrue(h.body().contains("DATA_TAMPERED"), h.body());
            HttpResponse<String> lease = send(HttpRequest.newBuilder(relay.url("/v1/leases"))
                    .header("Content-Type", "application/json")
                    .POST(json(new LinkedHashMap<>(Map.of("fingerprint", "n", "nonce", "n",
                            "quantities", Map.of("cuda.device", 1))))));
            assertEquals(503, lease.statusCode());
            assertTrue(lease.body().contains("DATA_TAMPERED"), lease.body());
        }
    }
}
