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
@Table(name = "contacts")
public class Contact extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "customer_id")
    public UUID customerId;
    public String email;
    public String name;
    @Enumerated(EnumType.STRING)
    public ContactRole role;
    @Column(name = "created_at")
    public Instant createdAt;
}
