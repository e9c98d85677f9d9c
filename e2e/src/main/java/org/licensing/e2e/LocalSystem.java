package org.licensing.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import org.licensing.testsupport.Backend;
import org.licensing.testsupport.LocalBackends;
import org.licensing.testsupport.TestTokens;

/**
 * The whole system on this machine: the local back ends (see test-support) and the three packaged services as
 * child JVMs with the {@code local} profile. Used by the one-command local run ({@link #main}) and by the
 * end-to-end tests, so both start the system the same way.
 */
public final class LocalSystem implements AutoCloseable {

    /** Audience the notification service's operator endpoints expect. */
    public static final String NOTIFICATION_AUDIENCE = "notification-service";
    public static final String VENDOR_FINANCE_EMAIL = "finance@vendor.example";
    public static final String REMINDER_SENDER = "licensing@vendor.example";

    public static final String ISSUER = "license-issuer";
    public static final String VALIDATOR = "license-validator";
    public static final String NOTIFICATION = "notification-service";

    /** HTTP ports of the three services. */
    public record Ports(int issuer, int validator, int notification) {
        public static Ports standard() {
            return new Ports(8080, 8081, 8082);
        }

        public static Ports free() {
            return new Ports(freePort(), freePort(), freePort());
        }
    }

    private final LocalBackends backends;
    private final TestTokens tokens = TestTokens.shared();
    private final ServiceProcess issuer;
    private final ServiceProcess validator;
    private final ServiceProcess notification;

    private LocalSystem(Ports ports, Map<String, String> extraEnv, Map<String, Map<String, String>> serviceEnv) {
        for (int port : List.of(ports.issuer(), ports.validator(), ports.notification())) {
            if (!isFree(port)) {
                throw new IllegalStateException("port " + port + " is taken: stop what uses it (e.g. an earlier "
                        + "run: `ss -ltnp | grep :" + port + "`) and try again");
            }
        }
        backends = LocalBackends.shared();
        Map<String, String> common = new HashMap<>();
        backends.start(Backend.parse("dynamodb,sqs,ses,postgres"))
                .forEach((k, v) -> common.put(envName(k), v));
        common.put("QUARKUS_PROFILE", "local");
        common.put("MP_JWT_VERIFY_PUBLICKEY", tokens.publicKeyPem());
        common.put("MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER);
        common.put("LICENSING_REMINDERS_VENDOR_FINANCE_EMAIL", VENDOR_FINANCE_EMAIL);
        common.put("LICENSING_REMINDERS_FROM", REMINDER_SENDER);
        common.putAll(extraEnv);

        Path root = LocalBackends.checkoutRoot();
        Path logs = backends.workDir().resolve("logs");
        issuer = new ServiceProcess(ISSUER, app(root, ISSUER), ports.issuer(),
                withAll(with(common, "MP_JWT_VERIFY_AUDIENCES", TestTokens.AUDIENCE), serviceEnv.get(ISSUER)), logs);
        validator = new ServiceProcess(VALIDATOR, app(root, VALIDATOR), ports.validator(),
                withAll(common, serviceEnv.get(VALIDATOR)), logs);
        notification = new ServiceProcess(NOTIFICATION, app(root, NOTIFICATION), ports.notification(),
                withAll(with(common, "MP_JWT_VERIFY_AUDIENCES", NOTIFICATION_AUDIENCE), serviceEnv.get(NOTIFICATION)),
                logs);
    }

    /** Starts the back ends and the three services (in parallel) and waits until each is ready. */
    public static LocalSystem start(Ports ports, Map<String, String> extraEnv) {
        return start(ports, extraEnv, Map.of());
    }

    /**
     * As {@link #start(Ports, Map)}, with environment variables for single services on top, by service name
     * ({@value #ISSUER}, {@value #VALIDATOR}, {@value #NOTIFICATION}): for example each service's own signing key.
     * They also apply when a test restarts that service.
     */
    public static LocalSystem start(Ports ports, Map<String, String> extraEnv,
            Map<String, Map<String, String>> serviceEnv) {
        for (String name : serviceEnv.keySet()) {
            if (!List.of(ISSUER, VALIDATOR, NOTIFICATION).contains(name)) {
                throw new IllegalArgumentException("no service " + name);
            }
        }
        LocalSystem system = new LocalSystem(ports, extraEnv, serviceEnv);
        try {
            Duration timeout = Duration.ofSeconds(120);
            CompletableFuture.allOf(
                    CompletableFuture.runAsync(() -> system.issuer.start(timeout)),
                    CompletableFuture.runAsync(() -> system.validator.start(timeout)),
                    CompletableFuture.runAsync(() -> system.notification.start(timeout))).join();
            return system;
        } catch (RuntimeException e) {
            system.close();
            throw e;
        }
    }

    public ServiceProcess issuer() {
        return issuer;
    }

    public ServiceProcess validator() {
        return validator;
    }

    public ServiceProcess notification() {
        return notification;
    }

    public LocalBackends backends() {
        return backends;
    }

    /** A back-office token for the issuer with every role. */
    public String backOfficeToken() {
        return tokens.builder().subject("admin@vendor.example")
                .roles("licenses:read", "licenses:write", "catalog:admin")
                .lifetime(Duration.ofHours(12)).sign();
    }

    /** A token for the notification service's operator endpoints. */
    public String operatorToken() {
        return tokens.builder().subject("ops@vendor.example").audience(NOTIFICATION_AUDIENCE)
                .roles("reminders:run").lifetime(Duration.ofHours(12)).sign();
    }

    public TestTokens tokens() {
        return tokens;
    }

    @Override
    public void close() {
        CompletableFuture.allOf(
                CompletableFuture.runAsync(issuer::close),
                CompletableFuture.runAsync(validator::close),
                CompletableFuture.runAsync(notification::close)).join();
        backends.stop();
    }

    /** The one-command local run: start, seed a demo, print what to try, stop everything on Ctrl-C. */
    public static void main(String[] args) throws Exception {
        System.out.println("Starting the local back ends and the three services (first start takes ~30 s)...");
        LocalSystem system = start(Ports.standard(), Map.of());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping every process this run started...");
            system.close();
            stopped.countDown();
        }, "local-system-stop"));
        DemoSeed.Seeded demo = new DemoSeed(system).seed();
        System.out.println(DemoSeed.banner(system, demo));
        stopped.await();
    }

    private static Path app(Path root, String module) {
        return root.resolve(module).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> copy = new HashMap<>(base);
        copy.put(key, value);
        return copy;
    }

    private static Map<String, String> withAll(Map<String, String> base, Map<String, String> more) {
        if (more == null || more.isEmpty()) {
            return base;
        }
        Map<String, String> copy = new HashMap<>(base);
        copy.putAll(more);
        return copy;
    }

    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
