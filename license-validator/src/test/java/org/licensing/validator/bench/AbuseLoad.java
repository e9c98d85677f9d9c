package org.licensing.validator.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import org.licensing.core.key.LicenseKey;

/**
 * Benchmark (no JUnit, no timing assertion): one abusive client against the validator while 10 rightful clients
 * validate, over loopback. Each rightful client validates its own license at {@code perClient} requests/s (open
 * loop: requests go out on schedule whether or not earlier ones were answered); the abusive client sends 10x their
 * total, each request a key with one of the rightful licenses' ids and a wrong secret (the lockout attempt of issue
 * 26). Clients are told apart by {@code X-Forwarded-For}, as the load balancer in front of the validator does
 * (the validator is started with {@code trusted-proxies=127.0.0.1} and its default limits).
 *
 * <p>First the rightful clients alone, then with the abuser, the same duration each; prints for both the rightful
 * clients' success rate (200 with code VALID) and latency percentiles, and what the abuser got.
 * Usage: {@code AbuseLoad <base-url> <keys-file> <product> <seconds> <rightful-requests-per-second-each>}.
 */
public final class AbuseLoad {

    private static final int RIGHTFUL = 10;
    private static final int ABUSE_FACTOR = 10;
    /** Bounds requests in flight per client, so a stalled server cannot make the driver pile up memory. */
    private static final int MAX_IN_FLIGHT = 256;

    private AbuseLoad() {
    }

    /** What one client saw. */
    static final class Tally {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong dropped = new AtomicLong(); // not sent: too many in flight
        final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<Long> latenciesNanos = new ConcurrentLinkedQueue<>();
        final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

        void count(String outcome) {
            outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
        }

        long of(String outcome) {
            AtomicLong n = outcomes.get(outcome);
            return n == null ? 0 : n.get();
        }
    }

    public static void main(String[] args) throws Exception {
        URI validate = URI.create(args[0] + "/v1/validate");
        List<String> keys = Files.readAllLines(Path.of(args[1])).stream().filter(l -> !l.isBlank()).toList();
        String product = args[2];
        Duration duration = Duration.ofSeconds(Long.parseLong(args[3]));
        double perClient = Double.parseDouble(args[4]);
        if (keys.size() < RIGHTFUL) {
            throw new IllegalArgumentException("need " + RIGHTFUL + " license keys, got " + keys.size());
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        // Warm-up (not counted): each rightful license read once and the JIT past its first requests.
        for (int i = 0; i < 3; i++) {
            for (int c = 0; c < RIGHTFUL; c++) {
                http.send(request(validate, "198.51.100." + (10 + c), keys.get(c), product),
                        HttpResponse.BodyHandlers.discarding());
            }
        }
        List<Tally> alone = run(http, validate, keys, product, duration, perClient, false).subList(0, RIGHTFUL);
        List<Tally> attacked = run(http, validate, keys, product, duration, perClient, true);
        Tally abuser = attacked.get(RIGHTFUL);

        double rightfulRate = RIGHTFUL * perClient;
        System.out.printf("%nvalidator under abuse: %d rightful clients at %.0f req/s each (%.0f req/s), one abusive"
                + " client at %.0f req/s (%dx), %d s per phase%n", RIGHTFUL, perClient, rightfulRate,
                rightfulRate * ABUSE_FACTOR, ABUSE_FACTOR, duration.toSeconds());
        print("rightful, alone      ", alone.subList(0, RIGHTFUL));
        print("rightful, under abuse", attacked.subList(0, RIGHTFUL));
        long abusiveSent = abuser.sent.get();
        System.out.printf("  abusive client      : sent %d (%.0f req/s), 429 %d, NOT_FOUND %d, other %d, not sent (in"
                + " flight bound) %d%n", abusiveSent, abusiveSent / (double) duration.toSeconds(), abuser.of("429"),
                abuser.of("NOT_FOUND"), abusiveSent - abuser.of("429") - abuser.of("NOT_FOUND"),
                abuser.dropped.get());
        System.out.printf("RESULT rightful_success_alone=%.4f rightful_success_attacked=%.4f rightful_p99_alone_ms=%.2f"
                + " rightful_p99_attacked_ms=%.2f abusive_sent=%d%n", success(alone), success(attacked.subList(0,
                RIGHTFUL)), percentile(alone, 0.99), percentile(attacked.subList(0, RIGHTFUL), 0.99), abusiveSent);
    }

    /** One phase: the rightful clients (and the abuser when {@code abuse}); returns their tallies, abuser last. */
    private static List<Tally> run(HttpClient http, URI validate, List<String> keys, String product,
            Duration duration, double perClient, boolean abuse) throws InterruptedException {
        List<Tally> tallies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime() + 50_000_000L;
        long end = start + duration.toNanos();
        for (int c = 0; c < RIGHTFUL; c++) {
            Tally t = new Tally();
            tallies.add(t);
            String key = keys.get(c);
            String address = "198.51.100." + (10 + c);
            threads.add(started(() -> pace(start, end, perClient, t,
                    () -> request(validate, address, key, product), true, http)));
        }
        Tally abuser = new Tally();
        tallies.add(abuser);
        if (abuse) {
            List<UUID> ids = keys.subList(0, RIGHTFUL).stream().map(k -> LicenseKey.parse(k).licenseId()).toList();
            AtomicLong n = new AtomicLong();
            threads.add(started(() -> pace(start, end, perClient * RIGHTFUL * ABUSE_FACTOR, abuser,
                    () -> request(validate, "203.0.113.66",
                            LicenseKey.generate(ids.get((int) (n.getAndIncrement() % ids.size()))).text(), product),
                    false, http)));
        }
        for (Thread t : threads) {
            t.join();
        }
        for (Tally t : tallies) { // wait for the answers still in flight
            t.inFlight.acquire(MAX_IN_FLIGHT);
            t.inFlight.release(MAX_IN_FLIGHT);
        }
        return tallies;
    }

    private static Thread started(Runnable body) {
        Thread t = new Thread(body);
        t.start();
        return t;
    }

    /** Sends on schedule ({@code rate} per second, evenly spaced) from {@code start} to {@code end}. */
    private static void pace(long start, long end, double rate, Tally tally,
            java.util.function.Supplier<HttpRequest> next, boolean recordLatency, HttpClient http) {
        long interval = (long) (1e9 / rate);
        for (long due = start; due < end; due += interval) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            if (!tally.inFlight.tryAcquire()) {
                tally.dropped.incrementAndGet();
                continue;
            }
            tally.sent.incrementAndGet();
            long sentAt = System.nanoTime();
            CompletableFuture<HttpResponse<String>> answer = http.sendAsync(next.get(),
                    HttpResponse.BodyHandlers.ofString());
            answer.whenComplete((r, error) -> {
                try {
                    if (error != null) {
                        tally.count("error");
                    } else if (r.statusCode() == 200) {
                        tally.count(code(r.body()));
                    } else {
                        tally.count(Integer.toString(r.statusCode()));
                    }
                    if (recordLatency) {
                        tally.latenciesNanos.add(System.nanoTime() - sentAt);
                    }
                } finally {
                    tally.inFlight.release();
                }
            });
        }
    }

    private static HttpRequest request(URI validate, String clientAddress, String key, String product) {
        String body = "{\"key\":\"" + key + "\",\"productCode\":\"" + product + "\",\"nonce\":\"" + UUID.randomUUID()
                + "\"}";
        return HttpRequest.newBuilder(validate).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("X-Forwarded-For", clientAddress)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String code(String body) {
        int at = body.indexOf("\"code\":\"");
        return at < 0 ? "no-code" : body.substring(at + 8, body.indexOf('"', at + 8));
    }

    private static double success(List<Tally> clients) {
        long sent = clients.stream().mapToLong(t -> t.sent.get() + t.dropped.get()).sum();
        long valid = clients.stream().mapToLong(t -> t.of("VALID")).sum();
        return sent == 0 ? 0 : valid / (double) sent;
    }

    private static double percentile(List<Tally> clients, double p) {
        List<Long> all = new ArrayList<>();
        clients.forEach(t -> all.addAll(t.latenciesNanos));
        if (all.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(all);
        return all.get(Math.min(all.size() - 1, (int) Math.ceil(p * all.size()) - 1)) / 1e6;
    }

    private static void print(String label, List<Tally> clients) {
        long sent = clients.stream().mapToLong(t -> t.sent.get()).sum();
        long valid = clients.stream().mapToLong(t -> t.of("VALID")).sum();
        long limited = clients.stream().mapToLong(t -> t.of("429")).sum();
        long dropped = clients.stream().mapToLong(t -> t.dropped.get()).sum();
        java.util.Map<String, Long> others = new java.util.TreeMap<>();
        clients.forEach(t -> t.outcomes.forEach((k, v) -> {
            if (!k.equals("VALID") && !k.equals("429")) {
                others.merge(k, v.get(), Long::sum);
            }
        }));
        System.out.printf("  %s: sent %d, VALID %d (success %.2f %%), 429 %d, other %s, not sent %d;"
                + " latency p50 %.2f ms p99 %.2f ms max %.2f ms%n", label, sent, valid, 100 * success(clients), limited,
                others, dropped, percentile(clients, 0.50), percentile(clients, 0.99), percentile(clients, 1.0));
    }
}
