package org.licensing.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.licensing.core.crypto.SigningKeys;
import org.licensing.testsupport.Backend;
import org.licensing.testsupport.LocalBackends;
import org.licensing.testsupport.TestTokens;
import org.licensing.testsupport.idp.KeycloakServer;
import org.licensing.testsupport.process.PackagedService;

/**
 * The whole system on this machine: the local back ends (see test-support), the packaged services as child JVMs
 * with the {@code local} profile on 127.0.0.1, and, when asked, Keycloak and the back office. Used by the
 * one-command local run ({@link #main}) and by the end-to-end tests, so both start the system the same way.
 *
 * <p>Tokens: without Keycloak the issuer and the notification service trust {@link TestTokens}' key (tests that do
 * not need an IdP do not pay its start-up); with Keycloak they trust the realm's JWKS and issuer, and the system's
 * own calls (seeding) use the {@code licensing-seed} service account's client-credentials token.
 *
 * <p>Secrets ({@link LocalSecrets}): generated once per state directory and passed to every start, so a restarted
 * issuer reads its stored idempotent answers and what the issuer and the validator signed still verifies.
 */
public final class LocalSystem implements AutoCloseable {

    /** Audience the notification service's operator endpoints expect. */
    public static final String NOTIFICATION_AUDIENCE = "notification-service";
    public static final String VENDOR_FINANCE_EMAIL = "finance@vendor.example";
    public static final String REMINDER_SENDER = "licensing@vendor.example";

    public static final String ISSUER = "license-issuer";
    public static final String VALIDATOR = "license-validator";
    public static final String NOTIFICATION = "notification-service";
    public static final String BACK_OFFICE = "back-office";

    /** HTTP ports; 0 = the process binds a free one and the port is read back. */
    public record Ports(int issuer, int validator, int notification, int backOffice, int keycloak) {
        public static Ports standard() {
            return new Ports(8080, 8081, 8082, 8083, KeycloakServer.LOCAL_PORT);
        }

        public static Ports free() {
            return new Ports(0, 0, 0, 0, 0);
        }
    }

    /** What to start and where to keep state. */
    public static final class Options {
        private Ports ports = Ports.free();
        private Map<String, String> extraEnv = Map.of();
        private Map<String, Map<String, String>> serviceEnv = Map.of();
        private Path stateDir;
        private boolean keep;
        private boolean keycloak;
        private boolean backOffice;

        public Options ports(Ports value) {
            ports = value;
            return this;
        }

        /** Environment variables for every service. */
        public Options env(Map<String, String> value) {
            extraEnv = Map.copyOf(value);
            return this;
        }

        /**
         * Environment variables for single services on top, by service name ({@value #ISSUER}, {@value #VALIDATOR},
         * {@value #NOTIFICATION}, {@value #BACK_OFFICE}); they also apply when a test restarts that service.
         */
        public Options serviceEnv(Map<String, Map<String, String>> value) {
            for (String name : value.keySet()) {
                if (!List.of(ISSUER, VALIDATOR, NOTIFICATION, BACK_OFFICE).contains(name)) {
                    throw new IllegalArgumentException("no service " + name);
                }
            }
            serviceEnv = Map.copyOf(value);
            return this;
        }

        /**
         * Where secrets (and with {@link #keep} the data) live. Default: a folder of this JVM under the back ends'
         * work directory, removed by a later run.
         */
        public Options stateDir(Path value) {
            stateDir = value;
            return this;
        }

        /** Keep the state directory's secrets and data (DynamoDB, PostgreSQL, Keycloak) from the run before. */
        public Options keep(boolean value) {
            keep = value;
            return this;
        }

        /** Start Keycloak; the issuer and the notification service then trust its realm. */
        public Options keycloak(boolean value) {
            keycloak = value;
            return this;
        }

        /** Start the back office too (implies Keycloak). */
        public Options backOffice(boolean value) {
            backOffice = value;
            keycloak |= value;
            return this;
        }
    }

    /** Systems of this JVM not closed yet: they share the back ends. */
    private static int openSystems;

    private static boolean logsCleared;

    private final Options options;
    private final Path logDir;
    private boolean open;
    private final LocalBackends backends;
    private final TestTokens tokens = TestTokens.shared();
    private final LocalSecrets secrets;
    private final Path stateDir;
    private final KeycloakServer keycloak;
    private final List<PackagedService> services = new ArrayList<>();
    private PackagedService issuer;
    private PackagedService validator;
    private PackagedService notification;
    private PackagedService backOffice;

    private LocalSystem(Options options) {
        this.options = options;
        Ports ports = options.ports;
        List<Integer> used = new ArrayList<>(List.of(ports.issuer(), ports.validator(), ports.notification()));
        if (options.backOffice) {
            used.add(ports.backOffice());
        }
        if (options.keycloak) {
            used.add(ports.keycloak());
        }
        for (int port : used.stream().filter(p -> p != 0).toList()) {
            if (!isFree(port)) {
                throw new IllegalStateException("port " + port + " is taken: stop what uses it (e.g. an earlier "
                        + "run: `ss -ltnp | grep :" + port + "`) and try again");
            }
        }
        if (options.stateDir != null) {
            stateDir = options.stateDir.toAbsolutePath();
            if (!options.keep) {
                // A clean start: new secrets and empty data. The unpacked Keycloak stays (unpacking and its first
                // augmentation take a while); KeycloakServer clears its H2 data itself unless kept.
                deleteTree(stateDir.resolve("secrets"));
                deleteTree(stateDir.resolve("data"));
            }
            // LocalBackends reads it when it first starts a back end: DynamoDB and PostgreSQL data kept across runs.
            if (options.keep) {
                System.setProperty("harness.data-dir", stateDir.resolve("data").toString());
            }
        } else {
            stateDir = null;
        }
        backends = LocalBackends.shared();
        // Service logs outlive the run (the back ends' work folder is removed by a later run): the local run's
        // under target/local/logs, the tests' under e2e/target/service-logs (CI keeps e2e/target).
        logDir = stateDir != null ? stateDir.resolve("logs")
                : LocalBackends.checkoutRoot().resolve("e2e").resolve("target").resolve("service-logs");
        synchronized (LocalSystem.class) {
            if (!logsCleared) {
                deleteTree(logDir);
                logsCleared = true;
            }
        }
        synchronized (LocalSystem.class) {
            openSystems++;
            open = true;
        }
        Path state = stateDir != null ? stateDir : backends.workDir().resolve("state");
        secrets = LocalSecrets.in(state.resolve("secrets"));
        // Tests unpack Keycloak once into e2e/target (its data is cleared at each start); a local run keeps its own.
        Path keycloakDir = stateDir != null ? stateDir.resolve("keycloak")
                : LocalBackends.checkoutRoot().resolve("e2e").resolve("target").resolve("keycloak");
        keycloak = options.keycloak ? KeycloakServer.builder().port(options.ports.keycloak())
                .workDir(keycloakDir).keepData(options.keep).build() : null;
    }

    /** Starts the back ends and the three services (in parallel) and waits until each is ready. */
    public static LocalSystem start(Ports ports, Map<String, String> extraEnv) {
        return start(new Options().ports(ports).env(extraEnv));
    }

    /** As {@link #start(Ports, Map)}, with environment variables for single services on top, by service name. */
    public static LocalSystem start(Ports ports, Map<String, String> extraEnv,
            Map<String, Map<String, String>> serviceEnv) {
        return start(new Options().ports(ports).env(extraEnv).serviceEnv(serviceEnv));
    }

    /** Starts what {@code options} ask for, Keycloak and the back ends in parallel, then the services in parallel. */
    public static LocalSystem start(Options options) {
        LocalSystem system = new LocalSystem(options);
        try {
            Duration timeout = Duration.ofSeconds(300);
            // Keycloak's first start augments the distribution (about 40 s alone, minutes on a busy machine): the
            // harness' bound, keycloak.start-timeout (default 10 minutes), as for the tests' shared Keycloak.
            CompletableFuture<Void> idp = system.keycloak == null ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.runAsync(() -> system.keycloak.start(KeycloakServer.startTimeout()));
            Map<String, String> common = system.commonEnv();
            idp.join();
            system.createServices(common);
            CompletableFuture.allOf(Stream.of(system.issuer, system.validator, system.notification)
                    .map(s -> CompletableFuture.runAsync(() -> s.start(timeout)))
                    .toArray(CompletableFuture[]::new)).join();
            if (options.backOffice) {
                // After the APIs: it needs their ports.
                system.createBackOffice().start(timeout);
            }
            return system;
        } catch (RuntimeException e) {
            system.close();
            throw e;
        }
    }

    private Map<String, String> commonEnv() {
        Map<String, String> common = new HashMap<>();
        backends.start(Backend.parse("dynamodb,sqs,ses,postgres")).forEach((k, v) -> common.put(PackagedService.envName(k), v));
        common.put("QUARKUS_PROFILE", "local");
        if (keycloak == null) {
            common.put("MP_JWT_VERIFY_PUBLICKEY", tokens.publicKeyPem());
            common.put("MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER);
        }
        common.put("LICENSING_REMINDERS_VENDOR_FINANCE_EMAIL", VENDOR_FINANCE_EMAIL);
        common.put("LICENSING_REMINDERS_FROM", REMINDER_SENDER);
        common.putAll(options.extraEnv);
        return common;
    }

    private void createServices(Map<String, String> common) {
        Path logs = logDir;
        Ports ports = options.ports;
        issuer = service(ISSUER, ports.issuer(), logs, common, trust(TestTokens.AUDIENCE));
        validator = service(VALIDATOR, ports.validator(), logs, common, Map.of());
        notification = service(NOTIFICATION, ports.notification(), logs, common, trust(NOTIFICATION_AUDIENCE));
    }

    private PackagedService createBackOffice() {
        Map<String, String> env = new HashMap<>();
        env.put("BACKOFFICE_ISSUER_URL", issuer.url().toString());
        env.put("BACKOFFICE_NOTIFICATION_URL", notification.url().toString());
        env.put("QUARKUS_OIDC_AUTH_SERVER_URL", keycloak.issuer());
        env.put("QUARKUS_OIDC_CLIENT_ID", KeycloakServer.BACK_OFFICE_CLIENT_ID);
        env.put("QUARKUS_OIDC_CREDENTIALS_SECRET", KeycloakServer.BACK_OFFICE_CLIENT_SECRET);
        backOffice = service(BACK_OFFICE, options.ports.backOffice(),
                logDir, Map.of("QUARKUS_PROFILE", "local"), env);
        return backOffice;
    }

    private Map<String, String> trust(String audience) {
        return keycloak == null ? Map.of("MP_JWT_VERIFY_AUDIENCES", audience) : keycloak.jwtTrustEnv(audience);
    }

    private PackagedService service(String name, int port, Path logs, Map<String, String> common,
            Map<String, String> own) {
        Map<String, String> env = new HashMap<>(common);
        env.putAll(secrets.env(name));
        env.putAll(own);
        env.putAll(options.serviceEnv.getOrDefault(name, Map.of()));
        PackagedService process = PackagedService.of(name, env, logs, port);
        services.add(process);
        return process;
    }

    public PackagedService issuer() {
        return issuer;
    }

    public PackagedService validator() {
        return validator;
    }

    public PackagedService notification() {
        return notification;
    }

    /** The back office, or an exception when this system was started without it. */
    public PackagedService backOffice() {
        if (backOffice == null) {
            throw new IllegalStateException("this system runs without the back office");
        }
        return backOffice;
    }

    /** Keycloak, or an exception when this system was started without it. */
    public KeycloakServer keycloak() {
        if (keycloak == null) {
            throw new IllegalStateException("this system runs without Keycloak");
        }
        return keycloak;
    }

    public boolean hasKeycloak() {
        return keycloak != null;
    }

    public LocalBackends backends() {
        return backends;
    }

    public LocalSecrets secrets() {
        return secrets;
    }

    /** The keys the issuer (license files) or the validator (receipts) signs with. */
    public SigningKeys signingKeys(String service) {
        return secrets.signingKeys(service);
    }

    /**
     * A token for the issuer with every role: a TestTokens token, or with Keycloak the seed service account's
     * (short-lived: ask again rather than keep it).
     */
    public String backOfficeToken() {
        if (keycloak != null) {
            return keycloak.seedToken();
        }
        return tokens.builder().subject("admin@vendor.example")
                .roles("licenses:read", "licenses:write", "catalog:admin", "webhooks:admin")
                .lifetime(Duration.ofHours(12)).sign();
    }

    /** A token for the notification service's operator endpoints. */
    public String operatorToken() {
        if (keycloak != null) {
            return keycloak.seedToken();
        }
        return tokens.builder().subject("ops@vendor.example").audience(NOTIFICATION_AUDIENCE)
                .roles("reminders:run").lifetime(Duration.ofHours(12)).sign();
    }

    public TestTokens tokens() {
        return tokens;
    }

    /** Starts every service that is not running (after a test stopped or killed one). */
    public void ensureRunning() {
        for (PackagedService service : services) {
            if (!service.isAlive()) {
                service.start(Duration.ofSeconds(180));
            }
        }
    }

    /** Stops its services and Keycloak; the back ends (one set per JVM) when no other open system uses them. */
    @Override
    public void close() {
        CompletableFuture.allOf(services.stream().map(s -> CompletableFuture.runAsync(s::close))
                .toArray(CompletableFuture[]::new)).join();
        if (keycloak != null) {
            keycloak.close();
        }
        synchronized (LocalSystem.class) {
            if (open && --openSystems == 0) {
                backends.stop();
            }
            open = false;
        }
    }

    /**
     * The one-command local run: start, seed demo data, print what to try, stop everything on Ctrl-C. Arguments:
     * {@code --keep} (keep data and secrets of the run before), {@code --no-back-office} (no Keycloak, no back
     * office: the APIs trust a local test key).
     */
    public static void main(String[] args) throws Exception {
        boolean keep = List.of(args).contains("--keep");
        boolean withBackOffice = !List.of(args).contains("--no-back-office");
        for (String arg : args) {
            if (!List.of("--keep", "--no-back-office").contains(arg)) {
                throw new IllegalArgumentException("unknown argument " + arg + " (known: --keep, --no-back-office)");
            }
        }
        Path state = LocalBackends.checkoutRoot().resolve("target").resolve("local");
        if (withBackOffice) {
            requireKeycloakJdk();
        }
        System.out.printf("Starting the local back ends, %s (first start takes ~%d s)...%n",
                withBackOffice ? "Keycloak, the three services and the back office" : "the three services",
                withBackOffice ? 60 : 30);
        LocalSystem system = start(new Options().ports(Ports.standard()).stateDir(state).keep(keep)
                .backOffice(withBackOffice));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping every process this run started...");
            system.close();
            stopped.countDown();
        }, "local-system-stop"));
        DemoSeed seed = new DemoSeed(system);
        DemoSeed.Seeded demo = seed.seed();
        if (withBackOffice) {
            seed.seedBackOfficeDemo();
        }
        System.out.println(DemoSeed.banner(system, demo, keep));
        stopped.await();
    }

    /** Fails before anything starts, with what to do, when no JDK can run Keycloak. */
    private static void requireKeycloakJdk() {
        try {
            KeycloakServer.findJavaHome();
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "\nOr run without Keycloak and the back office: "
                    + "./run-local.sh --no-back-office", e);
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not clear " + dir + " for a clean start", e);
        }
    }
}
