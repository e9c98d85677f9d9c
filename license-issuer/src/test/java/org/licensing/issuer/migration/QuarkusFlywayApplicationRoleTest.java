package org.licensing.issuer.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.resource.LoadableResource;
import org.junit.jupiter.api.Test;
import org.licensing.testsupport.LocalBackends;
import org.licensing.testsupport.ServiceTest;

/**
 * The service's own Flyway, as Quarkus built it: Quarkus lists the files of db/migration at build time and gives Flyway
 * only those (no class-path scanning at run time), so this checks that the SQL callback afterMigrate.sql is among
 * them and runs, and that the placeholders reach Flyway with their defaults (tests and local runs: one user).
 */
@ServiceTest
class QuarkusFlywayApplicationRoleTest {

    @Inject
    Flyway flyway;

    @Test
    void theServicesFlywayHasTheCallbackAndThePlaceholders() {
        List<String> files = flyway.getConfiguration().getResourceProvider().getResources("", new String[] {".sql"}).stream()
                .map(LoadableResource::getFilename).sorted().toList();
        // sorted as text: V10 and V11 come before V1
        assertEquals(List.of("V10__customer_updates.sql", "V11__license_status_history.sql",
                "V1__catalog_and_audit.sql", "V2__audit_reason.sql",
                "V3__application_role.sql", "V4__license_summaries.sql", "V5__policy_checkouts.sql",
                "V6__read_model_at_scale.sql", "V7__usage_reports.sql", "V8__events.sql", "V9__audit_search.sql",
                "afterMigrate.sql"), files);
        // defaults: the service's own datasource user, here also Flyway's (one user), so no role is made
        Map<String, String> placeholders = flyway.getConfiguration().getPlaceholders();
        assertEquals(LocalBackends.DB_USER, placeholders.get("app_user"), placeholders.keySet().toString());
        assertEquals(LocalBackends.DB_PASSWORD, placeholders.get("app_password"));
        // the start migrated the shared database with them: V3 ran and granted nothing
        // compared as versions, not as text ("10" sorts before "3")
        assertTrue(flyway.info().current().getVersion().compareTo(MigrationVersion.fromVersion("3")) >= 0);
    }

    @Test
    void theServicesFlywayCreatesTheRoleAndSetsItsPasswordOnEveryStart() throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create()) {
            String role = db.newRoleName();
            String first = ScratchDatabase.newPassword();
            db.requirePasswordFor(role);
            assertEquals(11, start(db, role, first).migrationsExecuted);
            ApplicationRoleMigrationTest.assertDmlOnly(db, role, first);

            String second = ScratchDatabase.newPassword();
            assertEquals(0, start(db, role, second).migrationsExecuted);
            ApplicationRoleMigrationTest.assertSqlState(ApplicationRoleMigrationTest.BAD_PASSWORD,
                    () -> db.connect(role, first).close());
            ApplicationRoleMigrationTest.assertDmlOnly(db, role, second);
        }
    }

    /** The service's Flyway configuration (its resources included), pointed at {@code db} with the role's secret. */
    private MigrateResult start(ScratchDatabase db, String appUser, String appPassword) {
        Map<String, String> placeholders = new HashMap<>(flyway.getConfiguration().getPlaceholders());
        placeholders.put("app_user", appUser);
        placeholders.put("app_password", appPassword);
        return Flyway.configure()
                .configuration(flyway.getConfiguration())
                .dataSource(db.url(), db.owner(), db.ownerPassword())
                .placeholders(placeholders)
                .load()
                .migrate();
    }
}
