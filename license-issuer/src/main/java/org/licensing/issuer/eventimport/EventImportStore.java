package org.licensing.issuer.eventimport;

import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.licensing.store.OutboxEvent;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Publishes imported events into the issuer's outbox table {@code events} (V8) exactly as the trigger publishes the
 * issuer's own: under the same transaction-scoped advisory lock (so publishing transactions commit in sequence order
 * and the feed's cursor never skips one), {@code ON CONFLICT (id) DO NOTHING} (an event imported twice, by a retry or
 * by two replicas, is published once), and one delivery per enabled endpoint subscribed to the type, in the same
 * transaction. No migration: the statement does in SQL what {@code events_publish()} does.
 */
@ApplicationScoped
public class EventImportStore {

    /** The trigger's lock key (V8__events.sql, events_publish). */
    static final String PUBLISH_LOCK = "SELECT pg_advisory_xact_lock(hashtext('licensing.events.publish'))";

    private static final String PUBLISH = """
            WITH ins AS (
                INSERT INTO events (sequence, id, type, occurred_at, subject_type, subject_id, license_id, customer_id,
                                    payload)
                VALUES (nextval('events_sequence'), $1, $2, $3, $4, $5, $6, $7, $8::text::jsonb)
                ON CONFLICT (id) DO NOTHING
                RETURNING sequence, type, license_id),
            deliveries AS (
                INSERT INTO webhook_deliveries (endpoint_id, event_sequence, license_id, next_attempt_at)
                SELECT w.id, ins.sequence, ins.license_id, now()
                FROM ins JOIN webhook_endpoints w
                  ON w.enabled AND (cardinality(w.event_types) = 0 OR ins.type = ANY (w.event_types))
                RETURNING 1)
            SELECT count(*) AS n FROM ins""";

    private final Pool pool;

    public EventImportStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * Publishes {@code events} in this order (their sequence numbers follow it), in one transaction.
     *
     * @return how many were new (the rest had been published before)
     */
    public Uni<Integer> publish(List<OutboxEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<Tuple> rows = events.stream().map(e -> Tuple.from(new Object[] {UUID.fromString(e.id()), e.type(),
                e.occurredAt().atOffset(ZoneOffset.UTC), e.subjectType(), e.subjectId(), e.licenseId(), e.customerId(),
                e.data()})).toList();
        return pool.withTransaction(c -> c.query(PUBLISH_LOCK).execute()
                .chain(() -> c.preparedQuery(PUBLISH).executeBatch(rows))
                .map(EventImportStore::count));
    }

    private static int count(RowSet<Row> result) {
        int n = 0;
        for (RowSet<Row> rs = result; rs != null; rs = rs.next()) {
            for (Row row : rs) {
                n += row.getLong("n").intValue();
            }
        }
        return n;
    }
}
