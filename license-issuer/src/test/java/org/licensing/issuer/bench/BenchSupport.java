package org.licensing.issuer.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.licensing.testsupport.Backend;
import org.licensing.testsupport.LocalBackends;
import org.licensing.testsupport.TestTokens;

/**
 * What the issuer's benchmarks share: the packaged issuer as a process of its own over the harness' DynamoDB and
 * PostgreSQL (profile local, ephemeral secrets, trusting TestTokens' key), timed and back-to-back calls from a number
 * of clients, percentiles, and their knobs from the environment.
 */
final class BenchSupport {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One call of a measured client. */
    interface Call {
        void call() throws Exception;
    }

    /** The running issuer: its base URL and process. */
    record Issuer(String base, Process process) implements AutoCloseable {
        long pid() {
            return process.pid();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor();
            LocalBackends.shared().stop();
        }
    }

    private BenchSupport() {
    }

    /** Starts DynamoDB and PostgreSQL of the harness, then the issuer's {@code jar} with {@code extra} config. */
    static Issuer start(Path jar, Path work, Map<String, String> extra) throws Exception {
        Files.createDirectories(work);
        Map<String, String> config = new LinkedHashMap<>(LocalBackends.shared()
                .start(EnumSet.of(Backend.DYNAMODB, Backend.POSTGRES)));
        config.putAll(TestTokens.shared().trustConfig());
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        config.put("quarkus.http.port", Integer.toString(port));
        config.put("quarkus.http.host", "127.0.0.1");
        config.put("quarkus.log.level", "WARN");
        config.putAll(extra);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(List.of(System.getenv().getOrDefault("ISSUER_JAVA_OPTS",
                "-Xms64m -Xmx192m -XX:+UseSerialGC -XX:MaxMetaspaceSize=128m -Xss512k").split(" ")));
        command.add("-Dquarkus.profile=local");
        config.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toString()));
        Process issuer = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("issuer.log").toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(issuer::destroyForcibly));
        String base = "http://127.0.0.1:" + port;
        awaitReady(base, issuer, work);
        return new Issuer(base, issuer);
    }

    private static void awaitReady(String base, Process issuer, Path work) throws Exception {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!issuer.isAlive()) {
                throw new IllegalStateException("the issuer exited; see " + work.resolve("issuer.log"));
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the issuer was not ready within 3 minutes; see "
                + work.resolve("issuer.log"));
    }

    /** {@code total} calls spread over {@code clients} threads; each call's latency in microseconds, sorted. */
    static List<Long> timed(int clients, int total, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<List<Long>>> parts = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                int mine = total / clients + (t < total % clients ? 1 : 0);
                parts.add(pool.submit(() -> {
                    List<Long> lat = new ArrayList<>();
                    for (int i = 0; i < mine; i++) {
                        long start = System.nanoTime();
                        call.call();
                        lat.add((System.nanoTime() - start) / 1_000);
                    }
                    return lat;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : parts) {
                all.addAll(f.get());
            }
            Collections.sort(all);
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Calls per second over {@code seconds} with {@code clients} threads calling back to back. */
    static double throughput(int clients, int seconds, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                parts.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        call.call();
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : parts) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    /** The p-th percentile of sorted microseconds, in milliseconds. */
    static double pct(List<Long> sortedMicros, int p) {
        int i = (int) Math.ceil(p / 100.0 * sortedMicros.size()) - 1;
        return sortedMicros.get(Math.max(0, Math.min(sortedMicros.size() - 1, i))) / 1000.0;
    }

    static int env(String name, int fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
    }
}
