package org.licensing.issuer.migration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.licensing.testsupport.LocalBackends;

/**
 * A fresh database on the test harness' PostgreSQL (the embedded one, or the container), for migrations that must
 * not touch the services' shared {@code postgres} database, plus the roles a test creates. Dropped, roles too, on
 * {@link #close()}.
 *
 * <p>Its owner is a role of its own, like Aurora's master user: {@code CREATEROLE}, owner of the database, not a
 * superuser (a superuser passes every privilege check, so the migration would prove nothing about what it needs).
 *
 * <p>Its schema {@code public} starts as before PostgreSQL 15 ({@code CREATE} granted to {@code PUBLIC}), so a test
 * sees the migration take that away. Password checks: the embedded server trusts every local connection (no
 * password asked), so {@link #requirePasswordFor} puts a {@code scram-sha-256} line for the test's role in front of
 * its {@code pg_hba.conf} (restored on close); a container's server asks for passwords already.
 */
final class ScratchDatabase implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String name;
    private final String url;
    private final String owner;
    private final String ownerPassword = newPassword();
    private final List<String> roles = new ArrayList<>();
    private Path hbaFile;
    private String hbaOriginal;

    private ScratchDatabase(String name, String url) {
        this.name = name;
        this.url = url;
        this.owner = "issuer_owner_" + random();
    }

    static ScratchDatabase create() throws SQLException {
        String name = "issuer_roles_" + random();
        String adminUrl = LocalBackends.shared().jdbcUrl();
        ScratchDatabase db = new ScratchDatabase(name, adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + name);
        try (Connection c = DriverManager.getConnection(adminUrl, LocalBackends.DB_USER, LocalBackends.DB_PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + db.owner + " LOGIN CREATEROLE PASSWORD '" + db.ownerPassword + "'");
            s.execute("CREATE DATABASE " + name + " OWNER " + db.owner);
        }
        try (Connection c = db.connectAsOwner(); Statement s = c.createStatement()) {
            s.execute("GRANT CREATE ON SCHEMA public TO PUBLIC");
        }
        return db;
    }

    /** The schema owner: Flyway's user. */
    String owner() {
        return owner;
    }

    String ownerPassword() {
        return ownerPassword;
    }

    /** A role name no other run uses; dropped on close (the test or the migration creates it). */
    String newRoleName() {
        String role = "issuer_app_" + random();
        roles.add(role);
        return role;
    }

    String url() {
        return url;
    }

    Connection connectAsOwner() throws SQLException {
        return DriverManager.getConnection(url, owner, ownerPassword);
    }

    /** The harness' superuser, in this database (what the owner may not do: reading pg_hba's location). */
    private Connection connectAsSuperuser() throws SQLException {
        return DriverManager.getConnection(url, LocalBackends.DB_USER, LocalBackends.DB_PASSWORD);
    }

    Connection connect(String user, String password) throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** Makes the server check this role's password (see the class comment). */
    void requirePasswordFor(String role) throws SQLException {
        String file;
        try (Connection c = connectAsSuperuser(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW hba_file")) {
            rs.next();
            file = rs.getString(1);
        }
        Path path = Path.of(file);
        if (!Files.isWritable(path)) {
            return; // not this JVM's server (a container): it asks for passwords on TCP connections already
        }
        try {
            if (hbaOriginal == null) {
                hbaFile = path;
                hbaOriginal = Files.readString(path);
            }
            Files.writeString(path, "host all " + role + " all scram-sha-256\n" + Files.readString(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        reloadConfiguration();
    }

    private void reloadConfiguration() throws SQLException {
        try (Connection c = connectAsSuperuser(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_reload_conf()");
        }
    }

    /** Whether a role of that name exists (roles are cluster-wide). */
    boolean roleExists(String role) throws SQLException {
        try (Connection c = connectAsOwner();
                var ps = c.prepareStatement("SELECT count(*) FROM pg_roles WHERE rolname = ?")) {
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        }
    }

    @Override
    public void close() throws Exception {
        String adminUrl = LocalBackends.shared().jdbcUrl();
        try (Connection c = DriverManager.getConnection(adminUrl, LocalBackends.DB_USER, LocalBackends.DB_PASSWORD);
                Statement s = c.createStatement()) {
            // the database holds the roles' grants and default privileges: it goes first, then the roles can
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            for (String role : roles) {
                s.execute("DROP ROLE IF EXISTS " + role);
            }
            s.execute("DROP ROLE IF EXISTS " + owner);
        } finally {
            if (hbaOriginal != null) {
                Files.writeString(hbaFile, hbaOriginal);
                try (Connection c = DriverManager.getConnection(adminUrl, LocalBackends.DB_USER,
                        LocalBackends.DB_PASSWORD); Statement s = c.createStatement()) {
                    s.execute("SELECT pg_reload_conf()");
                }
            }
        }
    }

    private static String random() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static String newPassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
