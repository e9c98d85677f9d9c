package org.licensing.issuer.license;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.licensing.core.key.LicenseKey;
import org.licensing.core.license.Entitlements;
import org.licensing.core.license.LicenseStatus;
import org.licensing.core.problem.ProblemType;
import org.licensing.issuer.audit.AuditAction;
import org.licensing.issuer.audit.AuditEvent;
import org.licensing.issuer.audit.AuditLog;
import org.licensing.issuer.audit.AuditState;
import org.licensing.issuer.catalog.CatalogStore;
import org.licensing.issuer.catalog.CustomerStatus;
import org.licensing.issuer.readmodel.LicenseSummaryStore;
import org.licensing.issuer.security.Caller;
import org.licensing.issuer.security.LicenseVisibility;
import org.licensing.store.LicenseAlreadyExistsException;
import org.licensing.store.LicenseRecord;
import org.licensing.store.LicenseStore;
import org.licensing.store.StaleVersionException;
import org.licensing.support.async.Async;
import org.licensing.support.problem.Problems;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * License lifecycle. Every change is one conditional DynamoDB write on the license's version, wrapped by an audit
 * event written PENDING before and, after it, FAILED or COMMITTED together with the license's read-model summary
 * ({@link LicenseSummaryStore#commit}: one PostgreSQL transaction). A crash between the steps leaves a PENDING event
 * for the reconciler. Issuing reads the catalog ({@link CatalogStore}); the catalog never reads licenses.
 */
@ApplicationScoped
public class LicenseService {

    private final LicenseStore store;
    private final LicenseVisibility visibility;
    private final CatalogStore catalog;
    private final AuditLog audit;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final LicenseSummaryStore summaries;

    public LicenseService(LicenseStore store, LicenseVisibility visibility, CatalogStore catalog, AuditLog audit,
            Clock clock, MeterRegistry metrics, LicenseSummaryStore summaries) {
        this.summaries = summaries;
        this.store = store;
        this.visibility = visibility;
        this.catalog = catalog;
        this.audit = audit;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Reads the catalog and decides everything the issue writes; writes nothing. */
    public Uni<IssuePlan> plan(IssueLicenseRequest req, Caller caller) {
        if (!caller.canSee(req.customerId().toString())) {
            throw Problems.notFound("Customer " + req.customerId());
        }
        if (req.expiresAt() != null && req.durationDays() != null) {
            throw Problems.badRequest("Give either expiresAt or durationDays, not both");
        }
        return catalog.customer(req.customerId()).chain(customer -> {
            if (customer == null) {
                throw Problems.notFound("Customer " + req.customerId());
            }
            if (customer.status != CustomerStatus.ACTIVE) {
                throw Problems.of(ProblemType.CUSTOMER_INACTIVE, "Customer " + customer.id + " is not active");
            }
            return catalog.policy(req.policyId()).chain(policy -> {
                if (policy == null) {
                    throw Problems.of(ProblemType.UNKNOWN_POLICY, "Policy " + req.policyId() + " does not exist");
                }
                if (req.productCode() != null && !req.productCode().equals(policy.productCode)) {
                    throw Problems.of(ProblemType.PRODUCT_MISMATCH, "Policy " + policy.id + " is for product "
                            + policy.productCode + ", not " + req.productCode());
                }
                return catalog.product(policy.productCode).chain(product -> catalog.financeEmails(customer.id)
                        .map(emails -> {
                            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                            Instant notBefore = Optional.ofNullable(req.notBefore()).orElse(now)
                                    .truncatedTo(ChronoUnit.MILLIS);
                            Instant expiresAt = req.expiresAt() != null
                                    ? req.expiresAt().truncatedTo(ChronoUnit.MILLIS)
                                    : notBefore.plus(Duration.ofDays(Optional.ofNullable(req.durationDays())
                                            .orElse(policy.durationDays)));
                            if (!expiresAt.isAfter(notBefore)) {
                                throw Problems.badRequest("expiresAt must be after notBefore");
                            }
                            if (!expiresAt.isAfter(now)) {
                                throw Problems.badRequest("expiresAt must be in the future");
                            }
                            Entitlements entitlements = policy.entitlements.overriddenBy(
                                    req.entitlements() == null ? null : req.entitlements().toEntitlements());
                            UUID id = UUID.randomUUID();
                            LicenseKey key = LicenseKey.generate(id);
                            LicenseRecord record = LicenseRecord.builder()
                                    .licenseId(id.toString())
                                    .keyHash(key.secretHash())
                                    .customerId(customer.id.toString())
                                    .customerName(customer.name)
                                    .productCode(policy.productCode)
                                    .productName(product == null ? null : product.name)
                                    .policyId(policy.id.toString())
                                    .status(LicenseStatus.ACTIVE)
                                    .issuedAt(now)
                                    .notBefore(notBefore)
                                    .expiresAt(expiresAt)
                                    .graceDays(Optional.ofNullable(req.graceDays()).orElse(policy.graceDays))
                                    .maxActivations(Optional.ofNullable(req.maxActivations())
                                            .orElse(policy.maxActivations))
                                    .heartbeatHours(policy.heartbeatHours)
                                    .maxDeactivationsPerDay(policy.maxDeactivationsPerDay)
                                    .overagePercent(policy.overagePercent)
                                    .entitlements(entitlements)
                                    .financeEmails(emails)
                                    .updatedAt(now)
                                    .build();
                            return new IssuePlan(UUID.randomUUID(), key.text(), record);
                        }));
            });
        });
    }

    /** Writes a plan; safe to repeat with the same plan (after a crash or by a retry). */
    public Uni<LicenseView> execute(IssuePlan plan, String actor, String clientAddress) {
        LicenseRecord r = plan.record();
        AuditEvent event = audit.event(AuditAction.LICENSE_ISSUED).id(plan.auditEventId())
                .actor(actor).clientAddress(clientAddress)
                .target(r.licenseId()).customer(r.customerId())
                .after(LicenseView.of(r))
                .build();
        return audit.recordPending(event)
                .chain(() -> Async.of(() -> store.create(r))
                        .onFailure(LicenseAlreadyExistsException.class).recoverWithNull())
                .chain(() -> summaries.commit(event.id, r, clock.instant()))
                .invoke(() -> metrics.counter("licensing.licenses.issued").increment())
                .replaceWith(() -> LicenseView.of(r, plan.licenseKey()));
    }

    /** The license, if the caller may see it (404 otherwise: see {@link LicenseVisibility}). */
    public Uni<LicenseRecord> get(String licenseId, Caller caller) {
        return visibility.visibleLicense(licenseId, caller);
    }

    public Uni<LicenseRecord> renew(String licenseId, Long expectedVersion, RenewLicenseRequest req, Caller caller) {
        if ((req.expiresAt() == null) == (req.extendDays() == null)) {
            throw Problems.badRequest("Give exactly one of expiresAt or extendDays");
        }
        return change(licenseId, expectedVersion, AuditAction.LICENSE_RENEWED, req.reason(), caller, current -> {
            if (current.status() == LicenseStatus.REVOKED) {
                throw Problems.invalidTransition("License " + licenseId + " is revoked; it cannot be renewed");
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            Instant newExpiry = req.expiresAt() != null ? req.expiresAt().truncatedTo(ChronoUnit.MILLIS)
                    : current.expiresAt().plus(Duration.ofDays(req.extendDays()));
            if (!newExpiry.isAfter(current.expiresAt())) {
                throw Problems.badRequest("expiresAt must be later than the current expiry " + current.expiresAt());
            }
            return Change.to(current.withExpiry(newExpiry,
                    req.entitlements() == null ? null : req.entitlements().toEntitlements(), now));
        }).map(Change::after);
    }

    public Uni<LicenseRecord> suspend(String licenseId, Long expectedVersion, String reason, Caller caller) {
        return transition(licenseId, expectedVersion, AuditAction.LICENSE_SUSPENDED, reason, caller,
                LicenseStatus.SUSPENDED, LicenseStatus.ACTIVE);
    }

    public Uni<LicenseRecord> reinstate(String licenseId, Long expectedVersion, String reason, Caller caller) {
        return transition(licenseId, expectedVersion, AuditAction.LICENSE_REINSTATED, reason, caller,
                LicenseStatus.ACTIVE, LicenseStatus.SUSPENDED);
    }

    public Uni<LicenseRecord> revoke(String licenseId, Long expectedVersion, String reason, Caller caller) {
        return transition(licenseId, expectedVersion, AuditAction.LICENSE_REVOKED, reason, caller,
                LicenseStatus.REVOKED, LicenseStatus.ACTIVE, LicenseStatus.SUSPENDED);
    }

    /** A new key; the old one stops working with this write. The answer carries the new key's text. */
    public Uni<LicenseView> regenerateKey(String licenseId, Long expectedVersion, String reason, Caller caller) {
        return change(licenseId, expectedVersion, AuditAction.LICENSE_KEY_REGENERATED, reason, caller, current -> {
            if (current.status() == LicenseStatus.REVOKED) {
                throw Problems.invalidTransition("License " + licenseId + " is revoked; it gets no new key");
            }
            LicenseKey key = LicenseKey.generate(UUID.fromString(current.licenseId()));
            return new Change(current.withKeyHash(key.secretHash(), clock.instant().truncatedTo(ChronoUnit.MILLIS)),
                    key.text());
        }).map(change -> LicenseView.of(change.after(), change.newKey()));
    }

    private Uni<LicenseRecord> transition(String licenseId, Long expectedVersion, AuditAction action, String reason,
            Caller caller, LicenseStatus to, LicenseStatus... from) {
        return change(licenseId, expectedVersion, action, reason, caller, current -> {
            if (!List.of(from).contains(current.status())) {
                throw Problems.invalidTransition("License " + licenseId + " is " + current.status()
                        + "; it cannot become " + to);
            }
            return Change.to(current.withStatus(to, clock.instant().truncatedTo(ChronoUnit.MILLIS)));
        }).map(Change::after);
    }

    /**
     * What a change writes: the changed record and, for regenerate-key, the new key's text (never stored, only
     * answered once).
     */
    private record Change(LicenseRecord after, String newKey) {
        static Change to(LicenseRecord after) {
            return new Change(after, null);
        }
    }

    private Uni<Change> change(String licenseId, Long expectedVersion, AuditAction action, String reason,
            Caller caller, Function<LicenseRecord, Change> mutate) {
        String actor = caller.actor();
        String address = caller.clientAddress();
        return get(licenseId, caller).chain(current -> {
            if (expectedVersion != null && expectedVersion != current.version()) {
                throw Problems.staleVersion(licenseId);
            }
            Change change = mutate.apply(current);
            LicenseRecord changed = change.after();
            AuditEvent event = audit.event(action)
                    .actor(actor).clientAddress(address)
                    .target(current.licenseId()).customer(current.customerId())
                    .before(LicenseView.of(current)).after(LicenseView.of(changed))
                    .reason(reason)
                    .build();
            return audit.recordPending(event)
                    .chain(() -> Async.of(() -> store.update(changed)))
                    .onFailure(StaleVersionException.class).call(() -> audit.complete(event.id, AuditState.FAILED))
                    .onFailure(StaleVersionException.class).transform(e -> Problems.staleVersion(licenseId))
                    .chain(() -> summaries.commit(event.id, changed, clock.instant()))
                    .invoke(() -> metrics.counter("licensing.licenses.changed", "action", action.name()).increment())
                    .replaceWith(change);
        });
    }
}
