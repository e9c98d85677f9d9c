package org.licensing.issuer.audit;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One audited change (table {@code audit_events}); built by {@link AuditLog#event(AuditAction)}. */
@Entity
@Table(name = "audit_events")
public class AuditEvent extends PanacheEntityBase {

    @Id
    public UUID id;
    @Column(name = "occurred_at")
    public Instant occurredAt;
    public String actor;
    @Enumerated(EnumType.STRING)
    public AuditAction action;
    @Enumerated(EnumType.STRING)
    @Column(name = "target_type")
    public AuditTarget targetType;
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
    @Enumerated(EnumType.STRING)
    public AuditState outcome;
    @Column(name = "completed_at")
    public Instant completedAt;
}
