package org.licensing.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One service's packaged Quarkus app, run as a child JVM on 127.0.0.1, with its log in a file. Port 0: the service
 * binds a free port itself and the port is read back from Quarkus' "Listening on" line (never picked, released and
 * bound later, when another process may have taken it); a restart reuses that port.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern LISTENING = Pattern.compile("Listening on: https?://[^\\s]+:(\\d+)");
    /** What Vert.x says when the port is taken (by another process between the kill and the restart). */
    private static final Pattern PORT_TAKEN = Pattern.compile("seems to be in use|already bound|Address already in use");

    private final String name;
    private final Path jar;
    private int port;
    private final Map<String, String> env;
    private final Path log;
    private Process process;

    ServiceProcess(String name, Path jar, int port, Map<String, String> env, Path logDir) {
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.env = Map.copyOf(env);
        this.log = logDir.resolve(name + ".log");
    }

    public String name() {
        return name;
    }

    public URI url() {
        if (port == 0) {
            throw new IllegalStateException(name + " has not started yet: its port is not known");
        }
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /**
     * Starts the JVM and waits until {@code /q/health/ready} answers 200. A restart on a port another process took
     * meanwhile is retried a few times, then fails with what holds it.
     */
    public synchronized ServiceProcess start(Duration timeout) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (./mvnw install -DskipTests)");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int attempt = 1; ; attempt++) {
            long logStart = launch();
            try {
                port = awaitPort(logStart, deadline);
                awaitReady(deadline, timeout);
                return this;
            } catch (IllegalStateException e) {
                boolean taken = PORT_TAKEN.matcher(logSince(logStart)).find();
                if (!taken || attempt == 5 || System.nanoTime() > deadline) {
                    throw e;
                }
                kill();
                sleep(1000);
            }
        }
    }

    private long launch() {
        List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx256m", "-XX:+UseSerialGC", "-jar",
                jar.toString()));
        try {
            Files.createDirectories(log.getParent());
            long logStart = Files.exists(log) ? Files.size(log) : 0;
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
            builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
            process = builder.start();
            return logStart;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /** The port Quarkus says it listens on, from the lines this start added to the log. */
    private int awaitPort(long logStart, long deadline) {
        while (System.nanoTime() < deadline) {
            String log = logSince(logStart);
            Matcher listening = LISTENING.matcher(log);
            if (listening.find()) {
                return Integer.parseInt(listening.group(1));
            }
            if (log.contains("Failed to start application")) {
                // Quarkus does not always exit then (a jar repackaged under it, say): stop it, say why.
                process.destroyForcibly();
                throw new IllegalStateException(name + " failed to start; last lines of " + this.log + ":\n"
                        + tail(40));
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; last lines of "
                        + log + ":\n" + tail(40));
            }
            sleep(100);
        }
        throw new IllegalStateException(name + " did not say which port it listens on in time; last lines of " + log
                + ":\n" + tail(40));
    }

    private String logSince(long offset) {
        try (var in = Files.newInputStream(log)) {
            in.skipNBytes(offset);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private void awaitReady(long deadline, Duration timeout) {
        HttpRequest ready = HttpRequest.newBuilder(url().resolve("/q/health/ready")).timeout(Duration.ofSeconds(2))
                .GET().build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; last lines of "
                        + log + ":\n" + tail(40));
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(200);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout + "; last lines of " + log + ":\n"
                + tail(40));
    }

    /** Kills the JVM at once (SIGKILL), as a crash would. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor(10);
        }
    }

    /** Stops gracefully (SIGTERM), then forcibly after 10 s. */
    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!waitFor(10)) {
                process.destroyForcibly();
                waitFor(5);
            }
        }
    }

    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private boolean waitFor(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
