package org.licensing.issuer.restart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged issuer ({@code target/quarkus-app/quarkus-run.jar}) as a child JVM. It binds port 0 and the port it
 * got is read back from its log, so no port is picked here and bound later by someone else.
 */
final class IssuerProcess {

    private static final Pattern LISTENING = Pattern.compile("Listening on: https?://[^\\s:]+:(\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path jar;
    private final Map<String, String> env;
    private final Path log;
    private Process process;
    private URI url;

    IssuerProcess(Path jar, Map<String, String> env, Path log) {
        this.jar = jar;
        this.env = Map.copyOf(env);
        this.log = log;
    }

    /** Starts the JVM (its log: {@link #log()}, one file per start) and waits until it is ready. */
    IssuerProcess start(Duration timeout) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: this test runs the packaged issuer,"
                    + " build it first (../mvnw -pl license-issuer verify runs package before this test)");
        }
        try {
            Files.createDirectories(log.getParent());
            Files.deleteIfExists(log);
            ProcessBuilder builder = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(env);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the issuer", e);
        }
        url = null;
        awaitReady(timeout);
        return this;
    }

    URI url() {
        return url;
    }

    Path log() {
        return log;
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGKILL, as a crash or an OOM kill would: no shutdown hook, no graceful drain. */
    void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /** SIGTERM (then SIGKILL if it hangs). */
    void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            awaitExit();
        }
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the issuer (pid " + process.pid() + ") did not exit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the issuer exited with " + process.exitValue() + "; its log "
                        + log + ":\n" + tail());
            }
            if (url == null) {
                Matcher m = LISTENING.matcher(logText());
                if (m.find()) {
                    url = URI.create("http://127.0.0.1:" + m.group(1));
                }
            }
            if (url != null && ready()) {
                return;
            }
            pause();
        }
        throw new IllegalStateException("the issuer was not ready within " + timeout + "; its log " + log + ":\n"
                + tail());
    }

    private boolean ready() {
        try {
            return HTTP.send(HttpRequest.newBuilder(url.resolve("/q/health/ready")).timeout(Duration.ofSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String tail() {
        List<String> lines = logText().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static void pause() {
        try {
            Thread.sleep(200); // polling for readiness, not a timed assertion
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
