package org.licensing.issuer.bench;

import static org.licensing.issuer.bench.BenchSupport.HTTP;
import static org.licensing.issuer.bench.BenchSupport.env;
import static org.licensing.issuer.bench.BenchSupport.pct;
import static org.licensing.issuer.bench.BenchSupport.throughput;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.licensing.testsupport.LocalBackends;
import org.licensing.testsupport.TestTokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * The events benchmark (not a test; license-issuer/bench/events.sh runs it): the packaged issuer over the harness'
 * DynamoDB and PostgreSQL ({@link BenchSupport}) with a real HTTP receiver on 127.0.0.2 (the one range it allows), a
 * webhook endpoint for every event type, and LICENSES (100) licenses changing concurrently, one client per license,
 * ROUNDS times suspend, reinstate, renew. It prints the events/s from the first change to the last delivery, the
 * delivery lag (receipt minus the event's own timestamp) p50/p99, the writes/s of the same changes with 1 and 8
 * writers, the cost of the outbox trigger's advisory lock (COMMITTED audit rows inserted straight over JDBC by 1 and
 * 8 connections, with an action that publishes and one that does not), and every throughput as a ratio to
 * GET /q/health/live measured in the same run. SMOKE=1: 5 licenses, 1 round, 2 s runs, exit 1 if an event was lost.
 */
public final class EventsBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RECEIVER_HOST = "127.0.0.2";

    private EventsBench() {
    }

    public static void main(String[] args) throws Exception {
        boolean smoke = "1".equals(System.getenv("SMOKE"));
        int licenses = env("LICENSES", smoke ? 5 : 100);
        int rounds = env("ROUNDS", smoke ? 1 : 5);
        int seconds = env("SECONDS", smoke ? 2 : 10);
        String poll = System.getenv().getOrDefault("POLL", "200ms");

        Map<String, Received> received = new ConcurrentHashMap<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(RECEIVER_HOST, 0), 200);
        receiver.setExecutor(Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "receiver");
            t.setDaemon(true); // a failed run must still end
            return t;
        }));
        receiver.createContext("/hooks", exchange -> {
            long at = System.currentTimeMillis();
            byte[] body = exchange.getRequestBody().readAllBytes();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            received.putIfAbsent(id, new Received(at, body));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        String hook = "http://" + RECEIVER_HOST + ":" + receiver.getAddress().getPort() + "/hooks";

        Map<String, String> config = Map.of("licensing.webhooks.allow-http", "true",
                "licensing.webhooks.allowed-ranges", RECEIVER_HOST + "/32", "licensing.webhooks.poll-every", poll,
                "licensing.webhooks.batch", Integer.toString(env("BATCH", 100)));
        try (BenchSupport.Issuer issuer = BenchSupport.start(Path.of(args[0]), Path.of(args[1]), config)) {
            String base = issuer.base();
            String token = TestTokens.shared().builder().subject("bench@vendor.example")
                    .roles("licenses:read", "licenses:write", "catalog:admin", "webhooks:admin")
                    .lifetime(Duration.ofHours(2)).sign();
            System.out.printf("issuer up on %s (pid %d); receiver %s; webhooks poll every %s%n", base, issuer.pid(),
                    hook, poll);
            String customer = send(base, token, "POST", "/v1/customers", Map.of("name", "Bench GPU Cloud"))
                    .path("id").asText();
            String product = "bench-" + UUID.randomUUID().toString().substring(0, 8);
            send(base, token, "POST", "/v1/products", Map.of("code", product, "name", "Bench"));
            String policy = send(base, token, "POST", "/v1/policies", Map.of("productCode", product, "name",
                    "Annual", "durationDays", 365, "graceDays", 14, "maxActivations", 3)).path("id").asText();
            String endpoint = send(base, token, "POST", "/v1/webhook-endpoints", Map.of("url", hook)).path("id")
                    .asText();
            List<String> ids = Collections.synchronizedList(new ArrayList<>());
            BenchSupport.timed(8, licenses, () -> ids.add(send(base, token, "POST", "/v1/licenses",
                    Map.of("customerId", customer, "policyId", policy)).path("licenseId").asText()));
            // the issues reach the endpoint (the catalog's events came before it existed)
            awaitDelivered(received, ids.size(), Duration.ofMinutes(2));
            received.clear();

            // 1. events/s from change to delivery, 100 licenses changing at once
            int changes = licenses * rounds * 3;
            long start = System.currentTimeMillis();
            ExecutorService writers = Executors.newFixedThreadPool(licenses);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (String id : ids) {
                    done.add(writers.submit(() -> {
                        for (int r = 0; r < rounds; r++) {
                            send(base, token, "POST", "/v1/licenses/" + id + "/suspend", Map.of());
                            send(base, token, "POST", "/v1/licenses/" + id + "/reinstate", Map.of());
                            send(base, token, "POST", "/v1/licenses/" + id + "/renew", Map.of("extendDays", 1));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                writers.shutdownNow();
            }
            long written = System.currentTimeMillis();
            boolean complete = awaitDelivered(received, changes, Duration.ofMinutes(smoke ? 2 : 10));
            long last = received.values().stream().mapToLong(Received::at).max().orElse(written);
            List<Long> lags = new ArrayList<>();
            for (Received r : received.values()) {
                Instant occurred = Instant.parse(JSON.readTree(r.body()).path("timestamp").asText());
                lags.add(Math.max(0, r.at() - occurred.toEpochMilli()) * 1_000);
            }
            Collections.sort(lags);
            double eventsPerSecond = received.size() / ((last - start) / 1000.0);
            double changesPerSecond = changes / ((written - start) / 1000.0);
            System.out.printf("%n%d licenses x %d rounds x (suspend, reinstate, renew) = %d changes, %d clients;"
                    + " load average %s%n", licenses, rounds, changes, licenses, loadAverage());
            System.out.printf("  changes written          %8.1f /s (%.1f s)%n", changesPerSecond,
                    (written - start) / 1000.0);
            System.out.printf("  events delivered         %8.1f /s (%d of %d, last %.1f s after the first change)%n",
                    eventsPerSecond, received.size(), changes, (last - start) / 1000.0);
            System.out.printf("  delivery lag             p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms%n", pct(lags, 50),
                    pct(lags, 99), pct(lags, 100));

            // 2. the same writes with 1 and 8 writers, the endpoint disabled (no deliveries competing)
            send(base, token, "PATCH", "/v1/webhook-endpoints/" + endpoint, Map.of("enabled", false));
            int many = Math.min(8, ids.size());
            double one = throughput(1, seconds, renewals(base, token, ids, 1));
            double eight = throughput(many, seconds, renewals(base, token, ids, many));
            // 3. the trigger's advisory lock: COMMITTED audit rows straight over JDBC, publishing or not
            double lockOne = inserts(1, seconds, "CUSTOMER_CREATED");
            double lockEight = inserts(8, seconds, "CUSTOMER_CREATED");
            double noLockOne = inserts(1, seconds, "WEBHOOK_ENDPOINT_UPDATED");
            double noLockEight = inserts(8, seconds, "WEBHOOK_ENDPOINT_UPDATED");
            double live = throughput(8, seconds, () -> get(base + "/q/health/live"));

            System.out.printf("%nwrites (renew; each writer its own licenses) and the outbox's advisory lock, %d s"
                    + " each; load average %s%n", seconds, loadAverage());
            System.out.printf("  renew, 1 writer           %8.1f /s%n", one);
            System.out.printf("  renew, %d writers          %8.1f /s (x%.2f)%n", many, eight, eight / one);
            System.out.printf("  audit insert publishing (takes the lock), 1 / 8 connections   %8.1f /s %8.1f /s"
                    + " (x%.2f)%n", lockOne, lockEight, lockEight / lockOne);
            System.out.printf("  audit insert not publishing (no lock),    1 / 8 connections   %8.1f /s %8.1f /s"
                    + " (x%.2f)%n", noLockOne, noLockEight, noLockEight / noLockOne);
            System.out.printf("  GET /q/health/live, 8 clients %8.1f /s%n", live);
            System.out.printf("%nratios to /q/health/live: events delivered %.4f, changes written %.4f,"
                    + " renew (%d writers) %.4f%n", eventsPerSecond / live, changesPerSecond / live, many,
                    eight / live);
            if (!complete) {
                System.out.printf("LOST: %d of %d events not delivered%n", changes - received.size(), changes);
                System.exit(1);
            }
        } finally {
            receiver.stop(0);
        }
    }

    private record Received(long at, byte[] body) {
    }

    /** The machine's load (the figures mean little beside other jobs' load). */
    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static boolean awaitDelivered(Map<String, Received> received, int expected, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (received.size() < expected) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /**
     * Renewals by {@code writers} threads, each over its own share of the licenses: two writers renewing one license
     * at once would make one of them a 409 (stale version), not a write.
     */
    private static BenchSupport.Call renewals(String base, String token, List<String> ids, int writers) {
        AtomicInteger threads = new AtomicInteger();
        ThreadLocal<int[]> mine = ThreadLocal.withInitial(() -> new int[] {threads.getAndIncrement(), 0});
        return () -> {
            int[] state = mine.get();
            int index = state[0] + writers * (state[1]++ % Math.max(1, ids.size() / writers));
            send(base, token, "POST", "/v1/licenses/" + ids.get(index) + "/renew", Map.of("extendDays", 1));
        };
    }

    private static JsonNode send(String base, String token, String method, String path, Object body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    }

    private static void get(String url) throws IOException, InterruptedException {
        HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding());
    }

    /** COMMITTED audit rows of {@code action} per second, by {@code connections} at once, each its own commit. */
    private static double inserts(int connections, int seconds, String action) throws Exception {
        String target = action.startsWith("WEBHOOK_") ? "WEBHOOK_ENDPOINT" : "CUSTOMER";
        ThreadLocal<PreparedStatement> statements = new ThreadLocal<>();
        Set<Connection> opened = ConcurrentHashMap.newKeySet();
        try {
            return throughput(connections, seconds, () -> {
                PreparedStatement ps = statements.get();
                if (ps == null) {
                    Connection c = DriverManager.getConnection(LocalBackends.shared().jdbcUrl(),
                            LocalBackends.DB_USER, LocalBackends.DB_PASSWORD);
                    opened.add(c);
                    ps = c.prepareStatement("INSERT INTO audit_events (id, occurred_at, actor, action, target_type,"
                            + " target_id, after_state, outcome, completed_at) VALUES (?, ?, 'bench', ?, ?, ?,"
                            + " '{}', 'COMMITTED', ?)");
                    statements.set(ps);
                }
                OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                ps.setObject(1, UUID.randomUUID());
                ps.setObject(2, now);
                ps.setString(3, action);
                ps.setString(4, target);
                ps.setString(5, UUID.randomUUID().toString());
                ps.setObject(6, now);
                ps.executeUpdate();
            });
        } finally {
            for (Connection c : opened) {
                c.close();
            }
        }
    }
}
