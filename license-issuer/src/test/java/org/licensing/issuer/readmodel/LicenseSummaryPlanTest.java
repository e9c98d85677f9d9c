package org.licensing.issuer.readmodel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.licensing.testsupport.LocalBackends;

/**
 * Every documented filter and sort of the search is served by an index: at 100,000 summaries (2,000 customers, seeded
 * straight into PostgreSQL with generate_series, then ANALYZEd) the plan of the statement {@link LicenseSummaryStore}
 * sends holds no Seq Scan on license_summaries, with custom and with generic plans (a prepared statement switches to a
 * generic plan after five executions, so parameters must stay indexable). Plain JUnit on a database of its own.
 */
class LicenseSummaryPlanTest {

    private static final int LICENSES = 100_000;
    private static final int CUSTOMERS = 2_000;
    private static final String DB = "issuer_plans_" + Long.toHexString(System.nanoTime());
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
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO customers (id, name, external_id, status, created_at) SELECT"
                    + " md5('c' || i)::uuid, 'Customer ' || i || ' GmbH', 'crm-' || i, 'ACTIVE', now()"
                    + " FROM generate_series(1, " + CUSTOMERS + ") i");
            s.execute("INSERT INTO license_summaries (license_id, customer_id, customer_name, customer_external_id,"
                    + " product_code, product_name, policy_id, status, issued_at, not_before, expires_at, grace_days,"
                    + " limits, features, version, updated_at) SELECT md5('l' || i)::uuid::text,"
                    + " md5('c' || (i % " + CUSTOMERS + " + 1))::uuid, 'Customer ' || (i % " + CUSTOMERS + " + 1)"
                    + " || ' GmbH', 'crm-' || (i % " + CUSTOMERS + " + 1), 'product-' || (i % 20),"
                    + " 'Product ' || (i % 20), md5('p' || (i % 200))::uuid,"
                    + " CASE WHEN i % 50 = 0 THEN 'REVOKED' WHEN i % 20 = 0 THEN 'SUSPENDED' ELSE 'ACTIVE' END,"
                    + " now() - make_interval(mins => i), now() - make_interval(mins => i),"
                    + " now() + make_interval(days => i % 730, secs => i), 14,"
                    + " CASE WHEN i % 2 = 0 THEN jsonb_build_object('cuda.device', i % 16, 'cuda.shares',"
                    + " (i % 10) / 4.0) ELSE jsonb_build_object('nodes', i % 8) END,"
                    + " jsonb_build_object('sso', i % 3 = 0), 1, now() FROM generate_series(1, " + LICENSES + ") i");
            s.execute("VACUUM ANALYZE license_summaries");
            s.execute("ANALYZE customers");
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

    private static LicenseSearch search(Map<String, List<String>> query) {
        SearchParams p = new SearchParams();
        p.q = first(query, "q");
        p.status = query.get("status");
        p.productCode = first(query, "productCode");
        p.policyId = first(query, "policyId");
        p.customerId = first(query, "customerId");
        p.expiresAfter = first(query, "expiresAfter");
        p.expiresBefore = first(query, "expiresBefore");
        p.issuedAfter = first(query, "issuedAfter");
        p.issuedBefore = first(query, "issuedBefore");
        p.minLimit = query.get("minLimit");
        p.sort = first(query, "sort");
        p.order = first(query, "order");
        return LicenseSearch.parse(p, query);
    }

    private static String first(Map<String, List<String>> query, String name) {
        return query.containsKey(name) ? query.get(name).get(0) : null;
    }

    /** The searches of the README, one per filter and per sort and order (first pages and later ones). */
    private static Map<String, Map<String, List<String>>> searches() {
        String customer = UUID.nameUUIDFromBytes(new byte[0]).toString();
        Map<String, Map<String, List<String>>> m = new LinkedHashMap<>();
        for (String sort : List.of("expiresAt", "issuedAt", "customerName")) {
            for (String order : List.of("asc", "desc")) {
                m.put("sort " + sort + " " + order, Map.of("sort", List.of(sort), "order", List.of(order)));
            }
        }
        m.put("q name", Map.of("q", List.of("customer 1234 gm")));
        m.put("q license id prefix", Map.of("q", List.of("3f2a")));
        m.put("q external id prefix", Map.of("q", List.of("CRM-123")));
        m.put("status", Map.of("status", List.of("SUSPENDED")));
        m.put("statuses", Map.of("status", List.of("SUSPENDED", "REVOKED"), "sort", List.of("issuedAt")));
        m.put("productCode", Map.of("productCode", List.of("product-7")));
        m.put("policyId", Map.of("policyId", List.of(md5Uuid("p17"))));
        m.put("customerId", Map.of("customerId", List.of(md5Uuid("c42"))));
        m.put("customerId by name", Map.of("customerId", List.of(customer), "sort", List.of("customerName")));
        m.put("expiresBefore", Map.of("expiresBefore", List.of(Instant.now().plusSeconds(86_400 * 30).toString())));
        m.put("expiresAfter", Map.of("expiresAfter", List.of(Instant.now().plusSeconds(86_400 * 700).toString()),
                "order", List.of("desc")));
        m.put("issuedAfter", Map.of("issuedAfter", List.of(Instant.now().minusSeconds(3_600).toString()),
                "sort", List.of("issuedAt")));
        m.put("issuedBefore", Map.of("issuedBefore", List.of(Instant.now().minusSeconds(60L * 90_000).toString())));
        m.put("minLimit", Map.of("minLimit", List.of("cuda.device:15")));
        m.put("minLimit decimal", Map.of("minLimit", List.of("cuda.shares:2.25"), "sort", List.of("issuedAt")));
        m.put("finance quarter", Map.of("status", List.of("ACTIVE"), "expiresBefore",
                List.of(Instant.now().plusSeconds(86_400 * 90).toString()), "productCode", List.of("product-3")));
        return m;
    }

    private static String md5Uuid(String text) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("MD5").digest(text.getBytes());
            String hex = java.util.HexFormat.of().formatHex(d);
            return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                    + hex.substring(16, 20) + "-" + hex.substring(20);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everySearchPageAndEveryPortalSearchUsesAnIndex() throws SQLException {
        List<String> seqScans = new ArrayList<>();
        UUID portal = UUID.fromString(md5Uuid("c7"));
        for (Map.Entry<String, Map<String, List<String>>> e : searches().entrySet()) {
            LicenseSearch s = search(e.getValue());
            SearchCursor later = new SearchCursor("", "7", switch (s.sort()) {
                case customerName -> "Customer 1500 GmbH";
                default -> Instant.now().plusSeconds(86_400 * 200).toString();
            });
            check(e.getKey(), LicenseSummaryStore.pageQuery(s, null, null, 51), seqScans);
            check(e.getKey() + ", a later page", LicenseSummaryStore.pageQuery(s, null, later, 51), seqScans);
            check(e.getKey() + ", portal", LicenseSummaryStore.pageQuery(s, portal, null, 51), seqScans);
            check(e.getKey() + ", export page", LicenseSummaryStore.pageQuery(s, null, later, 500), seqScans);
        }
        assertTrue(seqScans.isEmpty(), "Seq Scan on license_summaries:\n" + String.join("\n\n", seqScans));
    }

    /**
     * Stats count every matching row, so a filter matching most of the table is rightly a sequential scan; a selective
     * one is not. Custom plans only: a generic plan cannot know how selective a status or a date is (and the reactive
     * client's statements are not cached by default, so each gets a custom plan).
     */
    @Test
    void selectiveStatsUseAnIndex() throws SQLException {
        List<String> seqScans = new ArrayList<>();
        List<String> custom = List.of("force_custom_plan");
        for (String name : List.of("productCode", "customerId", "policyId", "expiresBefore", "status", "q name")) {
            check("stats " + name, LicenseSummaryStore.statsQuery(search(searches().get(name)), null, Instant.now()),
                    seqScans, custom);
        }
        check("portal stats", LicenseSummaryStore.statsQuery(search(Map.of()), UUID.fromString(md5Uuid("c9")),
                Instant.now()), seqScans);
        assertTrue(seqScans.isEmpty(), "Seq Scan on license_summaries:\n" + String.join("\n\n", seqScans));
    }

    private static void check(String name, LicenseSummaryStore.Sql sql, List<String> seqScans) throws SQLException {
        check(name, sql, seqScans, List.of("force_custom_plan", "force_generic_plan"));
    }

    /** Explains the statement as a prepared statement, in each plan cache mode given. */
    private static void check(String name, LicenseSummaryStore.Sql sql, List<String> seqScans, List<String> modes)
            throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("PREPARE q AS " + sql.text());
            String args = sql.params().stream().map(LicenseSummaryPlanTest::literal)
                    .collect(Collectors.joining(", "));
            for (String mode : modes) {
                s.execute("SET plan_cache_mode = " + mode);
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = s.executeQuery("EXPLAIN EXECUTE q" + (args.isEmpty() ? "" : "(" + args + ")"))) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
                assertFalse(plan.isEmpty());
                if (plan.toString().contains("Seq Scan on license_summaries")) {
                    seqScans.add(name + " (" + mode + "):\n" + plan);
                }
            }
        }
    }

    private static String literal(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof Number) {
            return v.toString();
        }
        if (v instanceof String[] array) {
            return "ARRAY[" + java.util.Arrays.stream(array).map(LicenseSummaryPlanTest::quote)
                    .collect(Collectors.joining(", ")) + "]";
        }
        if (v instanceof OffsetDateTime || v instanceof UUID || v instanceof String) {
            return quote(v.toString());
        }
        throw new IllegalArgumentException(v.getClass().getName());
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
