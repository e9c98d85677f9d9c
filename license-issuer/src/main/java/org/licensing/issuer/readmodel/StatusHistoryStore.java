package org.licensing.issuer.readmodel;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.licensing.core.license.LicenseStatus;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Licenses per status at past month ends, from the audit log: the current counts (the read model) walked back month by
 * month with the net status transitions of the committed license events, counted in SQL per (month, status before,
 * status after). Counts and transitions come from one statement, so from one snapshot: a change committed meanwhile
 * is in both or in neither.
 */
@ApplicationScoped
public class StatusHistoryStore {

    /** An event's product: the expression of V11's product index, written exactly as there. */
    static final String PRODUCT = "(after_state::jsonb ->> 'productCode')";

    /** The status actions whose transition LicenseService's rules fix; a revocation comes from ACTIVE or SUSPENDED. */
    static final List<String> FIXED_ACTIONS = List.of("LICENSE_ISSUED", "LICENSE_SUSPENDED", "LICENSE_REINSTATED");

    /**
     * The (before, after) status of {@link #FIXED_ACTIONS} events from the action alone (an issue creates an ACTIVE
     * license, suspend takes ACTIVE only, reinstate SUSPENDED only), so that they are counted from V11's index without
     * reading the events (their JSON, most of a kilobyte each, was most of the statement's time).
     */
    static final String FIXED = "CASE action WHEN 'LICENSE_SUSPENDED' THEN 'ACTIVE'"
            + " WHEN 'LICENSE_REINSTATED' THEN 'SUSPENDED' END AS before, CASE action WHEN 'LICENSE_ISSUED' THEN 'ACTIVE'"
            + " WHEN 'LICENSE_SUSPENDED' THEN 'SUSPENDED' WHEN 'LICENSE_REINSTATED' THEN 'ACTIVE' END AS after";

    private static String quoted(List<String> values) {
        return String.join(", ", values.stream().map(a -> "'" + a + "'").toList());
    }

    private final Pool pool;

    public StatusHistoryStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * The last {@code months} month ends before {@code now} and {@code now}, for one product or all
     * ({@code productCode} null), over one customer's licenses or all ({@code scope} null).
     */
    public Uni<StatusHistory> history(int months, String productCode, UUID scope, Instant now) {
        LicenseSummaryStore.Sql sql = query(months, productCode, scope, now);
        return pool.preparedQuery(sql.text()).execute(Tuple.from(sql.params())).map(rows -> {
            Map<String, Long> current = new HashMap<>();
            Map<YearMonth, Map<String, Long>> net = new HashMap<>();
            for (Row row : rows) {
                long n = row.getLong("n");
                LocalDate month = row.getLocalDate("month");
                if (month == null) {
                    current.merge(row.getString("after"), n, Long::sum);
                    continue;
                }
                Map<String, Long> m = net.computeIfAbsent(YearMonth.from(month), k -> new HashMap<>());
                String before = row.getString("before");
                String after = row.getString("after");
                if (before != null) {
                    m.merge(before, -n, Long::sum);
                }
                if (after != null) {
                    m.merge(after, n, Long::sum);
                }
            }
            return walkBack(productCode, months, now, current, net);
        });
    }

    /**
     * The statement: rows with a null month are the current counts per status ({@code after}); the others count the
     * transitions {@code before -> after} per UTC month since the start of the month after the oldest month end. All
     * products read the counters of V6, one product its (product, status) rows; a portal scope counts its customer's
     * summaries. The transitions read a partial index of V11 (a time range, or a product's time range), a scope the
     * customer index of V9.
     */
    static LicenseSummaryStore.Sql query(int months, String productCode, UUID scope, Instant now) {
        List<Object> params = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        StringBuilder events = new StringBuilder(" WHERE target_type = 'LICENSE' AND outcome = 'COMMITTED'");
        if (scope == null) {
            current.append("SELECT NULL::date AS month, NULL AS before, status AS after, sum(licenses)::bigint AS n"
                    + " FROM license_counts");
            if (productCode != null) {
                params.add(productCode);
                current.append(" WHERE product_code = $").append(params.size());
            }
            current.append(" GROUP BY status");
        } else {
            params.add(scope);
            current.append("SELECT NULL::date AS month, NULL AS before, status AS after, count(*) AS n"
                    + " FROM license_summaries WHERE customer_id = $").append(params.size());
            params.add(scope.toString());
            events.append(" AND customer_id = $").append(params.size());
            if (productCode != null) {
                params.add(productCode);
                current.append(" AND product_code = $").append(params.size());
            }
            current.append(" GROUP BY status");
        }
        if (productCode != null) {
            params.add(productCode);
            events.append(" AND ").append(PRODUCT).append(" = $").append(params.size());
        }
        params.add(LicenseSummaryStore.utc(since(months, now)));
        events.append(" AND occurred_at >= $").append(params.size());
        // two parts: the issues, suspensions and reinstatements from the index alone (their transition is the
        // action's), the revocations (a few) with their before state
        String month = "SELECT (date_trunc('month', occurred_at AT TIME ZONE 'UTC'))::date AS month, ";
        String transitions = month + FIXED + ", count(*) AS n FROM audit_events" + events + " AND action IN ("
                + quoted(FIXED_ACTIONS) + ") GROUP BY 1, 2, 3 UNION ALL " + month
                + "before_state::jsonb ->> 'status', 'REVOKED', count(*) FROM audit_events" + events
                + " AND action = 'LICENSE_REVOKED' GROUP BY 1, 2, 3";
        return new LicenseSummaryStore.Sql(current + " UNION ALL " + transitions, params);
    }

    /** The start of the month after the oldest month end: every transition from there on is walked back. */
    static Instant since(int months, Instant now) {
        return YearMonth.from(now.atZone(ZoneOffset.UTC)).minusMonths(months - 1L).atDay(1)
                .atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /**
     * From the counts at {@code now}, each earlier month end is the later point minus the net transitions of the month
     * after it. A count below zero (transitions of licenses that the read model no longer holds) shows as 0.
     */
    static StatusHistory walkBack(String productCode, int months, Instant now, Map<String, Long> current,
            Map<YearMonth, Map<String, Long>> net) {
        YearMonth thisMonth = YearMonth.from(now.atZone(ZoneOffset.UTC));
        Map<String, Long> counts = new HashMap<>(current);
        StatusHistory.Point[] points = new StatusHistory.Point[months + 1];
        points[months] = point(thisMonth, now, counts);
        for (int k = 1; k <= months; k++) {
            net.getOrDefault(thisMonth.minusMonths(k - 1L), Map.of()).forEach((s, n) -> counts.merge(s, -n, Long::sum));
            YearMonth month = thisMonth.minusMonths(k);
            points[months - k] = point(month, month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant()
                    .minusSeconds(1), counts);
        }
        return new StatusHistory(productCode, List.of(points));
    }

    private static StatusHistory.Point point(YearMonth month, Instant at, Map<String, Long> counts) {
        Map<String, Long> byStatus = new LinkedHashMap<>();
        for (LicenseStatus s : LicenseStatus.values()) {
            byStatus.put(s.name(), Math.max(0L, counts.getOrDefault(s.name(), 0L)));
        }
        return new StatusHistory.Point(month.toString(), at, byStatus);
    }
}
