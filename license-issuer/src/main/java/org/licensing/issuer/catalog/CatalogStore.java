package org.licensing.issuer.catalog;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Read-only catalog queries other features need, e.g. issuing a license (each in its own reactive session; null when
 * not found).
 */
@ApplicationScoped
public class CatalogStore {

    public Uni<Customer> customer(UUID id) {
        return Panache.withSession(() -> Customer.findById(id));
    }

    public Uni<Policy> policy(UUID id) {
        return Panache.withSession(() -> Policy.findById(id));
    }

    public Uni<Product> product(String code) {
        return Panache.withSession(() -> Product.findById(code));
    }

    public Uni<List<String>> financeEmails(UUID customerId) {
        return Panache.withSession(() -> Contact.<Contact>find("customerId = ?1 and role = ?2 order by email",
                customerId, ContactRole.FINANCE).list())
                .map(list -> list.stream().map(c -> c.email).distinct().toList());
    }
}
