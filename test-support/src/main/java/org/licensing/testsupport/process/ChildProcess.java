package org.licensing.testsupport.process;

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
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One started child process (a packaged service, Keycloak's {@code kc.sh}) with its output appended to a log file:
 * the one launcher of the test harness. It reads back the port a Quarkus app bound ({@code QUARKUS_HTTP_PORT=0}), so
 * no port is picked, released and bound later when another process may have taken it; it waits for an HTTP 200, and
 * stops the whole process tree (a script and the JVM it started).
 */
public final class ChildProcess implements AutoCloseable {

    /** Quarkus' start line, e.g. "... started in 2.1s. Listening on: http://127.0.0.1:41234". */
    private static final Pattern LISTENING = Pattern.compile("Listening on: https?://\\S+:(\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final Path log;
    private final long logStart;

    private ChildProcess(String name, Process process, Path log, long logStart) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.logStart = logStart;
    }

    /**
     * Starts {@code command} with this JVM's environment, edited by {@code environment}, its output (stdout and
     * stderr) appended to {@code log}.
     */
    public static ChildProcess start(String name, List<String> command, Consumer<Map<String, String>> environment,
            Path log) {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            long logStart = Files.exists(log) ? Files.size(log) : 0;
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            environment.accept(builder.environment());
            return new ChildProcess(name, builder.start(), log, logStart);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + " (" + command + ")", e);
        }
    }

    /** The command line of a packaged Quarkus app ({@code quarkus-run.jar}) on this JVM's java, small and serial. */
    public static List<String> javaJar(Path jar) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:+UseSerialGC", "-jar", jar.toString());
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** What this start wrote to the log (an earlier start's lines, in the same file, excluded). */
    public String output() {
        try (var in = Files.newInputStream(log)) {
            in.skipNBytes(logStart);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The last lines of this start's output. */
    public String tail(int lines) {
        List<String> all = output().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** An exception saying {@code what}, with the log's name and this start's last 40 lines. */
    public IllegalStateException failure(String what) {
        return new IllegalStateException(name + " " + what + "; last lines of " + log + ":\n" + tail(40));
    }

    /**
     * The port the Quarkus app says it listens on, read from this start's log; fails when the process exits, or says
     * it failed to start (Quarkus does not always exit then: it is killed), or {@code deadline} (a
     * {@link System#nanoTime()} value) passes.
     */
    public int awaitListeningPort(long deadline) {
        while (System.nanoTime() < deadline) {
            String out = output();
            Matcher listening = LISTENING.matcher(out);
            if (listening.find()) {
                return Integer.parseInt(listening.group(1));
            }
            if (out.contains("Failed to start application")) {
                kill();
                throw failure("failed to start");
            }
            checkAlive();
            sleep(100);
        }
        throw failure("did not say which port it listens on in time");
    }

    /**
     * Polls {@code url} until it answers 200 and returns that answer's body; fails when the process exits or
     * {@code deadline} (a {@link System#nanoTime()} value) passes.
     */
    public String awaitOk(URI url, long deadline) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(3)).GET().build();
        while (System.nanoTime() < deadline) {
            checkAlive();
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response.body();
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(200); // polling for readiness, not a timed assertion
        }
        throw failure("was not ready (" + url + " answered no 200) in time");
    }

    /** Waits until the process exits and returns its exit code; kills it (and fails) after {@code timeout}. */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw failure("did not finish within " + timeout);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new IllegalStateException(e);
        }
    }

    private void checkAlive() {
        if (!process.isAlive()) {
            throw failure("exited with " + process.exitValue());
        }
    }

    /** SIGKILL to the process and everything it started, as a crash or an OOM kill would: no shutdown hook runs. */
    public void kill() {
        List<ProcessHandle> tree = tree();
        tree.forEach(ProcessHandle::destroyForcibly);
        awaitExit(tree, Duration.ofSeconds(30));
    }

    /** SIGTERM to the process and everything it started, then SIGKILL to what still runs after {@code grace}. */
    public void stop(Duration grace) {
        List<ProcessHandle> tree = tree();
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception notYet) {
                handle.destroyForcibly();
            }
        }
        awaitExit(tree, Duration.ofSeconds(10));
    }

    /** {@link #stop(Duration)} with 10 s of grace. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    private List<ProcessHandle> tree() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        return tree;
    }

    private void awaitExit(List<ProcessHandle> tree, Duration timeout) {
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (Exception e) {
                throw new IllegalStateException(name + " (pid " + handle.pid() + ") did not exit", e);
            }
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
