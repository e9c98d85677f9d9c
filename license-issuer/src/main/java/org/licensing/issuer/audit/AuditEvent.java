package org.licensing.issuer.audit;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

@Entity
@Table(name = "audit_events")
public class AuditEvent extends PanacheEntityBase {

    public enum Outcome {
        /** Written before the change; stays PENDING only if the process died mid-change. */
        PENDING,
        COMMITTED,
        /** The change was refused (e.g. stale version): nothing changed. */
        FAILED
    }

    @Id
    public UUID id;
    @Column(name = "occurred_at")
    public Instant occurredAt;
    public String actor;
    public String action;
    @Column(name = "target_type")
    public String targetType;
    @Column(name = "target_id")
    public String targetId;
    @Column(name = "customer_id")
    public String customerId;
    @Column(name = "before_state")
    public String beforeState;
    @Column(name = "after_state")
    public String afterState;
    public String reason;
    @Column(name = "client_address")
    public String clientAddress;
    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    public Outcome outcome;
    @Column(name = "completed_at")
    public Instant completedAt;
}
