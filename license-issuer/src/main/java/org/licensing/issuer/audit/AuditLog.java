package org.licensing.issuer.audit;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Audit events in PostgreSQL. Catalog changes write theirs in the same transaction as the change. License changes
 * live in DynamoDB, so no transaction spans both: the event is written PENDING before the DynamoDB write and
 * marked COMMITTED (or FAILED) after it. A crash in between leaves a PENDING event, which the audit API shows and
 * {@link #pendingOlderThan} lists, so no change can happen without a trace.
 */
@ApplicationScoped
public class AuditLog {

    public static final String LICENSE = "LICENSE";

    private final ObjectMapper json;
    private final Clock clock;

    public AuditLog(ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    /** A new event (not yet persisted). */
    public AuditEvent event(UUID id, String actor, String action, String targetType, String targetId,
            String customerId, Object before, Object after, String clientAddress) {
        AuditEvent e = new AuditEvent();
        e.id = id;
        e.occurredAt = clock.instant();
        e.actor = actor;
        e.action = action;
        e.targetType = targetType;
        e.targetId = targetId;
        e.customerId = customerId;
        e.beforeState = toJson(before);
        e.afterState = toJson(after);
        e.clientAddress = clientAddress;
        e.outcome = AuditEvent.Outcome.PENDING;
        return e;
    }

    /** Inside the caller's transaction (catalog changes): committed with the change. */
    public Uni<AuditEvent> recordCommitted(AuditEvent e) {
        e.outcome = AuditEvent.Outcome.COMMITTED;
        e.completedAt = e.occurredAt;
        return e.persist();
    }

    /** Own transaction; idempotent (a retried request re-uses the event id). */
    public Uni<Void> recordPending(AuditEvent e) {
        return Panache.withTransaction(() -> AuditEvent.<AuditEvent>findById(e.id)
                .chain(existing -> existing != null ? Uni.createFrom().voidItem() : e.persist().replaceWithVoid()));
    }

    public Uni<Void> complete(UUID id, AuditEvent.Outcome outcome) {
        return Panache.withTransaction(() -> AuditEvent.update(
                "outcome = ?1, completedAt = ?2 where id = ?3 and outcome = ?4",
                outcome, clock.instant(), id, AuditEvent.Outcome.PENDING)).replaceWithVoid();
    }

    public Uni<List<AuditEvent>> forTarget(String targetType, String targetId, int limit) {
        return Panache.withSession(() -> AuditEvent.<AuditEvent>find(
                "targetType = ?1 and targetId = ?2 order by occurredAt desc, id", targetType, targetId)
                .page(0, limit).list());
    }

    public Uni<List<AuditEvent>> recent(int limit) {
        return Panache.withSession(() -> AuditEvent.<AuditEvent>find("order by occurredAt desc, id")
                .page(0, limit).list());
    }

    public Uni<List<AuditEvent>> pendingOlderThan(java.time.Instant before) {
        return Panache.withSession(() -> AuditEvent.<AuditEvent>find(
                "outcome = ?1 and occurredAt < ?2 order by occurredAt", AuditEvent.Outcome.PENDING, before).list());
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
}
