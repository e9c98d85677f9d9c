package org.licensing.relay.bench;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.licensing.relay.TestVendor;
import org.licensing.relay.crash.RelayProcess;

/**
 * The relay benchmark (bench/run.sh runs it): the packaged relay on a fresh data directory with a test checkout,
 * driven by {@code THREADS} closed-loop clients for {@code DURATION} seconds per phase: {@code GET /v1/ping} (the
 * trivial baseline through the same HTTP stack), {@code POST /v1/leases} (new nodes: pool check, a signed log
 * record fsynced, a signed lease), {@code PUT /v1/leases/{id}} (heartbeats on those leases). Prints requests/s, p50
 * and p99 per phase and the ratio to ping.
 */
public final class RelayBench {

    record Phase(String name, int requests, int failures, double seconds, long p50us, long p99us) {
        double perSecond() {
            return requests / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(knob("THREADS", "8"));
        int seconds = Integer.parseInt(knob("DURATION", "10"));
        int warmup = Integer.parseInt(knob("WARMUP", "3"));
        Path work = Path.of(knob("WORK", "target/bench")).toAbsolutePath();
        if (Files.exists(work)) {
            try (Stream<Path> s = Files.walk(work)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(work);
        TestVendor vendor = new TestVendor();
        Files.writeString(work.resolve("license-key"), vendor.licenseKey.text());
        Files.writeString(work.resolve("vendor-keys.json"), vendor.publicJwks());
        Path data = work.resolve("data");
        Map<String, String> env = new HashMap<>();
        env.put("LICENSING_RELAY_DATA_DIR", data.toString());
        env.put("LICENSING_RELAY_LICENSE_KEY_FILE", work.resolve("license-key").toString());
        env.put("LICENSING_RELAY_PRODUCT", TestVendor.PRODUCT);
        env.put("LICENSING_RELAY_FINGERPRINT_STRATEGY", "supplied");
        env.put("LICENSING_RELAY_FINGERPRINT_VALUE", "host-" + "b".repeat(64));
        env.put("LICENSING_RELAY_VENDOR_KEYS_FILE", work.resolve("vendor-keys.json").toString());
        env.put("LICENSING_RELAY_TICK_INTERVAL", "PT1S");
        env.put("LICENSING_RELAY_LEASE_TTL", "PT1H");
        try (RelayProcess relay = new RelayProcess(env, work.resolve("relay.log")).start()) {
            Instant now = Instant.now();
            String jwe = vendor.relayCheckout(Files.readString(data.resolve("checkout-request.json")),
                    vendor.license(Map.of("cuda.device", new BigDecimal("100000000"), "cuda.shares",
                            new BigDecimal("100000000.5")), 0, now.minus(Duration.ofDays(1)),
                            now.plus(Duration.ofDays(300))), 1, now, now.plus(Duration.ofDays(30)));
            Files.writeString(data.resolve("checkout.jwe"), jwe);
            relay.await("/q/health/ready", Duration.ofSeconds(30));
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            ConcurrentLinkedQueue<String[]> leases = new ConcurrentLinkedQueue<>();
            AtomicInteger nodes = new AtomicInteger();
            IntFunction<HttpRequest> ping = i -> HttpRequest.newBuilder(relay.url("/v1/ping")).GET().build();
            IntFunction<HttpRequest> lease = i -> {
                String node = "node-" + nodes.incrementAndGet();
                return HttpRequest.newBuilder(relay.url("/v1/leases")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"fingerprint\":\"" + node + "\",\"nonce\":\"n"
                                + i + "\",\"quantities\":{\"cuda.device\":1,\"cuda.shares\":0.5}}")).build();
            };
            List<String[]> held = new ArrayList<>();
            IntFunction<HttpRequest> heartbeat = i -> {
                String[] l = held.get(Math.floorMod(i * 31 + (int) Thread.currentThread().getId(), held.size()));
                return HttpRequest.newBuilder(relay.url("/v1/leases/" + l[0])).header("Content-Type",
                        "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"fingerprint\":\"" + l[1]
                                + "\",\"nonce\":\"h" + i + "\"}")).build();
            };
            run(http, "warmup-ping", ping, threads, warmup, null);
            run(http, "warmup-lease", lease, threads, warmup, null);
            Phase p = run(http, "ping", ping, threads, seconds, null);
            Phase l = run(http, "lease", lease, threads, seconds, leases);
            held.addAll(leases);
            Phase h = run(http, "heartbeat", heartbeat, threads, seconds, null);
            Phase p2 = run(http, "ping-again", ping, threads, seconds, null);
            double pingRate = (p.perSecond() + p2.perSecond()) / 2;
            System.out.printf("RELAY BENCH threads=%d duration=%ds (same JVM settings, same machine, same run)%n",
                    threads, seconds);
            for (Phase x : List.of(p, l, h, p2)) {
                System.out.printf("  %-11s %8.0f req/s  p50 %6d us  p99 %6d us  failures %d%n", x.name(),
                        x.perSecond(), x.p50us(), x.p99us(), x.failures());
            }
            System.out.printf("  leases/s = %.0f (%.3f of ping)   heartbeats/s = %.0f (%.3f of ping)%n",
                    l.perSecond(), l.perSecond() / pingRate, h.perSecond(), h.perSecond() / pingRate);
            long logBytes = Files.size(data.resolve("usage.log"));
            System.out.printf("  usage log: %d bytes for %d leases + %d heartbeats (%.0f bytes/record)%n", logBytes,
                    l.requests(), h.requests(), (double) logBytes / Math.max(1, l.requests() + h.requests()));
            if (l.failures() + h.failures() + p.failures() > 0) {
                System.out.println("FAILURES: see " + work.resolve("relay.log"));
                System.exit(1);
            }
        }
    }

    /** A knob: the system property of that name (the build's smoke run sets them), else the environment variable. */
    private static String knob(String name, String fallback) {
        return System.getProperty(name, System.getenv().getOrDefault(name, fallback));
    }

    static Phase run(HttpClient http, String name, IntFunction<HttpRequest> request, int threads, int seconds,
            ConcurrentLinkedQueue<String[]> granted) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger failures = new AtomicInteger();
        List<Future<long[]>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                int i = 0;
                while (System.nanoTime() < end) {
                    HttpRequest r = request.apply(i++);
                    long t0 = System.nanoTime();
                    HttpResponse<String> res = http.send(r, HttpResponse.BodyHandlers.ofString());
                    long us = (System.nanoTime() - t0) / 1000;
                    if (res.statusCode() >= 300) {
                        failures.incrementAndGet();
                    } else if (granted != null) {
                        Map<String, Object> body = JSONObjectUtils.parse(res.body());
                        granted.add(new String[] {(String) body.get("leaseId"), (String) body.get("fingerprint")});
                    }
                    if (n == lat.length) {
                        lat = Arrays.copyOf(lat, n * 2);
                    }
                    lat[n++] = us;
                }
                return Arrays.copyOf(lat, n);
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<long[]> f : futures) {
            for (long v : f.get()) {
                all.add(v);
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        all.sort(null);
        long p50 = all.isEmpty() ? 0 : all.get(all.size() / 2);
        long p99 = all.isEmpty() ? 0 : all.get(Math.min(all.size() - 1, (int) (all.size() * 0.99)));
        return new Phase(name, all.size(), failures.get(), elapsed, p50, p99);
    }

    private RelayBench() {
    }

}
