package org.licensing.issuer.readmodel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.licensing.testsupport.LocalBackends;
import org.licensing.testsupport.bench.ReadModelSeed;

/**
 * The status history's statement reads the audit log through an index that holds just what it counts, never the whole
 * log. Plain JUnit on a database of its own: the read model's 100,000 summaries (as {@link LicenseSummaryPlanTest};
 * {@code -Dhistory.plan.licenses=1000000} for the full size) and an audit log of three years behind them: an issue
 * event per license, suspensions and revocations as the summaries' statuses say, and two events per license that
 * change no status (a checkout, a usage report), so the status changes are a minority of the log as in production.
 * Prints the plans' execution times (EXPLAIN ANALYZE) as figures; it asserts the indexes, not the times.
 */
class StatusHistoryPlanTest {

    private static final int LICENSES = Integer.getInteger("history.plan.licenses", 100_000);
    private static final int CUSTOMERS = LICENSES / 50;
    private static final String DB = "issuer_history_" + Long.toHexString(System.nanoTime());
    private static final String STATUS_INDEX = "audit_events_license_status_changes";
    private static String url;

    @BeforeAll
    static void seed() throws SQLException {
        String admin = LocalBackends.shared().jdbcUrl();
        try (Connection c = DriverManager.getConnection(admin, LocalBackends.DB_USER, LocalBackends.DB_PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DB);
        }
        url = admin.substring(0, admin.lastIndexOf('/') + 1) + DB;
        Flyway.configure().dataSource(url, LocalBackends.DB_USER, LocalBackends.DB_PASSWORD)
                .locations("classpath:db/migration")
                .placeholders(Map.of("app_user", "", "app_password", "")).load().migrate();
        ReadModelSeed.seed(url, LICENSES, CUSTOMERS);
        try (Connection c = connect(); Statement s = c.createStatement()) {
            // per license, from its summary: issued 0-3 years ago; a status change a day later where it has one;
            // a checkout and a usage report (no status change) in between
            String event = "INSERT INTO audit_events (id, occurred_at, actor, action, target_type, target_id,"
                    + " customer_id, before_state, after_state, outcome, completed_at)"
                    + " SELECT gen_random_uuid(), t, 'seed', %s, 'LICENSE', license_id, customer_id::text, %s, %s,"
                    + " 'COMMITTED', t FROM (SELECT *, now() - make_interval(days => (hashtext(license_id) & 1023)"
                    + " + %d) AS t FROM license_summaries) s %s";
            // as big as a real license view (most of a kilobyte: ids, names, dates, entitlements)
            String state = "jsonb_build_object('licenseId', license_id, 'customerId', customer_id, 'customerName',"
                    + " customer_name, 'productCode', product_code, 'productName', product_name, 'policyId',"
                    + " policy_id, 'status', %s, 'issuedAt', issued_at, 'notBefore', not_before, 'expiresAt',"
                    + " expires_at, 'graceDays', grace_days, 'entitlements', jsonb_build_object('limits', limits,"
                    + " 'features', features), 'financeEmails', jsonb_build_array('ap@' || customer_id || '.example',"
                    + " 'finance@' || customer_id || '.example'), 'maxActivations', 3, 'heartbeatHours', 24,"
                    + " 'maxDeactivationsPerDay', 5, 'overagePercent', 0, 'activations', 2, 'version', version,"
                    + " 'updatedAt', updated_at)::text";
            // the log only: no outbox events (V8's publishing trigger) for these
            s.execute("SET session_replication_role = replica");
            s.execute(event.formatted("'LICENSE_ISSUED'", "NULL", state.formatted("'ACTIVE'"), 2, ""));
            s.execute(event.formatted("'LICENSE_CHECKED_OUT'", "NULL", "'{\"checkoutId\":1}'", 1, ""));
            s.execute(event.formatted("'LICENSE_USAGE_REPORTED'", "NULL", "'{\"report\":1}'", 1, ""));
            s.execute(event.formatted("CASE status WHEN 'SUSPENDED' THEN 'LICENSE_SUSPENDED' ELSE 'LICENSE_REVOKED'"
                    + " END", state.formatted("'ACTIVE'"), state.formatted("status"), 0, "WHERE status <> 'ACTIVE'"));
            s.execute("SET session_replication_role = DEFAULT");
            s.execute("VACUUM ANALYZE audit_events");
        }
    }

    @AfterAll
    static void drop() throws SQLException {
        try (Connection c = DriverManager.getConnection(LocalBackends.shared().jdbcUrl(), LocalBackends.DB_USER,
                LocalBackends.DB_PASSWORD); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(url, LocalBackends.DB_USER, LocalBackends.DB_PASSWORD);
    }

    @Test
    void everyVariantReadsItsIndexAndNotTheWholeLog() throws SQLException {
        UUID customer = ReadModelSeed.customerId(7);
        Instant now = Instant.now();
        record Variant(String name, LicenseSummaryStore.Sql sql, Set<String> indexes) {
        }
        List<Variant> variants = List.of(
                new Variant("all, 12 months", StatusHistoryStore.query(12, null, null, now), Set.of(STATUS_INDEX)),
                new Variant("all, 24 months", StatusHistoryStore.query(24, null, null, now), Set.of(STATUS_INDEX)),
                new Variant("product, 12 months", StatusHistoryStore.query(12, "product-3", null, now),
                        Set.of(STATUS_INDEX + "_by_product")),
                new Variant("portal, 12 months", StatusHistoryStore.query(12, null, customer, now),
                        Set.of("audit_events_by_customer", STATUS_INDEX)),
                new Variant("portal + product, 24 months", StatusHistoryStore.query(24, "product-3", customer, now),
                        Set.of("audit_events_by_customer", STATUS_INDEX)));
        List<String> wrong = new ArrayList<>();
        StringBuilder figures = new StringBuilder();
        for (Variant v : variants) {
            String plan = LicenseSummaryPlanTest.explain(url, v.sql(), "force_custom_plan",
                    "EXPLAIN (ANALYZE, BUFFERS)");
            Set<String> used = new java.util.TreeSet<>();
            Matcher m = Pattern.compile("(?:on|using) (audit_events_\\w+)").matcher(plan);
            while (m.find()) {
                used.add(m.group(1));
            }
            if (used.isEmpty() || !v.indexes().containsAll(used) || plan.contains("Seq Scan on audit_events")
                    || plan.contains("Seq Scan on license_summaries")) {
                wrong.add(v.name() + ": expected " + v.indexes() + ", used " + used + "\n" + plan);
            }
            Matcher time = Pattern.compile("Execution Time: ([0-9.]+) ms").matcher(plan);
            figures.append(String.format("%-30s %10s ms  %s%n", v.name(), time.find() ? time.group(1) : "?", used));
        }
        System.out.printf("status-history statement at %,d licenses (%s):%n%s", LICENSES,
                "./mvnw -pl license-issuer -am -Dtest=StatusHistoryPlanTest -Dhistory.plan.licenses=" + LICENSES
                        + " test", figures);
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /** How many of the seeded events are status changes (the index's share of the log), for the README. */
    @Test
    void theIndexHoldsTheStatusChangesOnly() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE action IN ('LICENSE_ISSUED',"
                        + " 'LICENSE_SUSPENDED', 'LICENSE_REINSTATED', 'LICENSE_REVOKED')), count(*),"
                        + " pg_relation_size('" + STATUS_INDEX + "') + pg_relation_size('" + STATUS_INDEX
                        + "_by_product'), pg_relation_size('audit_events')"
                        + " FROM audit_events")) {
            rs.next();
            System.out.printf("audit events: %,d, status changes %,d; V11 indexes %,d bytes, table %,d bytes%n",
                    rs.getLong(2), rs.getLong(1), rs.getLong(3), rs.getLong(4));
            assertTrue(rs.getLong(3) < rs.getLong(4) / 4, "the partial index is a small part of the log");
        }
    }
}
