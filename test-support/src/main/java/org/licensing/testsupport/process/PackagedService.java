package org.licensing.testsupport.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.licensing.testsupport.LocalBackends;

/**
 * A packaged Quarkus service of this checkout ({@code <module>/target/quarkus-app/quarkus-run.jar}) run as a child
 * JVM on 127.0.0.1, for tests of another module that need the real service (the back office's tests run the
 * issuer this way). It never builds anything: a missing jar fails with the command that builds it. The system
 * property {@code packaged.<module>.jar} points at another copy of the jar.
 */
public final class PackagedService implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String module;
    private final Path jar;
    private final int port;
    private final Map<String, String> env;
    private final Path log;
    private Process process;

    private PackagedService(String module, Path jar, int port, Map<String, String> env, Path log) {
        this.module = module;
        this.jar = jar;
        this.port = port;
        this.env = Map.copyOf(env);
        this.log = log;
    }

    /**
     * The module's packaged app with the {@code local} profile, the given environment on top, on a free port; its
     * log goes to {@code logDir/<module>.log}.
     */
    public static PackagedService of(String module, Map<String, String> env, Path logDir) {
        return new PackagedService(module, jar(module), freePort(), env, logDir.resolve(module + ".log"));
    }

    /** The jar of a module of this checkout, or a clear failure saying to build it first. */
    public static Path jar(String module) {
        // A copy elsewhere (system property packaged.<module>.jar) shields a long test run from a concurrent
        // rebuild of the module's target/.
        String override = System.getProperty("packaged." + module + ".jar");
        Path jar = override != null ? Path.of(override) : LocalBackends.checkoutRoot().resolve(module).resolve("target").resolve("quarkus-app")
                .resolve("quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build " + module + " first (./mvnw -B -pl " + module
                    + " package -DskipTests; a full build builds it before the modules declared after it)");
        }
        return jar;
    }

    /** Quarkus config (as the back ends' start() returns it) as environment variables. */
    public static Map<String, String> envOf(Map<String, String> config) {
        Map<String, String> env = new LinkedHashMap<>();
        config.forEach((k, v) -> env.put(k.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT), v));
        return env;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Starts the JVM and waits until {@code /q/health/ready} answers 200. */
    public synchronized PackagedService start(Duration timeout) {
        if (isAlive()) {
            return this;
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString()));
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().put("QUARKUS_PROFILE", "local");
            builder.environment().putAll(env);
            builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
            builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + module, e);
        }
        awaitReady(timeout);
        return this;
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(url().resolve("/q/health/ready")).timeout(Duration.ofSeconds(2))
                .GET().build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(module + " exited with " + process.exitValue() + "; last lines of "
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
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException(module + " was not ready within " + timeout + "; last lines of " + log
                + ":\n" + tail(40));
    }

    /** Stops gracefully (SIGTERM), then forcibly after 10 s. */
    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
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

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
