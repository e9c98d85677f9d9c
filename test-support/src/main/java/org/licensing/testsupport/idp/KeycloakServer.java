package org.licensing.testsupport.idp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.licensing.testsupport.process.ChildProcess;

/**
 * A real Keycloak for the back office's sign-in, local runs and browser tests: the
 * {@code org.keycloak:keycloak-quarkus-dist} zip that Maven resolved (test-support depends on it), unpacked under a
 * work directory, started with {@code kc.sh start-dev} on 127.0.0.1 and the {@value #REALM} realm imported from
 * {@code idp/licensing-realm.json} (demo users, roles, clients).
 *
 * <p>Keycloak 26 needs a JDK 21 or newer while the project builds on 17, so the launcher looks for one (see
 * {@link #findJavaHome()}) and fails with what to install when there is none.
 */
public final class KeycloakServer implements AutoCloseable {

    public static final String REALM = "licensing";
    /** The local run's port; tests use a free one. */
    public static final int LOCAL_PORT = 8180;

    /** The back office's confidential client. The secret is for local runs and tests only. */
    public static final String BACK_OFFICE_CLIENT_ID = "back-office";
    public static final String BACK_OFFICE_CLIENT_SECRET = "back-office-local-secret";
    /** Client-credentials client with admin's roles, so a local run seeds data with a real token. Local only. */
    public static final String SEED_CLIENT_ID = "licensing-seed";
    public static final String SEED_CLIENT_SECRET = "licensing-seed-local-secret";

    /**
     * A demo user of the realm and the back-office role its realm role gives it. Four are named after their role;
     * {@link #DANA} is not, so a test can tell the role shown from the user name.
     */
    public record DemoUser(String username, String password, String email, String role) {
        public static final DemoUser VIEWER = of("viewer");
        public static final DemoUser OPERATOR = of("operator");
        public static final DemoUser ADMIN = of("admin");
        public static final DemoUser FINANCE = of("finance");
        /** Support staff with the operator role. */
        public static final DemoUser DANA = new DemoUser("dana", "dana-pass", "dana@vendor.example", "operator");

        private static DemoUser of(String name) {
            return new DemoUser(name, name + "-pass", name + "@vendor.example", name);
        }

        public static List<DemoUser> all() {
            return List.of(VIEWER, OPERATOR, ADMIN, FINANCE, DANA);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String SHARED_PORT_PROPERTY = "licensing.keycloak.shared-port";
    private static KeycloakServer shared;

    private int port;
    private final Path workDir;
    private final boolean keepData;
    private final Path javaHome;
    private final String adminUser;
    private final String adminPassword;
    private final Path log;
    private ChildProcess process;
    private JsonNode discovery;

    private KeycloakServer(Builder builder) {
        this.port = builder.port;
        this.workDir = builder.workDir.toAbsolutePath();
        this.keepData = builder.keepData;
        this.javaHome = builder.javaHome != null ? builder.javaHome : findJavaHome();
        this.adminUser = Optional.ofNullable(System.getenv("KC_BOOTSTRAP_ADMIN_USERNAME")).orElse("admin");
        this.adminPassword = Optional.ofNullable(System.getenv("KC_BOOTSTRAP_ADMIN_PASSWORD"))
                .orElse(UUID.randomUUID().toString());
        this.log = workDir.resolve("keycloak.log");
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * One Keycloak per JVM (tests): a port of its own choosing, its files under {@code target/keycloak} of the working directory
     * (the module's directory under Maven), started on first use and stopped by a shutdown hook.
     */
    public static synchronized KeycloakServer shared() {
        if (shared == null) {
            // Quarkus tests load this class again for each restart (test profiles): the JVM-wide system property
            // finds the Keycloak an earlier class loader started, so it starts once per JVM.
            Object port = System.getProperties().get(SHARED_PORT_PROPERTY);
            if (port instanceof String p && (shared = attach(Integer.parseInt(p))) != null) {
                return shared;
            }
            KeycloakServer server = builder().workDir(Path.of("target", "keycloak")).build();
            server.start(startTimeout());
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "keycloak-stop"));
            System.getProperties().put(SHARED_PORT_PROPERTY, Integer.toString(server.port));
            shared = server;
        }
        return shared;
    }

    /**
     * How long {@link #shared()} waits: system property {@code keycloak.start-timeout} (ISO-8601 or seconds),
     * default 10 minutes. The first start augments Keycloak (measured 90 s at a load average of 25 on 2 cores).
     */
    public static Duration startTimeout() {
        String value = System.getProperty("keycloak.start-timeout", "600");
        return value.startsWith("P") ? Duration.parse(value) : Duration.ofSeconds(Long.parseLong(value));
    }

    /** A handle on a running Keycloak this instance does not own (close() leaves it running), or null. */
    private static KeycloakServer attach(int port) {
        KeycloakServer server = builder().port(port).workDir(Path.of("target", "keycloak"))
                .javaHome(Path.of(System.getProperty("java.home"))).build();
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(server.discoveryUrl())
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return null;
            }
            server.discovery = JSON.readTree(response.body());
            return server;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Unpacks the distribution if needed, imports the realm and waits until its discovery document answers. */
    public synchronized KeycloakServer start(Duration timeout) {
        if (process != null && process.isAlive()) {
            return this;
        }
        Path home = unpack(distributionZip(), workDir);
        prepareData(home);
        // Port 0: Keycloak binds a free port and says which in its log. The hostname is then the host alone: the
        // port comes from the request, and every client (all on 127.0.0.1) sees the same token issuer, whichever
        // host name it used. A fixed port (the local run's) fixes the whole front-end URL.
        List<String> command = new ArrayList<>(List.of(home.resolve("bin").resolve("kc.sh").toString(),
                "start-dev", "--http-host", "127.0.0.1", "--http-port", Integer.toString(port),
                "--hostname", port == 0 ? "127.0.0.1" : baseUrl().toString(), "--import-realm"));
        process = ChildProcess.start("Keycloak", command, env -> {
            env.put("JAVA_HOME", javaHome.toString());
            env.put("PATH", javaHome.resolve("bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
            env.put("KC_BOOTSTRAP_ADMIN_USERNAME", adminUser);
            env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
            // Small enough to sit beside the services on a 2-core CI machine.
            env.putIfAbsent("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
            env.remove("JAVA_OPTS");
            env.remove("JAVA_TOOL_OPTIONS");
        }, log);
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            port = process.awaitListeningPort(deadline);
            discovery = JSON.readTree(process.awaitOk(discoveryUrl(), deadline));
        } catch (RuntimeException | IOException e) {
            close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        return this;
    }

    private void prepareData(Path home) {
        try {
            Path data = home.resolve("data");
            if (!keepData) {
                // start-dev keeps users, sessions and the realm in H2 under data/h2: a clean start re-imports.
                deleteTree(data.resolve("h2"));
            }
            Path importDir = data.resolve("import");
            Files.createDirectories(importDir);
            try (InputStream realm = resource("idp/licensing-realm.json")) {
                Files.copy(realm, importDir.resolve("licensing-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.createDirectories(log.getParent());
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The realm's issuer ({@code iss} of its tokens), also quarkus-oidc's {@code auth-server-url}. */
    public String issuer() {
        return discovery().path("issuer").asText();
    }

    public URI jwksUrl() {
        return URI.create(discovery().path("jwks_uri").asText());
    }

    public URI tokenEndpoint() {
        return URI.create(discovery().path("token_endpoint").asText());
    }

    public URI authorizationEndpoint() {
        return URI.create(discovery().path("authorization_endpoint").asText());
    }

    public URI endSessionEndpoint() {
        return URI.create(discovery().path("end_session_endpoint").asText());
    }

    public URI discoveryUrl() {
        return baseUrl().resolve("/realms/" + REALM + "/.well-known/openid-configuration");
    }

    public String adminUser() {
        return adminUser;
    }

    public String adminPassword() {
        return adminPassword;
    }

    /** The kc.sh process id (-1 for a handle on a Keycloak started by another class loader). */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /**
     * The environment a service (issuer, notification service) needs to trust this realm's tokens with the given
     * audience: SmallRye JWT's public-key location (the JWKS), issuer and audience.
     */
    public Map<String, String> jwtTrustEnv(String audience) {
        return Map.of("MP_JWT_VERIFY_PUBLICKEY_LOCATION", jwksUrl().toString(),
                "MP_JWT_VERIFY_ISSUER", issuer(),
                "MP_JWT_VERIFY_AUDIENCES", audience);
    }

    /** An access token of a client-credentials client, e.g. {@link #SEED_CLIENT_ID} for seeding demo data. */
    public String clientCredentialsToken(String clientId, String clientSecret) {
        String basic = Base64.getEncoder().encodeToString(
                (enc(clientId) + ":" + enc(clientSecret)).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint()).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("token request for " + clientId + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body()).path("access_token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The seed client's access token (groups of the admin role, aud license-issuer and notification-service). */
    public String seedToken() {
        return clientCredentialsToken(SEED_CLIENT_ID, SEED_CLIENT_SECRET);
    }

    /** Stops kc.sh and the JVM it started (the whole process tree), SIGTERM then SIGKILL after 20 s. */
    @Override
    public synchronized void close() {
        if (process != null) {
            process.stop(Duration.ofSeconds(20));
            process = null;
        }
    }

    /** The last lines of this start's log. */
    public String tail(int lines) {
        return process == null ? "" : process.tail(lines);
    }

    private JsonNode discovery() {
        if (discovery == null) {
            throw new IllegalStateException("Keycloak is not started");
        }
        return discovery;
    }

    // --- distribution ---

    /** The Keycloak version test-support was built with (from its pom). */
    public static String version() {
        try (InputStream in = resource("idp/keycloak.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("keycloak.version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The distribution zip in the local Maven repository: system property {@code keycloak.dist.zip} (the root pom
     * sets it for surefire and failsafe from {@code settings.localRepository}), else {@code maven.repo.local}, else
     * {@code ~/.m2/repository}.
     */
    public static Path distributionZip() {
        String version = version();
        String explicit = System.getProperty("keycloak.dist.zip");
        Path zip;
        if (explicit != null && !explicit.isBlank()) {
            zip = Path.of(explicit);
        } else {
            Path repo = Path.of(System.getProperty("maven.repo.local",
                    Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));
            zip = repo.resolve(Path.of("org", "keycloak", "keycloak-quarkus-dist", version,
                    "keycloak-quarkus-dist-" + version + ".zip"));
        }
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("The Keycloak distribution " + zip + " is missing. Maven fetches it "
                    + "from Maven Central when it builds test-support (./mvnw -B -pl test-support install "
                    + "-DskipTests, without -o the first time), or: ./mvnw -B dependency:get "
                    + "-Dartifact=org.keycloak:keycloak-quarkus-dist:" + version + ":zip -Dtransitive=false");
        }
        return zip;
    }

    /** Unpacks once per work directory and version; a marker file says the unpacking finished. */
    static Path unpack(Path zip, Path workDir) {
        String version = version();
        Path home = workDir.resolve("keycloak-" + version);
        Path marker = workDir.resolve(".unpacked-" + version);
        if (Files.exists(marker) && Files.isRegularFile(home.resolve("bin").resolve("kc.sh"))) {
            return home;
        }
        try {
            Files.createDirectories(workDir);
            deleteTree(home);
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                    Path target = workDir.resolve(entry.getName()).normalize();
                    if (!target.startsWith(workDir)) {
                        throw new IOException("zip entry outside the target: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            if (!Files.isDirectory(home)) {
                throw new IllegalStateException(zip + " has no folder keycloak-" + version);
            }
            // java.util.zip drops the Unix modes: the scripts must be executable.
            try (Stream<Path> scripts = Files.list(home.resolve("bin"))) {
                scripts.filter(p -> p.toString().endsWith(".sh")).forEach(p -> p.toFile().setExecutable(true));
            }
            Files.writeString(marker, zip.toString());
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException("could not unpack " + zip, e);
        }
    }

    // --- JDK ---

    /**
     * A JDK that can run Keycloak 26 (21 or newer): env {@code KEYCLOAK_JAVA_HOME}, else this JVM when it is new
     * enough, else the newest under {@code /usr/lib/jvm} (by its {@code release} file).
     *
     * @throws IllegalStateException naming what to install when none is found
     */
    public static Path findJavaHome() {
        String explicit = System.getenv("KEYCLOAK_JAVA_HOME");
        if (explicit != null && !explicit.isBlank()) {
            Path home = Path.of(explicit);
            int major = javaMajor(home);
            if (major < 21) {
                throw new IllegalStateException("KEYCLOAK_JAVA_HOME=" + explicit + " is "
                        + (major < 0 ? "not a JDK (no release file or bin/java)" : "Java " + major)
                        + ": Keycloak 26 needs Java 21 or newer");
            }
            return home;
        }
        Path current = Path.of(System.getProperty("java.home"));
        if (javaMajor(current) >= 21) {
            return current;
        }
        List<Path> candidates = new ArrayList<>();
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> dirs = Files.list(jvms)) {
                dirs.filter(Files::isDirectory).filter(d -> !Files.isSymbolicLink(d)).forEach(candidates::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return candidates.stream().filter(d -> javaMajor(d) >= 21)
                .max(Comparator.comparingInt(KeycloakServer::javaMajor))
                .orElseThrow(() -> new IllegalStateException("No JDK 21 or newer found for Keycloak 26 (looked at env "
                        + "KEYCLOAK_JAVA_HOME, this JVM (Java " + Runtime.version().feature() + ") and /usr/lib/jvm/*"
                        + "). Install one, e.g. Temurin 21 or 25 (apt package temurin-25-jdk from the Adoptium "
                        + "repository) or openjdk-21-jdk-headless where the distribution has it, or point "
                        + "KEYCLOAK_JAVA_HOME at one."));
    }

    /** The feature version in {@code <home>/release} ({@code JAVA_VERSION="25.0.3"}), or -1. */
    static int javaMajor(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin").resolve("java"))) {
            return -1;
        }
        try (InputStream in = Files.newInputStream(release)) {
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("JAVA_VERSION", "").replace("\"", "");
            String first = version.split("[.+-]")[0];
            int major = Integer.parseInt(first);
            return major == 1 ? Integer.parseInt(version.split("\\.")[1]) : major;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    // --- helpers ---

    private static InputStream resource(String name) {
        InputStream in = KeycloakServer.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("test-support resource " + name + " is missing");
        }
        return in;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Port (0 = free), work directory (under target/) and whether to keep the H2 data of an earlier run. */
    public static final class Builder {
        private int port;
        private Path workDir = Path.of("target", "keycloak");
        private boolean keepData;
        private Path javaHome;

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder workDir(Path workDir) {
            this.workDir = workDir;
            return this;
        }

        public Builder keepData(boolean keepData) {
            this.keepData = keepData;
            return this;
        }

        public Builder javaHome(Path javaHome) {
            this.javaHome = javaHome;
            return this;
        }

        public KeycloakServer build() {
            return new KeycloakServer(this);
        }
    }
}
