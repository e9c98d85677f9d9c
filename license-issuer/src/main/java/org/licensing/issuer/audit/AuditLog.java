package org.licensing.issuer.audit;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Audit events in PostgreSQL. Catalog changes write theirs in the same transaction as the change. License changes
 * live in DynamoDB, so no transaction spans both: the event is written PENDING before the DynamoDB write and
 * marked COMMITTED (together with the license's read-model summary, readmodel.LicenseSummaryStore#commit) or FAILED
 * after it. A crash in between leaves a PENDING event, which the audit API shows and the reconciler
 * (readmodel.Reconciler) completes, so no change can happen without a trace.
 */
@ApplicationScoped
public class AuditLog {

    private final ObjectMapper json;
    private final Clock clock;

    public AuditLog(ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    /**
     * A new event of {@code action}, named field by field:
     * {@code audit.event(AuditAction.LICENSE_RENEWED).actor(sub).target(id).before(old).after(changed).build()}.
     */
    public EventBuilder event(AuditAction action) {
        return new EventBuilder(action);
    }

    /** Inside the caller's transaction (catalog changes): committed with the change. */
    public Uni<AuditEvent> recordCommitted(AuditEvent e) {
        e.outcome = AuditState.COMMITTED;
        e.completedAt = e.occurredAt;
        return e.persist();
    }

    /**
     * On {@code client}, a transaction's connection of the reactive PostgreSQL client (changes written with it rather
     * than with Panache, such as webhook endpoints): committed with the change.
     */
    public Uni<Void> recordCommitted(SqlClient client, AuditEvent e) {
        e.outcome = AuditState.COMMITTED;
        e.completedAt = e.occurredAt;
        return client.preparedQuery("INSERT INTO audit_events (id, occurred_at, actor, action, target_type,"
                        + " target_id, customer_id, before_state, after_state, reason, client_address, outcome,"
                        + " completed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)")
                .execute(Tuple.from(Arrays.asList(e.id, utc(e.occurredAt), e.actor, e.action.name(),
                        e.targetType.name(), e.targetId, e.customerId, e.beforeState, e.afterState, e.reason,
                        e.clientAddress, e.outcome.name(), utc(e.completedAt))))
                .replaceWithVoid();
    }

    private static OffsetDateTime utc(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    /** Own transaction; idempotent (a retried request re-uses the event id). */
    public Uni<Void> recordPending(AuditEvent e) {
        return Panache.withTransaction(() -> AuditEvent.<AuditEvent>findById(e.id)
                .chain(existing -> existing != null ? Uni.createFrom().voidItem() : e.persist().replaceWithVoid()));
    }

    /**
     * Inside the caller's transaction: the PENDING event of a change about to be written, or, when a retry of the
     * same change (same id) decided again, its revised before/after. An event no longer PENDING is left alone.
     */
    public Uni<Void> writePending(AuditEvent e) {
        return AuditEvent.<AuditEvent>findById(e.id).chain(existing -> {
            if (existing == null) {
                return e.persist().replaceWithVoid();
            }
            if (existing.outcome == AuditState.PENDING) {
                existing.beforeState = e.beforeState;
                existing.afterState = e.afterState;
            }
            return Uni.createFrom().voidItem();
        });
    }

    /**
     * Inside the caller's transaction: the change was written, so its event is COMMITTED, also over a FAILED that
     * a reconciler wrote before the write landed (as the licenses' commit does).
     */
    public Uni<Void> commitPending(UUID id) {
        return AuditEvent.update("outcome = ?1, completedAt = ?2 where id = ?3 and outcome <> ?1",
                AuditState.COMMITTED, clock.instant(), id).replaceWithVoid();
    }

    /** Inside the caller's transaction: a PENDING event's change was refused, nothing was written. */
    public Uni<Void> fail(UUID id) {
        return AuditEvent.update("outcome = ?1, completedAt = ?2 where id = ?3 and outcome = ?4",
                AuditState.FAILED, clock.instant(), id, AuditState.PENDING).replaceWithVoid();
    }

    /** Marks a PENDING event COMMITTED or FAILED; an event no longer PENDING is left as it is. */
    public Uni<Void> complete(UUID id, AuditState state) {
        return Panache.withTransaction(() -> AuditEvent.update(
                "outcome = ?1, completedAt = ?2 where id = ?3 and outcome = ?4",
                state, clock.instant(), id, AuditState.PENDING)).replaceWithVoid();
    }

    /** The events {@code search} selects, newest first (time, then id, both descending), at most {@code limit}. */
    Uni<List<AuditEvent>> search(AuditSearch search, int limit) {
        Map<String, Object> params = new HashMap<>();
        String where = search.where(params);
        String query = (where.isEmpty() ? "" : where + " ") + "order by occurredAt desc, id desc";
        return Panache.withSession(() -> AuditEvent.<AuditEvent>find(query, params).page(0, limit).list());
    }

    private String toJson(Object o) {
        if (o == null) {
            return null;
        }
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("Cannot serialise audit state", ex);
        }
    }

    /**
     * Builds a PENDING, not yet persisted event. {@code actor} and {@code target} are required; the id is random
     * unless given (an issue plan fixes it up front, so a retry re-uses it); before and after are serialised to
     * JSON.
     */
    public final class EventBuilder {

        private final AuditAction action;
        private UUID id;
        private String actor;
        private String targetId;
        private String customerId;
        private Object before;
        private Object after;
        private String reason;
        private String clientAddress;

        private EventBuilder(AuditAction action) {
            this.action = Objects.requireNonNull(action, "action");
        }

        public EventBuilder id(UUID id) {
            this.id = id;
            return this;
        }

        /** Who made the change: the token's subject. */
        public EventBuilder actor(String actor) {
            this.actor = actor;
            return this;
        }

        /** The id of what changed; its kind is the action's {@link AuditAction#target()}. */
        public EventBuilder target(String targetId) {
            this.targetId = targetId;
            return this;
        }

        /** The customer the change belongs to, when there is one (licenses, customers, contacts). */
        public EventBuilder customer(String customerId) {
            this.customerId = customerId;
            return this;
        }

        /** The state before the change (absent for creations). */
        public EventBuilder before(Object state) {
            this.before = state;
            return this;
        }

        public EventBuilder after(Object state) {
            this.after = state;
            return this;
        }

        /** The caller's free-text reason (suspend, reinstate, revoke, regenerate-key). */
        public EventBuilder reason(String reason) {
            this.reason = reason;
            return this;
        }

        public EventBuilder clientAddress(String clientAddress) {
            this.clientAddress = clientAddress;
            return this;
        }

        public AuditEvent build() {
            AuditEvent e = new AuditEvent();
            e.id = id != null ? id : UUID.randomUUID();
            e.occurredAt = clock.instant();
            e.actor = Objects.requireNonNull(actor, "actor");
            e.action = action;
            e.targetType = action.target();
            e.targetId = Objects.requireNonNull(targetId, "target");
            e.customerId = customerId;
            e.beforeState = toJson(before);
            e.afterState = toJson(after);
            e.reason = reason;
            e.clientAddress = clientAddress;
            e.outcome = AuditState.PENDING;
            return e;
        }
    }
}
