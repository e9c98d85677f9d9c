package org.licensing.testsupport.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.licensing.testsupport.LocalBackends;

/**
 * Seeds the issuer's read model straight into the harness PostgreSQL for benchmarks: {@code customers} customers
 * ("Customer i GmbH", {@code crm-i}) and {@code licenses} license summaries spread evenly over them, 20 products,
 * about 5 % SUSPENDED and 2 % REVOKED, expiries over the next two years, GPU or node limits. One
 * {@code generate_series} statement each, so a million rows take minutes, not hours. Search, stats and export read
 * only the read model (the stats counters are filled by its trigger), so no DynamoDB record is written: a benchmark
 * that opens a single license issues it through the API instead.
 */
public final class ReadModelSeed {

    private ReadModelSeed() {
    }

    /** {@link #seed(String, int, int)} into the harness database (the one the issuer of a benchmark uses). */
    public static void seed(int licenses, int customers) throws SQLException {
        seed(LocalBackends.shared().jdbcUrl(), licenses, customers);
    }

    /**
     * Inserts the rows into the migrated database at {@code jdbcUrl} (existing ids are kept) and analyses both
     * tables, so plans see the real distribution.
     */
    public static void seed(String jdbcUrl, int licenses, int customers) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, LocalBackends.DB_USER, LocalBackends.DB_PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO customers (id, name, external_id, status, created_at, updated_at) SELECT"
                    + " md5('c' || i)::uuid, 'Customer ' || i || ' GmbH', 'crm-' || i, 'ACTIVE', now(), now()"
                    + " FROM generate_series(1, " + customers + ") i ON CONFLICT DO NOTHING");
            s.execute("INSERT INTO license_summaries (license_id, customer_id, customer_name, customer_external_id,"
                    + " product_code, product_name, policy_id, status, issued_at, not_before, expires_at, grace_days,"
                    + " limits, features, version, updated_at) SELECT md5('l' || i)::uuid::text,"
                    + " md5('c' || (i % " + customers + " + 1))::uuid, 'Customer ' || (i % " + customers + " + 1)"
                    + " || ' GmbH', 'crm-' || (i % " + customers + " + 1), 'product-' || (i % 20),"
                    + " 'Product ' || (i % 20), md5('p' || (i % 200))::uuid,"
                    + " CASE WHEN i % 50 = 0 THEN 'REVOKED' WHEN i % 20 = 0 THEN 'SUSPENDED' ELSE 'ACTIVE' END,"
                    + " now() - make_interval(mins => i), now() - make_interval(mins => i),"
                    + " now() + make_interval(days => i % 730, secs => i), 14,"
                    + " CASE WHEN i % 2 = 0 THEN jsonb_build_object('cuda.device', i % 16, 'cuda.shares',"
                    + " (i % 10) / 4.0) ELSE jsonb_build_object('nodes', i % 8) END,"
                    + " jsonb_build_object('sso', i % 3 = 0), 1, now() FROM generate_series(1, " + licenses + ") i"
                    + " ON CONFLICT DO NOTHING");
            s.execute("VACUUM ANALYZE license_summaries");
            s.execute("ANALYZE customers");
        }
    }

    /** The id of seeded customer {@code i} (1-based), as the seed derives it. */
    public static UUID customerId(int i) {
        return md5Uuid("c" + i);
    }

    /** PostgreSQL's {@code md5(text)::uuid}. */
    public static UUID md5Uuid(String text) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("MD5")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            long hi = 0;
            long lo = 0;
            for (int i = 0; i < 8; i++) {
                hi = (hi << 8) | (d[i] & 0xff);
                lo = (lo << 8) | (d[i + 8] & 0xff);
            }
            return new UUID(hi, lo);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
