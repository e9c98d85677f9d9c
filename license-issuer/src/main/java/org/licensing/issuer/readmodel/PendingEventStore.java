package org.licensing.issuer.readmodel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.licensing.issuer.audit.AuditAction;
import org.licensing.issuer.audit.AuditState;
import org.licensing.store.LicenseRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The reconciler's access to {@code audit_events}: the PENDING license events older than a bound, and completing
 * one of them under a row lock ({@code FOR UPDATE SKIP LOCKED}), so that two replicas reconciling at once never
 * complete the same event twice: the second finds it locked (skipped) or no longer PENDING (skipped).
 */
@ApplicationScoped
public class PendingEventStore {

    /*
     * taken: another COMMITTED event of the license already claims what this one meant to write: the same version
     * (license changes), the same checkout sequence number (checkouts and unbound files), or the return of the same
     * checkout (returns).
     */
    private static final String CLAIM = """
            SELECT e.id, e.action, e.target_id, e.after_state,
                EXISTS (SELECT 1 FROM audit_events o WHERE o.target_type = e.target_type AND o.target_id = e.target_id
                    AND o.id <> e.id AND o.outcome = 'COMMITTED' AND CASE
                    WHEN e.action IN ('LICENSE_CHECKED_OUT', 'LICENSE_FILE_ISSUED')
                        THEN o.action IN ('LICENSE_CHECKED_OUT', 'LICENSE_FILE_ISSUED')
                            AND (o.after_state::jsonb ->> 'sequence') = (e.after_state::jsonb ->> 'sequence')
                    WHEN e.action = 'LICENSE_CHECKOUT_RETURNED'
                        THEN o.action = 'LICENSE_CHECKOUT_RETURNED'
                            AND (o.after_state::jsonb ->> 'checkoutId') = (e.after_state::jsonb ->> 'checkoutId')
                    ELSE (o.after_state::jsonb ->> 'version') = (e.after_state::jsonb ->> 'version') END) AS taken
            FROM audit_events e
            WHERE e.id = $1 AND e.outcome = 'PENDING'
            FOR UPDATE OF e SKIP LOCKED""";

    private final LicenseSummaryStore summaries;
    private final ObjectMapper json;

    public PendingEventStore(LicenseSummaryStore summaries, ObjectMapper json) {
        this.summaries = summaries;
        this.json = json;
    }

    /**
     * What a PENDING license event meant to write: the record's version and updatedAt after the change; for a
     * checkout, return or unbound file the checkout's id, machine, sequence number and return time instead.
     *
     * @param takenByAnother another COMMITTED event of the license claims the same version, sequence or return
     */
    public record PendingEvent(UUID id, AuditAction action, String licenseId, long intendedVersion,
            Instant intendedUpdatedAt, boolean takenByAnother, CheckoutIntent checkout) {
    }

    /** A checkout event's after-state: what the checkout, return or unbound file meant to write. */
    public record CheckoutIntent(String checkoutId, String fingerprint, long sequence, Instant returnedAt) {
    }

    /** The reconciler's verdict on one event, and the record to refresh the summary from (when there is one). */
    public record Decision(AuditState outcome, Optional<LicenseRecord> record) {
    }

    /** Ids of license events PENDING since before {@code before}, oldest first. */
    public Uni<List<UUID>> pendingBefore(Instant before, int limit) {
        return summaries.pool().preparedQuery("SELECT id FROM audit_events WHERE outcome = 'PENDING'"
                        + " AND target_type = 'LICENSE' AND occurred_at < $1 ORDER BY occurred_at LIMIT $2")
                .execute(Tuple.of(LicenseSummaryStore.utc(before), limit)).map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getUUID("id")));
                    return ids;
                });
    }

    /** How many events are PENDING since before {@code before} (readiness). */
    public Uni<Long> countPendingBefore(Instant before) {
        return summaries.pool().preparedQuery("SELECT count(*) FROM audit_events WHERE outcome = 'PENDING'"
                        + " AND occurred_at < $1")
                .execute(Tuple.of(LicenseSummaryStore.utc(before))).map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * Locks event {@code id} if it is still PENDING and nobody else holds it, asks {@code decide}, then writes the
     * outcome and (with a record) the summary in the same transaction.
     *
     * @return the outcome written, or empty when the event was not (or no longer) there to complete
     */
    public Uni<Optional<AuditState>> complete(UUID id, Instant now, Function<PendingEvent, Uni<Decision>> decide) {
        return summaries.pool().withTransaction(c -> c.preparedQuery(CLAIM).execute(Tuple.of(id)).chain(rows -> {
            RowIterator<Row> it = rows.iterator();
            if (!it.hasNext()) {
                return Uni.createFrom().item(Optional.<AuditState>empty());
            }
            PendingEvent event = event(it.next());
            return decide.apply(event).chain(decision -> c.preparedQuery("UPDATE audit_events SET outcome = $2,"
                            + " completed_at = $3 WHERE id = $1 AND outcome = 'PENDING'")
                    .execute(Tuple.of(id, decision.outcome().name(), LicenseSummaryStore.utc(now)))
                    .chain(() -> forgetRelayCheckout(c, event, decision.outcome()))
                    .chain(() -> decision.record().map(r -> summaries.upsert(c, r))
                            .orElseGet(() -> Uni.createFrom().voidItem()))
                    .replaceWith(Optional.of(decision.outcome())));
        }));
    }

    /**
     * A relay checkout's row is written with its PENDING event (the key must be kept before the file leaves); a
     * checkout that never reached DynamoDB certified nothing, so its row goes with the FAILED verdict.
     */
    private static Uni<Void> forgetRelayCheckout(SqlConnection c, PendingEvent event, AuditState outcome) {
        if (outcome != AuditState.FAILED || event.action() != AuditAction.LICENSE_CHECKED_OUT
                || event.checkout() == null || event.checkout().checkoutId() == null) {
            return Uni.createFrom().voidItem();
        }
        return c.preparedQuery("DELETE FROM relay_checkouts WHERE checkout_id = $1")
                .execute(Tuple.of(UUID.fromString(event.checkout().checkoutId()))).replaceWithVoid();
    }

    private PendingEvent event(Row row) {
        long version = 0;
        Instant updatedAt = null;
        CheckoutIntent checkout = null;
        String after = row.getString("after_state");
        if (after != null) {
            try {
                JsonNode node = json.readTree(after);
                version = node.path("version").asLong(0);
                updatedAt = node.hasNonNull("updatedAt") ? Instant.parse(node.get("updatedAt").asText()) : null;
                if (node.hasNonNull("checkoutId")) {
                    checkout = new CheckoutIntent(node.get("checkoutId").asText(),
                            node.path("fingerprint").asText(null), node.path("sequence").asLong(0),
                            node.hasNonNull("returnedAt") ? Instant.parse(node.get("returnedAt").asText()) : null);
                }
            } catch (Exception e) {
                // an unreadable after-state proves nothing: the decision falls back on the record alone
            }
        }
        return new PendingEvent(row.getUUID("id"), AuditAction.valueOf(row.getString("action")),
                row.getString("target_id"), version, updatedAt, row.getBoolean("taken"), checkout);
    }
}
