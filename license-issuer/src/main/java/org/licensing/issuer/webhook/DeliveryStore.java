package org.licensing.issuer.webhook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.licensing.issuer.audit.AuditAction;
import org.licensing.issuer.audit.AuditLog;
import org.licensing.issuer.event.EventStore;
import org.licensing.issuer.event.EventView;
import org.licensing.issuer.webhook.DeliveryPolicy.Attempt;
import org.licensing.issuer.webhook.DeliveryPolicy.Outcome;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The table {@code webhook_deliveries} (V8__events.sql): claiming due deliveries (several replicas at once), their
 * outcomes, the delivery log and replays.
 */
@ApplicationScoped
public class DeliveryStore {

    /**
     * Due deliveries of enabled endpoints, but never one whose license has an earlier delivery still PENDING at the
     * same endpoint (in flight or waiting for a retry): a license's events reach an endpoint in order. Locked with
     * SKIP LOCKED and leased (next_attempt_at pushed past the attempt's timeout) in the same statement, so two
     * replicas never take the same delivery, and a replica that dies leaves it due again once the lease ends.
     */
    private static final String CLAIM = """
            WITH due AS (
                SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id
                WHERE d.state = 'PENDING' AND d.next_attempt_at <= $1 AND w.enabled
                  AND (d.license_id IS NULL OR NOT EXISTS (
                      SELECT 1 FROM webhook_deliveries p WHERE p.endpoint_id = d.endpoint_id
                          AND p.license_id = d.license_id AND p.state = 'PENDING'
                          AND p.event_sequence < d.event_sequence))
                ORDER BY d.next_attempt_at, d.id LIMIT $3
                FOR UPDATE OF d SKIP LOCKED),
            claimed AS (
                UPDATE webhook_deliveries d SET next_attempt_at = $2 FROM due WHERE d.id = due.id
                RETURNING d.id AS delivery_id, d.endpoint_id, d.event_sequence, d.attempts,
                    d.created_at AS delivery_created_at, d.first_attempt_at)
            SELECT c.delivery_id, c.endpoint_id, c.attempts, c.delivery_created_at, c.first_attempt_at, w.url, w.secret,
                w.previous_secret, w.previous_secret_until, w.failing_since, ev.*
            FROM claimed c JOIN webhook_endpoints w ON w.id = c.endpoint_id
            JOIN (SELECT %s FROM events) ev ON ev.sequence = c.event_sequence""".formatted(EventStore.COLUMNS);

    private static final String LOG_COLUMNS = "d.id, d.state, d.attempts, d.created_at, d.next_attempt_at,"
            + " d.last_attempt_at, d.last_status, d.last_latency_ms, d.last_error, d.finished_at, e.id AS event_id,"
            + " e.type AS event_type, e.sequence AS event_sequence";

    private final Pool pool;
    /** The actor of the audit events the delivery worker writes (an endpoint it disabled). */
    static final String WORKER_ACTOR = "webhook-delivery";

    private final EventStore events;
    private final WebhookEndpointStore endpoints;
    private final AuditLog audit;

    public DeliveryStore(Pool pool, EventStore events, WebhookEndpointStore endpoints, AuditLog audit) {
        this.pool = pool;
        this.events = events;
        this.endpoints = endpoints;
        this.audit = audit;
    }

    /** A claimed delivery: what to send, where, signed with which secrets. */
    public record Due(long deliveryId, UUID endpointId, int attempts, Instant createdAt, Instant firstAttemptAt,
            String url,
            List<String> secrets, Instant failingSince, EventView event) {
    }

    public Uni<List<Due>> claim(Instant now, Instant leaseUntil, int limit) {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(utc(now), utc(leaseUntil), limit)).map(rows -> {
            List<Due> out = new ArrayList<>();
            for (Row r : rows) {
                UUID id = r.getUUID("endpoint_id");
                WebhookEndpoint secrets = new WebhookEndpoint(id, r.getString("url"), null, List.of(), true, null,
                        endpoints.open(id, r.getString("secret")), endpoints.open(id, r.getString("previous_secret")),
                        WebhookEndpointStore.instant(r, "previous_secret_until"), null, null, null);
                out.add(new Due(r.getLong("delivery_id"), r.getUUID("endpoint_id"), r.getInteger("attempts"),
                        WebhookEndpointStore.instant(r, "delivery_created_at"),
                        WebhookEndpointStore.instant(r, "first_attempt_at"), r.getString("url"),
                        secrets.signingSecrets(now), WebhookEndpointStore.instant(r, "failing_since"),
                        events.view(r)));
            }
            return out;
        });
    }

    /**
     * Writes an attempt's outcome, and what it means for the endpoint, in one transaction; an endpoint this outcome
     * disables gets its audit event (actor {@value #WORKER_ACTOR}, the reason as reason) in it too.
     */
    public Uni<Void> record(Due due, Attempt attempt, Outcome outcome, Instant now) {
        boolean disabling = !attempt.delivered() && outcome.disableReason() != null;
        return pool.withTransaction(c -> (disabling ? endpoints.lock(c, due.endpointId())
                        : Uni.createFrom().item(Optional.<WebhookEndpoint>empty()))
                .call(() -> c.preparedQuery("""
                UPDATE webhook_deliveries SET state = $2::varchar, attempts = attempts + 1, last_attempt_at = $3,
                    first_attempt_at = coalesce(first_attempt_at, $3),
                    last_status = $4, last_latency_ms = $5, last_error = $6, next_attempt_at = coalesce($7, now()),
                    finished_at = CASE WHEN $2::varchar = 'PENDING' THEN NULL ELSE $3 END
                WHERE id = $1 AND state = 'PENDING'""")
                .execute(Tuple.from(Arrays.asList(due.deliveryId(), outcome.state().name(), utc(now),
                        attempt.status(), (int) Math.min(Integer.MAX_VALUE, attempt.latencyMillis()),
                        truncate(attempt.error()), utc(outcome.nextAttemptAt()))))
                .chain(() -> c.preparedQuery(attempt.delivered()
                        ? "UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL"
                        : "UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, $2::timestamptz),"
                                + " enabled = enabled AND $3::text IS NULL,"
                                + " disabled_reason = coalesce($3::text, disabled_reason) WHERE id = $1")
                        .execute(attempt.delivered() ? Tuple.of(due.endpointId())
                                : Tuple.of(due.endpointId(), utc(now), outcome.disableReason()))))
                .chain(before -> before.filter(WebhookEndpoint::enabled)
                        .map(b -> endpoints.lock(c, b.id()).chain(after -> audit.recordCommitted(c,
                                audit.event(AuditAction.WEBHOOK_ENDPOINT_DISABLED).actor(WORKER_ACTOR)
                                        .target(b.id().toString()).before(WebhookEndpointView.of(b, now))
                                        .after(after.map(a -> WebhookEndpointView.of(a, now)).orElse(null))
                                        .reason(outcome.disableReason()).build())))
                        .orElseGet(() -> Uni.createFrom().voidItem())));
    }

    /** The delivery log of an endpoint, newest first, after {@code beforeId} (the previous page's last id). */
    public Uni<List<DeliveryView>> log(UUID endpointId, Optional<String> state, Optional<Long> beforeId, int limit) {
        return pool.preparedQuery("SELECT " + LOG_COLUMNS + " FROM webhook_deliveries d JOIN events e"
                        + " ON e.sequence = d.event_sequence WHERE d.endpoint_id = $1 AND ($2::text IS NULL OR"
                        + " d.state = $2::text) AND d.id < $3 ORDER BY d.id DESC LIMIT $4")
                .execute(Tuple.of(endpointId, state.orElse(null), beforeId.orElse(Long.MAX_VALUE), limit))
                .map(rows -> {
                    List<DeliveryView> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new DeliveryView(r.getLong("id"), r.getUUID("event_id").toString(),
                                r.getString("event_type"), r.getLong("event_sequence"), r.getString("state"),
                                r.getInteger("attempts"), WebhookEndpointStore.instant(r, "created_at"),
                                "PENDING".equals(r.getString("state"))
                                        ? WebhookEndpointStore.instant(r, "next_attempt_at") : null,
                                WebhookEndpointStore.instant(r, "last_attempt_at"), r.getInteger("last_status"),
                                r.getInteger("last_latency_ms"), r.getString("last_error"),
                                WebhookEndpointStore.instant(r, "finished_at")));
                    }
                    return out;
                });
    }

    /** Queues one event again for the endpoint (whatever its subscription: asked for by id); 0 if unknown. */
    public Uni<Integer> replayEvent(UUID endpointId, UUID eventId, Instant now) {
        return pool.preparedQuery("INSERT INTO webhook_deliveries (endpoint_id, event_sequence, license_id,"
                        + " next_attempt_at) SELECT $1, sequence, license_id, $3 FROM events WHERE id = $2")
                .execute(Tuple.of(endpointId, eventId, utc(now))).map(rows -> rows.rowCount());
    }

    /** Queues the endpoint's subscribed events that occurred in [from, to) again, at most {@code max}, in order. */
    public Uni<Integer> replayRange(UUID endpointId, Instant from, Instant to, int max, Instant now) {
        return pool.preparedQuery("""
                INSERT INTO webhook_deliveries (endpoint_id, event_sequence, license_id, next_attempt_at)
                SELECT w.id, e.sequence, e.license_id, $4 FROM webhook_endpoints w JOIN events e
                    ON (cardinality(w.event_types) = 0 OR e.type = ANY (w.event_types))
                WHERE w.id = $1 AND e.occurred_at >= $2 AND e.occurred_at < $3
                ORDER BY e.sequence LIMIT $5""")
                .execute(Tuple.from(List.of(endpointId, utc(from), utc(to), utc(now), max)))
                .map(rows -> rows.rowCount());
    }

    /** Per endpoint with undelivered events: since when the oldest of them was published (metrics). */
    public Uni<Map<UUID, Instant>> oldestUndelivered() {
        return pool.query("SELECT d.endpoint_id, min(e.published_at) AS oldest FROM webhook_deliveries d"
                + " JOIN events e ON e.sequence = d.event_sequence WHERE d.state = 'PENDING' GROUP BY d.endpoint_id")
                .execute().map(rows -> {
                    Map<UUID, Instant> out = new java.util.HashMap<>();
                    rows.forEach(r -> out.put(r.getUUID("endpoint_id"), WebhookEndpointStore.instant(r, "oldest")));
                    return out;
                });
    }

    /** The feed's latest sequence: every event published so far (metrics). */
    public Uni<Long> latestSequence() {
        return pool.query("SELECT coalesce(max(sequence), 0) FROM events").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 500 ? s : s.substring(0, 500);
    }

    private static java.time.OffsetDateTime utc(Instant i) {
        return WebhookEndpointStore.utc(i);
    }
}
