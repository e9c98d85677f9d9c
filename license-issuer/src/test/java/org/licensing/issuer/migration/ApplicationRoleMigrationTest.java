package org.licensing.issuer.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

/**
 * The issuer's migrations (V3__application_role.sql, afterMigrate.sql) with Flyway's Java API, as the owner (not a
 * superuser, like Aurora's master user), on a fresh database of the test harness' PostgreSQL; then the application
 * role they create, over its own connection.
 * Plain JUnit: no Quarkus start. {@link QuarkusFlywayApplicationRoleTest} runs the same through the service's Flyway.
 */
class ApplicationRoleMigrationTest {

    static final List<String> CATALOG_TABLES = List.of("customers", "contacts", "products", "policies",
            "audit_events", "license_summaries", "read_model_rebuilds");
    /** insufficient_privilege */
    static final String DENIED = "42501";
    /** invalid_password */
    static final String BAD_PASSWORD = "28P01";

    @Test
    void theApplicationRoleReadsAndWritesTheCatalogAndNothingElse() throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create()) {
            String role = db.newRoleName();
            String password = ScratchDatabase.newPassword();
            db.requirePasswordFor(role);

            MigrateResult first = migrate(db, role, password);
            assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"), first.migrations.stream().map(m -> m.version).toList());

            assertDmlOnly(db, role, password);
            // later migrations' tables (created by the owner): the default privileges grant the same DML
            try (Connection owner = db.connectAsOwner(); Statement s = owner.createStatement()) {
                s.execute("CREATE TABLE later_table (id INTEGER PRIMARY KEY, note TEXT)");
                s.execute("CREATE SEQUENCE later_sequence");
            }
            try (Connection app = db.connect(role, password); Statement s = app.createStatement()) {
                assertEquals(1, s.executeUpdate("INSERT INTO later_table VALUES (1, 'a')"));
                assertEquals(1, s.executeUpdate("UPDATE later_table SET note = 'b'"));
                assertEquals(1, s.executeUpdate("DELETE FROM later_table"));
                try (ResultSet rs = s.executeQuery("SELECT nextval('later_sequence')")) {
                    assertTrue(rs.next());
                }
                assertDenied(s, "DROP TABLE later_table");
            }
            // the owner keeps it all; PUBLIC lost CREATE on the schema (granted to it before, as before PostgreSQL 15)
            try (Connection owner = db.connectAsOwner(); Statement s = owner.createStatement();
                    ResultSet rs = s.executeQuery("SELECT has_schema_privilege('public', 'public', 'CREATE'), "
                            + "rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = '" + role + "'")) {
                assertTrue(rs.next());
                assertFalse(rs.getBoolean(1), "PUBLIC may still create in schema public");
                assertFalse(rs.getBoolean(2) || rs.getBoolean(3) || rs.getBoolean(4), "the role has more than DML");
            }
        }
    }

    @Test
    void aRestartMigratesNothingAndAChangedPasswordTakesEffect() throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create()) {
            String role = db.newRoleName();
            String first = ScratchDatabase.newPassword();
            db.requirePasswordFor(role);
            migrate(db, role, first);
            // the server does check this role's password (else the rest proves nothing)
            assertSqlState(BAD_PASSWORD, () -> db.connect(role, "not-" + first).close());

            // restart, same secret: nothing to migrate, the callback runs again, the role works as before
            MigrateResult again = migrate(db, role, first);
            assertTrue(again.success);
            assertEquals(0, again.migrationsExecuted);
            assertDmlOnly(db, role, first);

            // restart after the secret was rotated: the new password works, the old one no longer does (quotes and
            // a backslash in it are taken literally)
            String second = ScratchDatabase.newPassword() + "'\"\\";
            MigrateResult rotated = migrate(db, role, second);
            assertEquals(0, rotated.migrationsExecuted);
            assertSqlState(BAD_PASSWORD, () -> db.connect(role, first).close());
            assertDmlOnly(db, role, second);
            // the migration history kept no trace of either password
            try (Connection owner = db.connectAsOwner(); Statement s = owner.createStatement();
                    ResultSet rs = s.executeQuery("SELECT string_agg(concat_ws(' ', description, script, checksum, "
                            + "installed_by), ' ') FROM flyway_schema_history")) {
                rs.next();
                assertFalse(rs.getString(1).contains(first) || rs.getString(1).contains(second), rs.getString(1));
            }
        }
    }

    @Test
    void oneUserForBothCreatesNoRoleAndRevokesNothing() throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create()) {
            // tests and local runs: empty placeholders (application.properties' defaults)
            assertEquals(11, migrate(db, "", "").migrationsExecuted);
            // the owner named as the application role (a dev cluster whose two Secrets hold the same user)
            assertEquals(0, migrate(db, db.owner(), db.ownerPassword()).migrationsExecuted);
            try (Connection owner = db.connectAsOwner(); Statement s = owner.createStatement();
                    ResultSet rs = s.executeQuery("SELECT has_schema_privilege('public', 'public', 'CREATE')")) {
                rs.next();
                assertTrue(rs.getBoolean(1), "a one-user database is left as it was");
            }

            // a role named later than V3 ran: the start fails, saying why, and without quoting the password
            String late = db.newRoleName();
            String password = ScratchDatabase.newPassword();
            FlywayException e = assertThrows(FlywayException.class, () -> migrate(db, late, password));
            String message = fullMessage(e);
            assertTrue(message.contains("application role \"" + late + "\" does not exist"), message);
            assertFalse(message.contains(password), "the password is in the error: " + message);
            assertFalse(db.roleExists(late));
        }
    }

    @Test
    void anEmptyPasswordForARoleFailsTheStart() throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create()) {
            String role = db.newRoleName();
            FlywayException e = assertThrows(FlywayException.class, () -> migrate(db, role, ""));
            assertTrue(fullMessage(e).contains("app_password is empty"), fullMessage(e));
        }
    }

    // ---- helpers (QuarkusFlywayApplicationRoleTest uses them too) -----------------------------------------------

    /** One start of the issuer against {@code db}: Flyway as the owner, with the two placeholders. */
    static MigrateResult migrate(ScratchDatabase db, String appUser, String appPassword) {
        return Flyway.configure()
                .dataSource(db.url(), db.owner(), db.ownerPassword())
                .locations("classpath:db/migration")
                .placeholders(Map.of("app_user", appUser, "app_password", appPassword))
                .load()
                .migrate();
    }

    /** The role may SELECT/INSERT/UPDATE/DELETE the catalog, create nothing, and not touch the Flyway history. */
    static void assertDmlOnly(ScratchDatabase db, String role, String password) throws SQLException {
        try (Connection app = db.connect(role, password); Statement s = app.createStatement()) {
            for (String table : CATALOG_TABLES) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                    assertTrue(rs.next(), table);
                }
            }
            try (PreparedStatement insert = app.prepareStatement(
                    "INSERT INTO products (code, name, created_at) VALUES (?, ?, now())")) {
                insert.setString(1, "role-check");
                insert.setString(2, "Role check");
                assertEquals(1, insert.executeUpdate());
            }
            assertEquals(1, s.executeUpdate("UPDATE products SET name = 'Role check 2' WHERE code = 'role-check'"));
            try (ResultSet rs = s.executeQuery("SELECT name FROM products WHERE code = 'role-check'")) {
                assertTrue(rs.next());
                assertEquals("Role check 2", rs.getString(1));
            }
            assertEquals(1, s.executeUpdate("DELETE FROM products WHERE code = 'role-check'"));
            // committing an audit event publishes its event (V8's trigger runs as this role: sequence, outbox)
            assertEquals(1, s.executeUpdate("INSERT INTO audit_events (id, occurred_at, actor, action, target_type,"
                    + " target_id, after_state, outcome) VALUES ('00000000-0000-4000-8000-00000000e001', now(),"
                    + " 'role-check', 'PRODUCT_CREATED', 'PRODUCT', 'role-check', '{\"code\": \"role-check\"}',"
                    + " 'COMMITTED')"));
            try (ResultSet rs = s.executeQuery("SELECT type FROM events WHERE id ="
                    + " '00000000-0000-4000-8000-00000000e001'")) {
                assertTrue(rs.next());
                assertEquals("product.created", rs.getString(1));
            }
            s.executeUpdate("DELETE FROM events WHERE id = '00000000-0000-4000-8000-00000000e001'");
            s.executeUpdate("DELETE FROM audit_events WHERE id = '00000000-0000-4000-8000-00000000e001'");

            assertDenied(s, "CREATE TABLE app_made (id INTEGER)");
            assertDenied(s, "ALTER TABLE products ADD COLUMN extra TEXT");
            assertDenied(s, "SELECT count(*) FROM flyway_schema_history");
            assertDenied(s, "UPDATE flyway_schema_history SET success = false");
            assertDenied(s, "DELETE FROM flyway_schema_history");
            assertDenied(s, "INSERT INTO flyway_schema_history (installed_rank) VALUES (99)");
        }
    }

    private static void assertDenied(Statement s, String sql) {
        assertSqlState(DENIED, () -> s.execute(sql));
    }

    interface Jdbc {
        void run() throws SQLException;
    }

    static void assertSqlState(String state, Jdbc call) {
        SQLException e = assertThrows(SQLException.class, call::run);
        assertEquals(state, e.getSQLState(), e.getMessage());
    }

    private static String fullMessage(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            out.append(t.getMessage()).append('\n');
        }
        return out.toString();
    }
}
