package org.licensing.issuer.readmodel;

import static org.licensing.issuer.support.Api.admin;
import static org.licensing.issuer.support.Api.as;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.licensing.testsupport.LocalBackends;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * Set-up and reads for the read-model tests: catalog through the API, and plain JDBC on the harness' PostgreSQL
 * (the service's own database) to look at what the service wrote or to stage what a crash would leave.
 */
public final class ReadModelFixtures {

    private ReadModelFixtures() {
    }

    public static Connection db() throws SQLException {
        return DriverManager.getConnection(LocalBackends.shared().jdbcUrl(), LocalBackends.DB_USER,
                LocalBackends.DB_PASSWORD);
    }

    /** Rows of a query as column -> value maps (values as PostgreSQL's text form). */
    public static List<Map<String, String>> rows(String sql, Object... params) {
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<Map<String, String>> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 1; i <= n; i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
                    }
                    out.add(row);
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static int update(String sql, Object... params) {
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String createCustomer(String name, String externalId) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name));
        if (externalId != null) {
            body.put("externalId", externalId);
        }
        return as(admin()).body(body).post("/v1/customers").then().statusCode(201).extract().path("id");
    }

    public static String createPolicy(String productCode, Map<String, Object> limits) {
        return as(admin()).body(Map.of("productCode", productCode, "name", "Annual", "durationDays", 365,
                "graceDays", 14, "maxActivations", 3, "maxDeactivationsPerDay", 5,
                "entitlements", Map.of("features", Map.of("sso", true), "limits", limits)))
                .post("/v1/policies").then().statusCode(201).extract().path("id");
    }

    public static JsonPath issue(String customerId, String policyId, Map<String, Object> overrides) {
        Map<String, Object> body = new HashMap<>(Map.of("customerId", customerId, "policyId", policyId));
        body.putAll(overrides);
        return as(admin()).body(body).post("/v1/licenses").then().statusCode(201).extract().jsonPath();
    }

    /**
     * The stats counters (V6: license_counts, license_expiry_days) against a count of the summaries themselves, in one
     * statement (one snapshot): every key whose counter differs from the rows, both ways. Empty when they agree.
     */
    public static List<Map<String, String>> countersOffBy() {
        return rows("""
                WITH actual AS (SELECT product_code, status, NULL::date AS expiry_day, count(*) AS n
                        FROM license_summaries GROUP BY product_code, status
                    UNION ALL SELECT product_code, status, (expires_at AT TIME ZONE 'UTC')::date, count(*)
                        FROM license_summaries WHERE status <> 'REVOKED' GROUP BY 1, 2, 3),
                kept AS (SELECT product_code, status, NULL::date AS expiry_day, licenses AS n FROM license_counts
                        WHERE licenses <> 0
                    UNION ALL SELECT product_code, status, expiry_day, licenses FROM license_expiry_days
                        WHERE licenses <> 0)
                SELECT coalesce(a.product_code, k.product_code) AS product_code, coalesce(a.status, k.status) AS status,
                    coalesce(a.expiry_day, k.expiry_day) AS expiry_day, a.n AS rows, k.n AS counted
                FROM actual a FULL JOIN kept k ON a.product_code = k.product_code AND a.status = k.status
                    AND a.expiry_day IS NOT DISTINCT FROM k.expiry_day
                WHERE a.n IS DISTINCT FROM k.n""");
    }

    /** Waits for the background rebuild to finish (the answer's state), at most a minute. */
    public static JsonPath awaitRebuild() throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            JsonPath progress = as(admin()).get("/v1/admin/read-model/rebuild").then().statusCode(200)
                    .extract().jsonPath();
            if (!"RUNNING".equals(progress.getString("state"))) {
                return progress;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the rebuild did not finish within a minute: " + progress.prettify());
            }
            Thread.sleep(100);
        }
    }

    /** Every license id of a search, following nextCursor; fails on a repeated id. */
    public static List<String> allIds(String token, Map<String, ?> params, int pageSize) {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            RequestSpecification req = as(token).queryParams(params).queryParam("limit", pageSize);
            if (cursor != null) {
                req.queryParam("cursor", cursor);
            }
            JsonPath page = req.get("/v1/licenses").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.licenseId"));
            cursor = page.getString("nextCursor");
            if (++pages > 10_000) {
                throw new AssertionError("pagination does not end");
            }
        } while (cursor != null);
        return seen;
    }
}
