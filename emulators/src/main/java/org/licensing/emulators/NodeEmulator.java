package org.licensing.emulators;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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

/** An emulator from emulators/node_modules, run as a child process on a free loopback port. */
public final class NodeEmulator implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("\\[watchdog] listening on port (\\d+)");

    private final String name;
    private final Process process;
    private final int port;

    private NodeEmulator(String name, Process process, int port) {
        this.name = name;
        this.process = process;
        this.port = port;
    }

    /**
     * @param script path below node_modules, e.g. {@code dynalite/cli.js}
     * @param args arguments; {@code {port}} is replaced by 0: the emulator binds a free port, read back from its log
     */
    public static NodeEmulator start(String name, String script, List<String> args, Map<String, String> env, Path logDir) {
        return startOnPort(name, script, args, env, logDir, 0);
    }

    /**
     * dynalite (DynamoDB) on {@code port} (0: a free one), in memory, with tables ACTIVE at once (its default keeps a
     * new table CREATING for 500 ms).
     */
    public static NodeEmulator dynalite(Path logDir, int port) {
        return dynalite(logDir, port, null);
    }

    /** As {@link #dynalite(Path, int)}, keeping the tables in {@code dataDir} (LevelDB) when it is not null. */
    public static NodeEmulator dynalite(Path logDir, int port, Path dataDir) {
        List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "{port}",
                "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"));
        if (dataDir != null) {
            args.addAll(List.of("--path", dataDir.toAbsolutePath().toString()));
        }
        return startOnPort("dynalite", "dynalite/cli.js", args, Map.of(), logDir, port);
    }

    /**
     * Starts the emulator on {@code port}; 0 lets it bind any free port itself, and the port it got is read back
     * from the line watchdog.js prints (never picked, released and bound later, when another process may take it).
     */
    public static NodeEmulator startOnPort(String name, String script, List<String> args, Map<String, String> env,
            Path logDir, int port) {
        Path modules = Paths.nodeModules();
        Path cli = modules.resolve(script);
        if (!Files.isRegularFile(cli)) {
            throw new IllegalStateException(cli + " is missing: run `./mvnw -pl emulators generate-resources` "
                    + "(it runs npm ci from emulators/package-lock.json)");
        }
        List<String> command = new ArrayList<>(List.of(node(), "-r", modules.getParent().resolve("watchdog.js").toString(),
                cli.toString()));
        args.forEach(a -> command.add(a.replace("{port}", Integer.toString(port))));
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(env);
            builder.environment().put("WATCHDOG_ANY_PORT", port == 0 ? "1" : "0");
            Process process = builder.start();
            int bound = awaitListening(name, process, log, Duration.ofSeconds(30));
            if (port != 0 && bound != port) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " listened on " + bound + " instead of " + port);
            }
            return new NodeEmulator(name, process, bound);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + " (is Node.js 20+ on PATH?)", e);
        }
    }

    public int port() {
        return port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for watchdog.js' line with the port the emulator is listening on. */
    private static int awaitListening(String name, Process process, Path log, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher listening = LISTENING.matcher(new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1));
            if (listening.find()) {
                return Integer.parseInt(listening.group(1));
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited at start; its log " + log + " says:\n"
                        + Files.readString(log));
            }
            sleep(50);
        }
        process.destroyForcibly();
        throw new IllegalStateException(name + " did not start listening within " + timeout + "; its log " + log
                + " says:\n" + Files.readString(log));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A port that was free a moment ago. Racy (another process may bind it before the caller does): only for
     * programs that cannot bind port 0 and report it; the emulators here do not need it.
     */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String node() {
        return System.getenv().getOrDefault("NODE", "node");
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
