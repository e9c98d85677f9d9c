package org.licensing.issuer.readmodel;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.licensing.core.license.Entitlements;
import org.licensing.core.license.LicenseStatus;
import org.licensing.core.search.LicenseFilters;
import org.licensing.issuer.catalog.EntitlementsDto;
import org.licensing.issuer.support.LikePatterns;
import org.licensing.store.LicenseRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The read model's table {@code license_summaries} (V4__license_summaries.sql), over the reactive PostgreSQL client:
 * the upsert that never goes backwards, the commit of a license change (audit event COMMITTED and summary in one
 * transaction), and the search, stats and export queries, each served by an index.
 */
@ApplicationScoped
public class LicenseSummaryStore {

    /** The expiringWithin buckets of the stats, in days. */
    static final List<Integer> EXPIRY_BUCKETS = List.of(7, 30, 60, 90);

    private static final String COLUMNS = "license_id, customer_id, customer_name, customer_external_id, product_code,"
            + " product_name, policy_id, status, issued_at, not_before, expires_at, grace_days, limits::text AS limits,"
            + " features::text AS features, version, updated_at";

    /**
     * Inserts, or replaces an older version, of every license of a batch in one statement (the arrays, one element
     * per license): the counters' statement trigger then locks its rows once, in key order (V6). The external id is
     * the customer's in the catalog at write time.
     */
    private static final String UPSERT = """
            INSERT INTO license_summaries (license_id, customer_id, customer_name, customer_external_id, product_code,
                product_name, policy_id, status, issued_at, not_before, expires_at, grace_days, limits, features,
                version, updated_at)
            SELECT u.license_id, u.customer_id, u.customer_name,
                (SELECT c.external_id FROM customers c WHERE c.id = u.customer_id), u.product_code, u.product_name,
                u.policy_id, u.status, u.issued_at, u.not_before, u.expires_at, u.grace_days, u.limits::jsonb,
                u.features::jsonb, u.version, u.updated_at
            FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::text[],
                $8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::int[], $12::text[], $13::text[],
                $14::bigint[], $15::timestamptz[]) AS u(license_id, customer_id, customer_name, product_code,
                product_name, policy_id, status, issued_at, not_before, expires_at, grace_days, limits, features,
                version, updated_at)
            ON CONFLICT (license_id) DO UPDATE SET customer_id = EXCLUDED.customer_id,
                customer_name = EXCLUDED.customer_name, customer_external_id = EXCLUDED.customer_external_id,
                product_code = EXCLUDED.product_code, product_name = EXCLUDED.product_name,
                policy_id = EXCLUDED.policy_id, status = EXCLUDED.status, issued_at = EXCLUDED.issued_at,
                not_before = EXCLUDED.not_before, expires_at = EXCLUDED.expires_at,
                grace_days = EXCLUDED.grace_days, limits = EXCLUDED.limits, features = EXCLUDED.features,
                version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
            WHERE license_summaries.version < EXCLUDED.version""";

    /**
     * The request's own outcome is the truth: a change whose DynamoDB write succeeded is COMMITTED even when a
     * reconciler, reading the record before the write landed, had marked it FAILED.
     */
    private static final String COMMIT_EVENT = "UPDATE audit_events SET outcome = 'COMMITTED', completed_at = $2"
            + " WHERE id = $1 AND outcome <> 'COMMITTED'";

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private final Pool pool;

    public LicenseSummaryStore(Pool pool) {
        this.pool = pool;
    }

    /** Marks the change's audit event COMMITTED and upserts the license's summary, in one transaction. */
    public Uni<Void> commit(UUID auditEventId, LicenseRecord license, Instant now) {
        return pool.withTransaction(c -> c.preparedQuery(COMMIT_EVENT).execute(Tuple.of(auditEventId, utc(now)))
                .chain(() -> upsert(c, license))).replaceWithVoid();
    }

    /** Upserts on {@code client} (a transaction's connection, or the pool). */
    Uni<Void> upsert(SqlClient client, LicenseRecord r) {
        return upsertAll(client, List.of(r));
    }

    /** Upserts one page of a rebuild (distinct licenses), on {@code client}, in one statement. */
    Uni<Void> upsertAll(SqlClient client, List<LicenseRecord> licenses) {
        if (licenses.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = licenses.size();
        String[] ids = new String[n];
        UUID[] customers = new UUID[n];
        String[] names = new String[n];
        String[] products = new String[n];
        String[] productNames = new String[n];
        UUID[] policies = new UUID[n];
        String[] statuses = new String[n];
        OffsetDateTime[] issued = new OffsetDateTime[n];
        OffsetDateTime[] notBefore = new OffsetDateTime[n];
        OffsetDateTime[] expires = new OffsetDateTime[n];
        Integer[] grace = new Integer[n];
        String[] limits = new String[n];
        String[] features = new String[n];
        Long[] versions = new Long[n];
        OffsetDateTime[] updated = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            LicenseRecord r = licenses.get(i);
            Entitlements e = r.entitlements() == null ? Entitlements.NONE : r.entitlements();
            ObjectNode limitsJson = JSON.createObjectNode();
            new TreeMap<>(e.limits()).forEach(limitsJson::put);
            ObjectNode featuresJson = JSON.createObjectNode();
            new TreeMap<>(e.features()).forEach(featuresJson::put);
            ids[i] = r.licenseId();
            customers[i] = UUID.fromString(r.customerId());
            names[i] = r.customerName() == null ? "" : r.customerName();
            products[i] = r.productCode();
            productNames[i] = r.productName();
            policies[i] = r.policyId() == null ? null : UUID.fromString(r.policyId());
            statuses[i] = r.status().name();
            issued[i] = utc(r.issuedAt());
            notBefore[i] = utc(r.notBefore());
            expires[i] = utc(r.expiresAt());
            grace[i] = r.graceDays();
            limits[i] = write(limitsJson);
            features[i] = write(featuresJson);
            versions[i] = r.version();
            updated[i] = utc(r.updatedAt());
        }
        return client.preparedQuery(UPSERT).execute(Tuple.tuple(List.of(ids, customers, names, products,
                productNames, policies, statuses, issued, notBefore, expires, grace, limits, features, versions,
                updated))).replaceWithVoid();
    }

    Pool pool() {
        return pool;
    }

    /** One page: {@code limit + 1} rows are read, so the caller knows whether another page follows. */
    public Uni<List<LicenseSummary>> page(LicenseSearch search, UUID scope, SearchCursor after, int limit) {
        Sql sql = pageQuery(search, scope, after, limit);
        return pool.preparedQuery(sql.text()).execute(Tuple.tuple(sql.params())).map(rows -> {
            List<LicenseSummary> out = new ArrayList<>();
            for (Row row : rows) {
                out.add(summary(row));
            }
            return out;
        });
    }

    /** A statement and its parameters ($1, $2, ...). */
    record Sql(String text, List<Object> params) {
    }

    /** The statement of {@link #page} (the plan test explains exactly this). */
    static Sql pageQuery(LicenseSearch search, UUID scope, SearchCursor after, int limit) {
        Query query = where(search, scope);
        String key = sortExpression(search.sort());
        String dir = search.descending() ? "DESC" : "ASC";
        if (after != null) {
            String value = query.param(cursorKey(search.sort(), after));
            if (search.sort() == LicenseSearch.Sort.customerName) {
                value = "lower(" + value + "::text)";
            }
            query.and("(" + key + ", license_id) " + (search.descending() ? "<" : ">") + " (" + value + ", "
                    + query.param(after.licenseId()) + ")");
        }
        String sql = "SELECT " + COLUMNS + " FROM license_summaries" + query.where() + " ORDER BY " + key + " " + dir
                + ", license_id " + dir + " LIMIT " + query.param(limit + 1);
        return new Sql(sql, query.params);
    }

    /** The cursor value of a row: what {@link #page} compares the sort expression with. */
    static String cursorKey(LicenseSearch.Sort sort, LicenseSummary s) {
        return switch (sort) {
            case expiresAt -> s.expiresAt().toString();
            case issuedAt -> s.issuedAt().toString();
            // the name itself: the query lower-cases it with PostgreSQL's lower(), exactly as the index does
            case customerName -> s.customerName();
        };
    }

    private static Object cursorKey(LicenseSearch.Sort sort, SearchCursor after) {
        try {
            return switch (sort) {
                case expiresAt, issuedAt -> utc(Instant.parse(after.key()));
                case customerName -> after.key();
            };
        } catch (java.time.format.DateTimeParseException e) {
            throw org.licensing.support.problem.Problems.of(org.licensing.core.problem.ProblemType.INVALID_CURSOR,
                    "cursor: not a cursor of a license search");
        }
    }

    private static String sortExpression(LicenseSearch.Sort sort) {
        return switch (sort) {
            case expiresAt -> "expires_at";
            case issuedAt -> "issued_at";
            case customerName -> "lower(customer_name)";
        };
    }

    /**
     * Counts by status and product, the non-revoked licenses expiring within each bucket from {@code now}, and those
     * expiring in this calendar quarter (from {@code now}) and the next one (UTC).
     */
    public Uni<LicenseStats> stats(LicenseSearch search, UUID scope, Instant now) {
        Sql sql = statsQuery(search, scope, now);
        Windows w = new Windows(now);
        return pool.preparedQuery(sql.text()).execute(Tuple.tuple(sql.params())).map(rows -> {
            Map<String, Long> byStatus = new LinkedHashMap<>();
            for (LicenseStatus s : LicenseStatus.values()) {
                byStatus.put(s.name(), 0L);
            }
            Map<String, Long> byProduct = new TreeMap<>();
            Map<String, Long> within = new LinkedHashMap<>();
            EXPIRY_BUCKETS.forEach(d -> within.put(Integer.toString(d), 0L));
            Map<String, Long> quarters = new LinkedHashMap<>();
            quarters.put(w.thisQuarter, 0L);
            quarters.put(w.nextQuarter, 0L);
            for (Row row : rows) {
                String status = row.getString("status");
                if (status != null) {
                    long n = row.getLong("n");
                    byStatus.merge(status, n, Long::sum);
                    byProduct.merge(row.getString("product_code"), n, Long::sum);
                }
                for (int days : EXPIRY_BUCKETS) {
                    within.merge(Integer.toString(days), row.getLong("within_" + days), Long::sum);
                }
                quarters.merge(w.thisQuarter, row.getLong("this_quarter"), Long::sum);
                quarters.merge(w.nextQuarter, row.getLong("next_quarter"), Long::sum);
            }
            byProduct.values().removeIf(n -> n == 0);
            return new LicenseStats(byStatus, byProduct, within, quarters);
        });
    }

    /**
     * The statement of {@link #stats}. Without a filter, or with product and status filters only, it reads the
     * counters of V6 (O(products x statuses) and O(days x products x statuses) rows, the days of the longest window),
     * plus the summaries of the two partial days of a window (today from {@code now}, and the day {@code now + N}
     * falls on). Any other filter (a customer and the portal scope among them) counts the matching rows, through the
     * indexes of the search.
     */
    static Sql statsQuery(LicenseSearch search, UUID scope, Instant now) {
        return fromCounters(search, scope) ? countersQuery(search, now) : scanQuery(search, scope, now);
    }

    /** Whether the counters answer the stats of this search: no filter but product and status. */
    static boolean fromCounters(LicenseSearch search, UUID scope) {
        LicenseFilters s = search.filters();
        return scope == null && s.customerId() == null && s.policyId() == null && s.q() == null
                && s.expiresAfter() == null && s.expiresBefore() == null && s.issuedAfter() == null
                && s.issuedBefore() == null && s.minLimits().isEmpty();
    }

    /** The stats windows of an instant: bucket ends, UTC day and quarter boundaries. */
    private static final class Windows {
        final Instant now;
        final LocalDate today;
        final Instant tomorrow;
        final LocalDate nextQuarterStart;
        final LocalDate quarterAfterStart;
        final String thisQuarter;
        final String nextQuarter;

        Windows(Instant now) {
            this.now = now;
            this.today = LocalDate.ofInstant(now, ZoneOffset.UTC);
            this.tomorrow = today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            LocalDate quarterStart = today.withDayOfMonth(1).withMonth((today.getMonthValue() - 1) / 3 * 3 + 1);
            this.nextQuarterStart = quarterStart.plusMonths(3);
            this.quarterAfterStart = quarterStart.plusMonths(6);
            this.thisQuarter = label(quarterStart);
            this.nextQuarter = label(nextQuarterStart);
        }

        /** The end of bucket {@code days}: {@code now + days}. */
        Instant end(int days) {
            return now.plus(Duration.ofDays(days));
        }

        /** The start of the (UTC) day {@code now + days} falls on. */
        LocalDate endDay(int days) {
            return today.plusDays(days);
        }

        static String label(LocalDate quarterStart) {
            return quarterStart.getYear() + "-Q" + ((quarterStart.getMonthValue() - 1) / 3 + 1);
        }
    }

    private static Sql countersQuery(LicenseSearch search, Instant now) {
        Windows w = new Windows(now);
        Query q = new Query();
        LicenseFilters f = search.filters();
        String product = f.productCode() == null ? null : q.param(f.productCode());
        String statuses = f.statuses().isEmpty() ? null
                : q.param(f.statuses().stream().map(Enum::name).toArray(String[]::new)) + "::text[]";
        String filters = (product == null ? "" : " AND product_code = " + product)
                + (statuses == null ? "" : " AND status = ANY(" + statuses + ")");
        String zero = EXPIRY_BUCKETS.stream().map(d -> "0::bigint AS within_" + d).reduce((a, b) -> a + ", " + b)
                .orElseThrow() + ", 0::bigint AS this_quarter, 0::bigint AS next_quarter";
        StringBuilder sql = new StringBuilder("SELECT status, product_code, licenses AS n, " + zero
                + " FROM license_counts WHERE licenses <> 0" + filters);
        // whole days: tomorrow up to the day each window ends on (exclusive), and the two quarters
        String firstDay = q.param(w.today.plusDays(1));
        String nextQuarter = q.param(w.nextQuarterStart);
        StringBuilder days = new StringBuilder();
        LocalDate last = w.quarterAfterStart;
        for (int d : EXPIRY_BUCKETS) {
            days.append(", coalesce(sum(licenses) FILTER (WHERE expiry_day < ").append(q.param(w.endDay(d)))
                    .append("), 0)::bigint AS within_").append(d);
            last = last.isAfter(w.endDay(d)) ? last : w.endDay(d);
        }
        days.append(", coalesce(sum(licenses) FILTER (WHERE expiry_day < ").append(nextQuarter)
                .append("), 0)::bigint AS this_quarter, coalesce(sum(licenses) FILTER (WHERE expiry_day >= ")
                .append(nextQuarter).append(" AND expiry_day < ").append(q.param(w.quarterAfterStart))
                .append("), 0)::bigint AS next_quarter");
        sql.append(" UNION ALL SELECT NULL, NULL, 0").append(days)
                .append(" FROM license_expiry_days WHERE expiry_day >= ").append(firstDay).append(" AND expiry_day < ")
                .append(q.param(last)).append(filters);
        // partial days, from the summaries: today from now on (every window and this quarter), and for each bucket
        // the day its end falls on, up to the end; each range a count of its own, so that each is an index-only
        // scan of the non-revoked rows' expiry index (V6)
        String count = "(SELECT count(*) FROM license_summaries WHERE status <> 'REVOKED'" + filters
                + " AND expires_at >= %s AND expires_at < %s)";
        String today = count.formatted(q.param(utc(now)), q.param(utc(w.tomorrow)));
        sql.append(" UNION ALL SELECT NULL, NULL, 0");
        for (int d : EXPIRY_BUCKETS) {
            sql.append(", ").append(today).append(" + ").append(count.formatted(
                    q.param(utc(w.endDay(d).atStartOfDay(ZoneOffset.UTC).toInstant())), q.param(utc(w.end(d)))));
        }
        sql.append(", ").append(today).append(", 0::bigint");
        return new Sql(sql.toString(), q.params);
    }

    private static Sql scanQuery(LicenseSearch search, UUID scope, Instant now) {
        Windows w = new Windows(now);
        Query query = where(search, scope);
        StringBuilder buckets = new StringBuilder();
        String from = query.param(utc(now));
        for (int days : EXPIRY_BUCKETS) {
            buckets.append(", count(*) FILTER (WHERE status <> 'REVOKED' AND expires_at >= ").append(from)
                    .append(" AND expires_at < ").append(query.param(utc(w.end(days))))
                    .append(") AS within_").append(days);
        }
        String nextQuarter = query.param(utc(w.nextQuarterStart.atStartOfDay(ZoneOffset.UTC).toInstant()));
        buckets.append(", count(*) FILTER (WHERE status <> 'REVOKED' AND expires_at >= ").append(from)
                .append(" AND expires_at < ").append(nextQuarter).append(") AS this_quarter")
                .append(", count(*) FILTER (WHERE status <> 'REVOKED' AND expires_at >= ").append(nextQuarter)
                .append(" AND expires_at < ")
                .append(query.param(utc(w.quarterAfterStart.atStartOfDay(ZoneOffset.UTC).toInstant())))
                .append(") AS next_quarter");
        return new Sql("SELECT status, product_code, count(*) AS n" + buckets + " FROM license_summaries"
                + query.where() + " GROUP BY status, product_code", query.params);
    }

    /** Rows in the table (tests, the rebuild's report). */
    public Uni<Long> count() {
        return pool.query("SELECT count(*) FROM license_summaries").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * The WHERE clause of a search. The scope of a portal token is one more equality on customer_id, so it is part of
     * the query itself (and of every index path), never a filter over fetched rows.
     */
    private static Query where(LicenseSearch search, UUID scope) {
        LicenseFilters s = search.filters();
        Query q = new Query();
        if (scope != null) {
            q.and("customer_id = " + q.param(scope));
        }
        if (s.customerId() != null) {
            q.and("customer_id = " + q.param(s.customerId()));
        }
        if (!s.statuses().isEmpty()) {
            q.and("status = ANY(" + q.param(s.statuses().stream().map(Enum::name).toArray(String[]::new))
                    + "::text[])");
        }
        if (s.productCode() != null) {
            q.and("product_code = " + q.param(s.productCode()));
        }
        if (s.policyId() != null) {
            q.and("policy_id = " + q.param(s.policyId()));
        }
        if (s.expiresAfter() != null) {
            q.and("expires_at >= " + q.param(utc(s.expiresAfter())));
        }
        if (s.expiresBefore() != null) {
            q.and("expires_at < " + q.param(utc(s.expiresBefore())));
        }
        if (s.issuedAfter() != null) {
            q.and("issued_at >= " + q.param(utc(s.issuedAfter())));
        }
        if (s.issuedBefore() != null) {
            q.and("issued_at < " + q.param(utc(s.issuedBefore())));
        }
        for (LicenseFilters.MinLimit m : s.minLimits()) {
            // jsonpath numbers are exact numerics; the GIN index (jsonb_ops) finds the licenses having the key.
            // The name is checked against the limit-name rule ([A-Za-z][A-Za-z0-9_.-]*): nothing to escape in it.
            q.and("limits @? CAST(" + q.param("$.\"" + m.name() + "\" ? (@ >= " + m.value().toPlainString() + ")")
                    + " AS jsonpath)");
        }
        if (s.q() != null) {
            String text = s.q().toLowerCase(java.util.Locale.ROOT);
            // Prefixes as ranges (lo <= x < hi) over byte-order ("C") btrees: a range stays indexable in a generic
            // prepared plan, where LIKE 'abc%' with a parameter would not be.
            String lo = text;
            String hi = prefixUpperBound(text);
            String like = "%" + LikePatterns.escape(text) + "%";
            q.and("((license_id >= " + q.param(lo) + " AND license_id < " + q.param(hi) + ")"
                    + " OR lower(customer_name) LIKE " + q.param(like)
                    + " OR (lower(customer_external_id) COLLATE \"C\" >= " + q.param(lo)
                    + " AND lower(customer_external_id) COLLATE \"C\" < " + q.param(hi) + "))");
        }
        return q;
    }

    /** The smallest string greater than every string starting with {@code prefix} (in code-point order). */
    static String prefixUpperBound(String prefix) {
        int[] cps = prefix.codePoints().toArray();
        for (int i = cps.length - 1; i >= 0; i--) {
            if (cps[i] < Character.MAX_CODE_POINT) {
                cps[i]++;
                return new String(cps, 0, i + 1);
            }
        }
        return prefix + Character.toString(Character.MAX_CODE_POINT);
    }

    private static LicenseSummary summary(Row row) {
        Map<String, BigDecimal> limits = new TreeMap<>();
        read(row.getString("limits")).fields().forEachRemaining(f -> limits.put(f.getKey(), f.getValue().decimalValue()));
        Map<String, Boolean> features = new TreeMap<>();
        read(row.getString("features")).fields().forEachRemaining(f -> features.put(f.getKey(),
                f.getValue().booleanValue()));
        UUID policy = row.getUUID("policy_id");
        return new LicenseSummary(row.getString("license_id"), row.getUUID("customer_id").toString(),
                row.getString("customer_name"), row.getString("customer_external_id"), row.getString("product_code"),
                row.getString("product_name"), policy == null ? null : policy.toString(),
                LicenseStatus.valueOf(row.getString("status")), instant(row, "issued_at"),
                instant(row, "not_before"), instant(row, "expires_at"), row.getInteger("grace_days"),
                EntitlementsDto.of(new Entitlements(features, limits)), row.getLong("version"),
                instant(row, "updated_at"));
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime t = row.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    static OffsetDateTime utc(Instant i) {
        return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json == null ? "{}" : json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("license_summaries holds invalid JSON", e);
        }
    }

    /** A WHERE clause with its numbered parameters ($1, $2, ...). */
    private static final class Query {
        private final List<String> conditions = new ArrayList<>();
        private final List<Object> params = new ArrayList<>();

        String param(Object value) {
            params.add(value);
            return "$" + params.size();
        }

        void and(String condition) {
            conditions.add(condition);
        }

        String where() {
            return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        }

    }
}
