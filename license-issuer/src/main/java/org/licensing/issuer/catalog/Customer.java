package org.licensing.issuer.catalog;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

@Entity
@Table(name = "customers")
public class Customer extends PanacheEntityBase {
    @Id
    public UUID id;
    public String name;
    @Column(name = "external_id")
    public String externalId;
    @Enumerated(EnumType.STRING)
    public CustomerStatus status;
    @Column(name = "created_at")
    public Instant createdAt;
    /** 1 at creation, +1 per change: the entity tag of If-Match. */
    public long version;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
