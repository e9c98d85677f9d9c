package org.licensing.testsupport.process;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.licensing.testsupport.LocalBackends;

/**
 * A packaged Quarkus service of this checkout ({@code <module>/target/quarkus-app/quarkus-run.jar}) run as a child
 * JVM on 127.0.0.1 with the {@code local} profile, for tests that need the real service (the back office's tests,
 * the issuer's crash test, e2e and the local run). It binds port 0 unless given one, and the port it got is read
 * from its log; a restart (after {@link #kill()} or {@link #close()}) binds the same port again. It never builds
 * anything: a missing jar fails with the command that builds it. The system property {@code packaged.<module>.jar}
 * points at another copy of the jar.
 */
public final class PackagedService implements AutoCloseable {

    /** What Vert.x says when the port is taken (by another process between a kill and the restart). */
    private static final Pattern PORT_TAKEN = Pattern.compile("seems to be in use|already bound|Address already in use");

    private final String name;
    private final Path jar;
    private final Map<String, String> env;
    private final Path log;
    private int port;
    private ChildProcess process;

    private PackagedService(String name, Path jar, int port, Map<String, String> env, Path log) {
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.env = Map.copyOf(env);
        this.log = log;
    }

    /**
     * The module's packaged app, the given environment on top of the {@code local} profile, on a port of its own
     * choosing; its log goes to {@code logDir/<module>.log}.
     */
    public static PackagedService of(String module, Map<String, String> env, Path logDir) {
        return of(module, env, logDir, 0);
    }

    /** As {@link #of(String, Map, Path)} on a fixed port (0: the service's choice), e.g. the local run's. */
    public static PackagedService of(String module, Map<String, String> env, Path logDir, int port) {
        return new PackagedService(module, jar(module), port, env, logDir.resolve(module + ".log"));
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
        config.forEach((k, v) -> env.put(envName(k), v));
        return env;
    }

    /** A Quarkus property's environment variable name ({@code a.b-c} is {@code A_B_C}). */
    public static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    public String name() {
        return name;
    }

    /** Its address; known once it started (port 0 is resolved from its log). */
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

    /** What the current (or last) start wrote to the log. */
    public String output() {
        return process == null ? "" : process.output();
    }

    public long pid() {
        return process.pid();
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /**
     * Starts the JVM and waits until {@code /q/health/ready} answers 200. A restart on a port another process took
     * meanwhile is retried a few times, then fails with what holds it.
     */
    public synchronized PackagedService start(Duration timeout) {
        if (isAlive()) {
            return this;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int attempt = 1; ; attempt++) {
            process = ChildProcess.start(name, ChildProcess.javaJar(jar), environment -> {
                environment.put("QUARKUS_PROFILE", "local");
                environment.putAll(env);
                environment.put("QUARKUS_HTTP_HOST", "127.0.0.1");
                environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            }, log);
            try {
                port = process.awaitListeningPort(deadline);
                process.awaitOk(url().resolve("/q/health/ready"), deadline);
                return this;
            } catch (IllegalStateException e) {
                boolean taken = port != 0 && PORT_TAKEN.matcher(process.output()).find();
                process.kill();
                if (!taken || attempt == 5 || System.nanoTime() > deadline) {
                    throw e;
                }
                ChildProcess.sleep(1000);
            }
        }
    }

    /** SIGKILL, as a crash would; {@link #start(Duration)} starts it again on the same port. */
    public synchronized void kill() {
        if (process != null) {
            process.kill();
        }
    }

    /** Stops gracefully (SIGTERM), then forcibly after 10 s. */
    @Override
    public synchronized void close() {
        if (process != null) {
            process.close();
        }
    }

    /** The last lines of the current (or last) start's output. */
    public String tail(int lines) {
        return process == null ? "" : process.tail(lines);
    }
}
