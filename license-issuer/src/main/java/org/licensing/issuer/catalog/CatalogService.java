package org.licensing.issuer.catalog;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.licensing.core.license.Entitlements;
import org.licensing.core.problem.ProblemType;
import org.licensing.issuer.audit.AuditAction;
import org.licensing.issuer.audit.AuditLog;
import org.licensing.issuer.catalog.CatalogDtos.ContactView;
import org.licensing.issuer.catalog.CatalogDtos.CreateContact;
import org.licensing.issuer.catalog.CatalogDtos.CreateCustomer;
import org.licensing.issuer.catalog.CatalogDtos.CreatePolicy;
import org.licensing.issuer.catalog.CatalogDtos.CreateProduct;
import org.licensing.issuer.catalog.CatalogDtos.CustomerView;
import org.licensing.issuer.catalog.CatalogDtos.UpdateCustomer;
import org.licensing.issuer.catalog.CatalogDtos.PolicyView;
import org.licensing.issuer.catalog.CatalogDtos.ProductView;
import org.licensing.issuer.support.LikePatterns;
import org.licensing.support.problem.Problems;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Catalog changes: each in one transaction together with its audit event. */
@ApplicationScoped
public class CatalogService {

    private final AuditLog audit;
    private final Clock clock;

    public CatalogService(AuditLog audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    public Uni<CustomerView> createCustomer(CreateCustomer req, String actor, String address) {
        return Panache.withTransaction(() -> {
            Uni<Long> taken = req.externalId() == null ? Uni.createFrom().item(0L)
                    : Customer.count("externalId", req.externalId());
            return taken.chain(n -> {
                if (n > 0) {
                    throw Problems.of(ProblemType.DUPLICATE_EXTERNAL_ID, "A customer with externalId " + req.externalId() + " exists");
                }
                Customer c = new Customer();
                c.id = UUID.randomUUID();
                c.name = req.name().strip();
                c.externalId = req.externalId();
                c.status = req.status() == null ? CustomerStatus.ACTIVE : req.status();
                c.createdAt = now();
                c.version = 1;
                c.updatedAt = c.createdAt;
                CustomerView view = CustomerView.of(c);
                return c.persist().chain(() -> audit.recordCommitted(audit.event(AuditAction.CUSTOMER_CREATED)
                        .actor(actor).clientAddress(address)
                        .target(c.id.toString()).customer(c.id.toString())
                        .after(view).build()))
                        .replaceWith(view);
            });
        });
    }

    /**
     * Changes a customer's name, external id or status (absent fields stay), on the version it is based on when one
     * is given, with its audit event (and so its customer.updated event) in the same transaction. A changed external
     * id reaches the license read model in that transaction too (V10's trigger).
     */
    public Uni<CustomerView> updateCustomer(UUID id, UpdateCustomer req, Long expectedVersion, String actor,
            String address) {
        if (req.name() == null && req.externalId() == null && req.status() == null) {
            throw Problems.badRequest("Give at least one of name, externalId, status");
        }
        return Panache.withTransaction(() -> Customer.<Customer>findById(id, LockModeType.PESSIMISTIC_WRITE)
                .chain(c -> {
                    if (c == null) {
                        throw Problems.notFound("Customer " + id);
                    }
                    if (expectedVersion != null && expectedVersion != c.version) {
                        throw Problems.of(ProblemType.STALE_VERSION, "Customer " + id + " is at version " + c.version
                                + ", not " + expectedVersion + ": read it again");
                    }
                    boolean newExternalId = req.externalId() != null && !req.externalId().equals(c.externalId);
                    Uni<Long> taken = newExternalId ? Customer.count("externalId = ?1 and id <> ?2",
                            req.externalId(), id) : Uni.createFrom().item(0L);
                    return taken.chain(n -> {
                        if (n > 0) {
                            throw Problems.of(ProblemType.DUPLICATE_EXTERNAL_ID, "A customer with externalId "
                                    + req.externalId() + " exists");
                        }
                        CustomerView before = CustomerView.of(c);
                        if (req.name() != null) {
                            c.name = req.name().strip();
                        }
                        if (req.externalId() != null) {
                            c.externalId = req.externalId();
                        }
                        if (req.status() != null) {
                            c.status = req.status();
                        }
                        c.version++;
                        c.updatedAt = now();
                        CustomerView after = CustomerView.of(c);
                        return audit.recordCommitted(audit.event(AuditAction.CUSTOMER_UPDATED).actor(actor)
                                        .clientAddress(address).target(id.toString()).customer(id.toString())
                                        .before(before).after(after).reason(req.reason()).build())
                                .replaceWith(after);
                    });
                }));
    }

    /**
     * One page of customers by name; with {@code only} just that one (a portal token's own); with {@code q} (trimmed,
     * not blank) only those whose name contains it or whose external id starts with it, both ignoring case.
     */
    public Uni<List<CustomerView>> customers(UUID only, String q, int page, int size) {
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (only != null) {
            where.add("id = :only");
            params.put("only", only);
        }
        if (q != null) {
            String text = LikePatterns.escape(q.toLowerCase(Locale.ROOT));
            where.add("(lower(name) like :contains escape '\\' or lower(externalId) like :prefix escape '\\')");
            params.put("contains", "%" + text + "%");
            params.put("prefix", text + "%");
        }
        String query = (where.isEmpty() ? "" : String.join(" and ", where) + " ") + "order by name, id";
        return Panache.withSession(() -> Customer.<Customer>find(query, params).page(page, size).list())
                .map(l -> l.stream().map(CustomerView::of).toList());
    }

    public Uni<CustomerView> customer(UUID id) {
        return Panache.withSession(() -> Customer.<Customer>findById(id)).map(c -> {
            if (c == null) {
                throw Problems.notFound("Customer " + id);
            }
            return CustomerView.of(c);
        });
    }

    public Uni<ContactView> addContact(UUID customerId, CreateContact req, String actor, String address) {
        return Panache.withTransaction(() -> Customer.<Customer>findById(customerId).chain(customer -> {
            if (customer == null) {
                throw Problems.notFound("Customer " + customerId);
            }
            String email = req.email().strip().toLowerCase(java.util.Locale.ROOT);
            return Contact.count("customerId = ?1 and email = ?2 and role = ?3", customerId, email, req.role())
                    .chain(n -> {
                        if (n > 0) {
                            throw Problems.of(ProblemType.DUPLICATE_CONTACT, "This customer already has " + email + " as " + req.role());
                        }
                        Contact c = new Contact();
                        c.id = UUID.randomUUID();
                        c.customerId = customerId;
                        c.email = email;
                        c.name = req.name();
                        c.role = req.role();
                        c.createdAt = now();
                        ContactView view = ContactView.of(c);
                        return c.persist().chain(() -> audit.recordCommitted(audit.event(AuditAction.CONTACT_ADDED)
                                .actor(actor).clientAddress(address)
                                .target(customerId.toString()).customer(customerId.toString())
                                .after(view).build())).replaceWith(view);
                    });
        }));
    }

    public Uni<List<ContactView>> contacts(UUID customerId) {
        return Panache.withSession(() -> Customer.<Customer>findById(customerId).chain(customer -> {
            if (customer == null) {
                throw Problems.notFound("Customer " + customerId);
            }
            return Contact.<Contact>find("customerId = ?1 order by role, email", customerId).list();
        })).map(l -> l.stream().map(ContactView::of).toList());
    }

    public Uni<ProductView> createProduct(CreateProduct req, String actor, String address) {
        return Panache.withTransaction(() -> Product.<Product>findById(req.code()).chain(existing -> {
            if (existing != null) {
                throw Problems.of(ProblemType.DUPLICATE_PRODUCT, "Product " + req.code() + " exists");
            }
            Product p = new Product();
            p.code = req.code();
            p.name = req.name().strip();
            p.createdAt = now();
            ProductView view = ProductView.of(p);
            return p.persist().chain(() -> audit.recordCommitted(audit.event(AuditAction.PRODUCT_CREATED)
                    .actor(actor).clientAddress(address)
                    .target(p.code)
                    .after(view).build())).replaceWith(view);
        }));
    }

    public Uni<List<ProductView>> products() {
        return Panache.withSession(() -> Product.<Product>find("order by code").list())
                .map(l -> l.stream().map(ProductView::of).toList());
    }

    public Uni<ProductView> product(String code) {
        return Panache.withSession(() -> Product.<Product>findById(code)).map(p -> {
            if (p == null) {
                throw Problems.notFound("Product " + code);
            }
            return ProductView.of(p);
        });
    }

    public Uni<PolicyView> createPolicy(CreatePolicy req, String actor, String address) {
        return Panache.withTransaction(() -> Product.<Product>findById(req.productCode()).chain(product -> {
            if (product == null) {
                throw Problems.of(ProblemType.UNKNOWN_PRODUCT, "Product " + req.productCode() + " does not exist");
            }
            Policy p = new Policy();
            p.id = UUID.randomUUID();
            p.productCode = product.code;
            p.name = req.name().strip();
            p.durationDays = req.durationDays();
            p.graceDays = orZero(req.graceDays());
            p.maxActivations = orZero(req.maxActivations());
            p.heartbeatHours = orZero(req.heartbeatHours());
            p.maxDeactivationsPerDay = orZero(req.maxDeactivationsPerDay());
            p.overagePercent = orZero(req.overagePercent());
            p.maxCheckoutDays = req.maxCheckoutDays() == null ? Policy.DEFAULT_MAX_CHECKOUT_DAYS : req.maxCheckoutDays();
            p.allowUnboundFiles = Boolean.TRUE.equals(req.allowUnboundFiles());
            p.requireUsageReports = Boolean.TRUE.equals(req.requireUsageReports());
            p.entitlements = req.entitlements() == null ? Entitlements.NONE : req.entitlements().toEntitlements();
            p.createdAt = now();
            PolicyView view = PolicyView.of(p);
            return p.persist().chain(() -> audit.recordCommitted(audit.event(AuditAction.POLICY_CREATED)
                    .actor(actor).clientAddress(address)
                    .target(p.id.toString())
                    .after(view).build())).replaceWith(view);
        }));
    }

    public Uni<List<PolicyView>> policies(String productCode) {
        return Panache.withSession(() -> productCode == null
                ? Policy.<Policy>find("order by productCode, name, id").list()
                : Policy.<Policy>find("productCode = ?1 order by name, id", productCode).list())
                .map(l -> l.stream().map(PolicyView::of).toList());
    }

    public Uni<PolicyView> policy(UUID id) {
        return Panache.withSession(() -> Policy.<Policy>findById(id)).map(p -> {
            if (p == null) {
                throw Problems.notFound("Policy " + id);
            }
            return PolicyView.of(p);
        });
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static int orZero(Integer v) {
        return v == null ? 0 : v;
    }
}
