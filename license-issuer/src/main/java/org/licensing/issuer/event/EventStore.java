package org.licensing.issuer.event;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The outbox table {@code events} (V8__events.sql) over the reactive PostgreSQL client: the feed's pages and the
 * retention's deletes. Rows are written by the database itself, in the transaction that commits an audit event.
 */
@ApplicationScoped
public class EventStore {

    public static final String COLUMNS = "sequence, id, type, occurred_at, subject_type, subject_id, license_id, customer_id,"
            + " payload::text AS payload";

    private final Pool pool;
    private final ObjectMapper json;

    public EventStore(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /** Events after {@code after} matching {@code query}, in {@code scope} (a portal token's customer), oldest first. */
    public Uni<List<EventView>> page(EventQuery query, long after, Optional<String> scope) {
        List<Object> params = new ArrayList<>();
        params.add(after);
        StringBuilder where = new StringBuilder(" WHERE sequence > $1");
        if (!query.types().isEmpty()) {
            params.add(query.types().toArray(String[]::new));
            where.append(" AND type = ANY($").append(params.size()).append(")");
        }
        query.subjectType().ifPresent(t -> {
            params.add(t);
            where.append(" AND subject_type = $").append(params.size());
        });
        query.subjectId().ifPresent(id -> {
            params.add(id);
            where.append(" AND subject_id = $").append(params.size());
        });
        query.licenseId().ifPresent(id -> {
            params.add(id);
            where.append(" AND license_id = $").append(params.size());
        });
        query.customerId().ifPresent(id -> {
            params.add(id);
            where.append(" AND customer_id = $").append(params.size());
        });
        scope.ifPresent(id -> {
            params.add(id);
            where.append(" AND customer_id = $").append(params.size());
        });
        params.add(query.limit());
        String sql = "SELECT " + COLUMNS + " FROM events" + where + " ORDER BY sequence LIMIT $" + params.size();
        return pool.preparedQuery(sql).execute(Tuple.from(params)).map(rows -> {
            List<EventView> out = new ArrayList<>();
            for (Row row : rows) {
                out.add(view(row));
            }
            return out;
        });
    }

    /** The sequence before which retention has deleted events (a cursor below it may have missed some). */
    public Uni<Long> prunedThrough() {
        return pool.query("SELECT pruned_through FROM event_feed WHERE id = 1").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * Deletes at most {@code batch} events published before {@code before}, oldest first, and moves the watermark past
     * them, in one transaction. Deliveries of those events go with them (V8's foreign keys).
     *
     * @return how many were deleted
     */
    public Uni<Integer> prune(Instant before, int batch) {
        return pool.withTransaction(c -> c.preparedQuery("""
                WITH gone AS (
                    DELETE FROM events WHERE sequence IN (
                        SELECT sequence FROM events WHERE published_at < $1 ORDER BY sequence LIMIT $2)
                    RETURNING sequence)
                UPDATE event_feed SET pruned_through = greatest(pruned_through, (SELECT max(sequence) FROM gone))
                WHERE id = 1 AND EXISTS (SELECT 1 FROM gone)
                RETURNING (SELECT count(*) FROM gone) AS n""")
                .execute(Tuple.of(utc(before), batch))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getLong("n").intValue() : 0));
    }

    /** An event row (selected with {@link #COLUMNS}) as the feed and webhooks show it. */
    public EventView view(Row row) {
        String licenseId = row.getString("license_id");
        try {
            return new EventView(row.getUUID("id").toString(), row.getString("type"),
                    row.getOffsetDateTime("occurred_at").toInstant(), row.getLong("sequence"),
                    new EventView.Subject(row.getString("subject_type"), row.getString("subject_id")), licenseId,
                    row.getString("customer_id"), json.readTree(row.getString("payload")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + row.getUUID("id") + ": payload is not JSON", e);
        }
    }

    static OffsetDateTime utc(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
