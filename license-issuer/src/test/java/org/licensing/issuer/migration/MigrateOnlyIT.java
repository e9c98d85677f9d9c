package org.licensing.issuer.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.licensing.testsupport.Backend;
import org.licensing.testsupport.LocalBackends;
import org.licensing.testsupport.TestTokens;
import org.licensing.testsupport.process.ChildProcess;
import org.licensing.testsupport.process.PackagedService;

/**
 * The migrate-only start that the prod issuer pod runs as its init container (k8s/base/license-issuer.yaml), on the
 * packaged issuer over the harness' real PostgreSQL: with {@code QUARKUS_INIT_AND_EXIT=true} and Flyway's migration
 * on, the process migrates a fresh database as its owner (no signing key, idempotency secret or token key given, as
 * in the init container), sets the application role's password and exits 0 without ever listening on a port. Then
 * the serving start, migration off and only the application role's credentials, answers on that schema: a customer
 * is created and read back, and nothing was migrated by it.
 */
class MigrateOnlyIT {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theMigrateOnlyStartMigratesAndExitsAndTheServingStartUsesThatSchema() throws Exception {
        Path work = Path.of("target", "migrate-only-it").toAbsolutePath();
        Files.createDirectories(work);
        try (ScratchDatabase db = ScratchDatabase.create()) {
            String appRole = db.newRoleName();
            String appPassword = ScratchDatabase.newPassword();
            db.requirePasswordFor(appRole);

            // The init container: prod profile, the owner for Flyway, the app role only as the placeholders.
            Map<String, String> migrate = new HashMap<>();
            migrate.put("QUARKUS_PROFILE", "prod");
            migrate.put("QUARKUS_INIT_AND_EXIT", "true");
            migrate.put("QUARKUS_FLYWAY_MIGRATE_AT_START", "true");
            migrate.put("QUARKUS_FLYWAY_JDBC_URL", db.url());
            migrate.put("QUARKUS_FLYWAY_USERNAME", db.owner());
            migrate.put("QUARKUS_FLYWAY_PASSWORD", db.ownerPassword());
            migrate.put("QUARKUS_FLYWAY_PLACEHOLDERS_APP_USER", appRole);
            migrate.put("QUARKUS_FLYWAY_PLACEHOLDERS_APP_PASSWORD", appPassword);
            migrate.put("QUARKUS_DATASOURCE_JDBC_URL", db.url());
            migrate.put("QUARKUS_DATASOURCE_REACTIVE_URL", db.url().substring("jdbc:".length()));
            migrate.put("QUARKUS_HTTP_HOST", "127.0.0.1");
            migrate.put("QUARKUS_HTTP_PORT", "0");
            migrate.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
            // the issuer's ConfigMap reaches the init container too, naming keys that are not mounted there
            migrate.put("LICENSING_SIGNING_ACTIVE_KID", "license-1");
            migrate.put("LICENSING_SIGNING_KEY_DIRECTORY", work.resolve("no-keys-here").toString());
            migrate.put("MP_JWT_VERIFY_ISSUER", "https://issuer.invalid");
            migrate.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", work.resolve("no-jwt-key-here.pem").toString());
            ChildProcess job = ChildProcess.start("license-issuer-migrate",
                    ChildProcess.javaJar(PackagedService.jar("license-issuer")), env -> env.putAll(migrate),
                    work.resolve("migrate.log"));
            int exit = job.waitFor(START_TIMEOUT);
            String output = job.output();
            assertEquals(0, exit, "the migrate-only start failed:\n" + job.tail(60));
            assertFalse(output.contains("Listening on"), "the migrate-only start served HTTP:\n" + job.tail(60));
            assertTrue(output.contains("afterMigrate"), "the callback that sets the role's password ran");
            assertFalse(output.contains(appPassword), "the application role's password is in the log");
            assertFalse(output.contains(db.ownerPassword()), "the owner's password is in the log");
            List<String> applied = appliedVersions(db);
            assertEquals(migrationVersions(), applied, "every migration of db/migration, applied by the owner");

            // The serving start: the application role only (the password the init container set), no migration.
            Map<String, String> serve = new HashMap<>(PackagedService.envOf(
                    LocalBackends.shared().start(Backend.parse("dynamodb,postgres"))));
            serve.put("QUARKUS_FLYWAY_MIGRATE_AT_START", "false");
            serve.put("QUARKUS_DATASOURCE_USERNAME", appRole);
            serve.put("QUARKUS_DATASOURCE_PASSWORD", appPassword);
            serve.put("QUARKUS_DATASOURCE_JDBC_URL", db.url());
            serve.put("QUARKUS_DATASOURCE_REACTIVE_URL", db.url().substring("jdbc:".length()));
            serve.put("MP_JWT_VERIFY_PUBLICKEY", TestTokens.shared().publicKeyPem());
            serve.put("MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER);
            serve.put("MP_JWT_VERIFY_AUDIENCES", TestTokens.AUDIENCE);
            serve.put("LICENSING_READ_MODEL_RECONCILE_EVERY", "off");
            try (PackagedService issuer = PackagedService.of("license-issuer", serve, work).start(START_TIMEOUT)) {
                String admin = TestTokens.shared().builder().subject("migrate-it@vendor.example")
                        .roles("catalog:admin", "licenses:read").sign();
                String name = "Migrated Co " + System.nanoTime();
                HttpResponse<String> created = send(issuer.url().resolve("/v1/customers"), admin,
                        "{\"name\":\"" + name + "\"}");
                assertEquals(201, created.statusCode(), created.body());
                String location = created.headers().firstValue("Location").orElseThrow();
                HttpResponse<String> read = send(issuer.url().resolve(URI.create(location).getPath()), admin, null);
                assertEquals(200, read.statusCode(), read.body());
                assertTrue(read.body().contains(name), read.body());
                assertFalse(issuer.output().contains("Migrating schema"), "the serving start migrated");
            }
            assertEquals(applied, appliedVersions(db), "the serving start changed the migration history");
        }
    }

    /** The versions of {@code src/main/resources/db/migration}, in order: what the owner must have applied. */
    private static List<String> migrationVersions() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src", "main", "resources", "db", "migration"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .map(n -> n.substring(1, n.indexOf("__"))).sorted((a, b) -> Integer.compare(Integer.parseInt(a),
                            Integer.parseInt(b))).toList();
        }
    }

    private static List<String> appliedVersions(ScratchDatabase db) throws Exception {
        List<String> versions = new ArrayList<>();
        try (Connection c = db.connectAsOwner(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version FROM flyway_schema_history WHERE success"
                        + " AND version IS NOT NULL ORDER BY installed_rank")) {
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
        }
        return versions;
    }

    private static HttpResponse<String> send(URI url, String token, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
        if (json != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
