package org.licensing.issuer.readmodel;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The statements the issuer sends for a search or its stats, for running them straight on PostgreSQL over JDBC (the
 * benchmark's baseline): the same text and parameters as {@link LicenseSummaryStore} builds, placeholders as JDBC's.
 */
public final class DirectStatements {

    private DirectStatements() {
    }

    /** The first page of the search in {@code queryString} (as sent to GET /v1/licenses), on {@code c}. */
    public static PreparedStatement page(Connection c, String queryString) throws SQLException {
        LicenseSearch s = parse(queryString);
        return prepare(c, LicenseSummaryStore.pageQuery(s, null, null, s.limit()));
    }

    /** The stats statement of {@code queryString} at {@code now}, on {@code c}. */
    public static PreparedStatement stats(Connection c, String queryString, Instant now) throws SQLException {
        return prepare(c, LicenseSummaryStore.statsQuery(parse(queryString), null, now));
    }

    /**
     * $n becomes ?, with the n-th parameter bound at each place it appears; a ? of the statement itself (the jsonpath
     * operator @?) is doubled, pgjdbc's escape for a literal one.
     */
    private static PreparedStatement prepare(Connection c, LicenseSummaryStore.Sql sql) throws SQLException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$(\\d+)")
                .matcher(sql.text().replace("?", "??"));
        List<Object> bound = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        while (m.find()) {
            bound.add(sql.params().get(Integer.parseInt(m.group(1)) - 1));
            m.appendReplacement(text, "?");
        }
        m.appendTail(text);
        PreparedStatement ps = c.prepareStatement(text.toString());
        for (int i = 0; i < bound.size(); i++) {
            Object v = bound.get(i);
            ps.setObject(i + 1, v instanceof String[] a ? c.createArrayOf("text", a) : v);
        }
        return ps;
    }

    static LicenseSearch parse(String queryString) {
        Map<String, List<String>> q = new LinkedHashMap<>();
        for (String pair : queryString.isEmpty() ? new String[0] : queryString.split("&")) {
            int eq = pair.indexOf('=');
            q.computeIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    k -> new ArrayList<>()).add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return search(q);
    }

    /** The search the resource would make of these query parameters (names and values as sent). */
    static LicenseSearch search(Map<String, List<String>> q) {
        SearchParams p = new SearchParams();
        p.q = first(q, "q");
        p.status = q.get("status");
        p.productCode = first(q, "productCode");
        p.policyId = first(q, "policyId");
        p.customerId = first(q, "customerId");
        p.expiresAfter = first(q, "expiresAfter");
        p.expiresBefore = first(q, "expiresBefore");
        p.issuedAfter = first(q, "issuedAfter");
        p.issuedBefore = first(q, "issuedBefore");
        p.minLimit = q.get("minLimit");
        p.sort = first(q, "sort");
        p.order = first(q, "order");
        p.limit = first(q, "limit");
        return LicenseSearch.parse(p, q);
    }

    private static String first(Map<String, List<String>> q, String name) {
        return q.containsKey(name) ? q.get(name).get(0) : null;
    }
}
