package org.licensing.issuer.catalog;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

@Entity
@Table(name = "products")
public class Product extends PanacheEntityBase {
    @Id
    public String code;
    public String name;
    @Column(name = "created_at")
    public Instant createdAt;
}
