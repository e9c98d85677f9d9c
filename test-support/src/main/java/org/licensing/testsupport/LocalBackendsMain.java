package org.licensing.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * Starts the local back ends outside a test, for the local run and benchmarks, and keeps them up until this
 * process is stopped (Ctrl-C, SIGTERM, or its stdin closing when {@code --until-stdin-closes} is given).
 *
 * <pre>
 * java -cp test-support.jar:... org.licensing.testsupport.LocalBackendsMain \
 *     --backends dynamodb,sqs,ses,postgres --env-file target/backends.env [--with-tokens] [--until-stdin-closes]
 * </pre>
 *
 * With {@code --with-tokens} the env file also makes SmallRye JWT trust {@link TestTokens}' key (generated now,
 * never stored elsewhere), and a back-office token with every role is printed, for dev mode.
 *
 * The env file holds one {@code NAME=value} line per Quarkus property, in environment-variable form
 * ({@code QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE=...}), written once everything answers; a service started with
 * these variables uses the back ends.
 */
public final class LocalBackendsMain {

    private LocalBackendsMain() {
    }

    public static void main(String[] args) throws Exception {
        Set<Backend> backends = Backend.parse(null);
        Path envFile = null;
        boolean untilStdinCloses = false;
        boolean withTokens = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--backends" -> backends = Backend.parse(args[++i]);
                case "--env-file" -> envFile = Path.of(args[++i]);
                case "--until-stdin-closes" -> untilStdinCloses = true;
                case "--with-tokens" -> withTokens = true;
                default -> {
                    System.err.println("unknown argument " + args[i]
                            + "; usage: --backends LIST --env-file FILE [--with-tokens] [--until-stdin-closes]");
                    System.exit(2);
                }
            }
        }
        Map<String, String> config = new java.util.LinkedHashMap<>(LocalBackends.shared().start(backends));
        if (withTokens) {
            config.putAll(TestTokens.shared().quarkusConfig());
            config.remove("mp.jwt.verify.audiences");
        }
        // Single quotes keep the PEM's line breaks when the file is sourced (set -a; . FILE); URLs need none.
        String env = config.entrySet().stream()
                .map(e -> toEnvName(e.getKey()) + "=" + (e.getValue().contains("\n") ? "'" + e.getValue() + "'"
                        : e.getValue()))
                .collect(Collectors.joining("\n", "", "\n"));
        if (envFile != null) {
            Path tmp = envFile.resolveSibling(envFile.getFileName() + ".tmp");
            Files.createDirectories(envFile.toAbsolutePath().getParent());
            Files.writeString(tmp, env);
            Files.move(tmp, envFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } else {
            System.out.print(env);
        }
        System.out.println("local back ends ready: " + backends);
        if (withTokens) {
            System.out.println("back-office token (licenses:read, licenses:write, catalog:admin, webhooks:admin; 12 h):\n"
                    + TestTokens.shared().builder().subject("dev@vendor.example")
                            .roles("licenses:read", "licenses:write", "catalog:admin", "webhooks:admin")
                            .lifetime(java.time.Duration.ofHours(12)).sign());
        }
        System.out.flush();
        if (untilStdinCloses) {
            waitForStdinToClose();
            System.exit(0);
        }
        new CountDownLatch(1).await();
    }

    /** Quarkus' rule: non-alphanumeric characters become '_', letters upper case. */
    static String toEnvName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static void waitForStdinToClose() {
        try {
            while (System.in.read() != -1) {
                // Input is ignored; end of stream means the parent is gone.
            }
        } catch (IOException ignored) {
            // Treated like end of stream.
        }
    }
}
