package org.licensing.issuer.readmodel;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.licensing.issuer.audit.AuditAction;
import org.licensing.issuer.audit.AuditState;
import org.licensing.issuer.config.IssuerConfig;
import org.licensing.issuer.readmodel.PendingEventStore.Decision;
import org.licensing.issuer.readmodel.PendingEventStore.PendingEvent;
import org.licensing.store.Checkout;
import org.licensing.store.LicenseRecord;
import org.licensing.store.LicenseStore;
import org.licensing.support.async.Async;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Completes license changes whose request died between its steps (audit event PENDING -> DynamoDB write ->
 * COMMITTED + summary): every PENDING event older than {@code licensing.read-model.reconcile-older-than} is decided
 * from the DynamoDB record ({@link #decide}) and marked COMMITTED (with the summary) or FAILED. Runs on a schedule
 * in every replica and on demand ({@code POST /v1/admin/reconcile}); two runs at once complete each event once
 * ({@link PendingEventStore#complete}).
 */
@ApplicationScoped
public class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);

    private final PendingEventStore events;
    private final LicenseStore licenses;
    private final IssuerConfig config;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final AtomicReference<ReconcileRun> lastRun = new AtomicReference<>();

    public Reconciler(PendingEventStore events, LicenseStore licenses, IssuerConfig config, Clock clock,
            MeterRegistry metrics) {
        this.events = events;
        this.licenses = licenses;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Scheduled(identity = "audit-reconciler", every = "${licensing.read-model.reconcile-every:60s}",
            delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return run(config.readModel().reconcileOlderThan())
                .invoke(run -> {
                    if (run.examined() > 0) {
                        LOG.infof("reconciler: %s", run);
                    }
                })
                .onFailure().invoke(e -> LOG.warnf("reconciler run failed: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** The configured bound. */
    public Duration olderThan() {
        return config.readModel().reconcileOlderThan();
    }

    /** The last run of this replica, if any. */
    public Optional<ReconcileRun> lastRun() {
        return Optional.ofNullable(lastRun.get());
    }

    /** One run over the PENDING events older than {@code olderThan} (at most reconcile-batch of them). */
    public Uni<ReconcileRun> run(Duration olderThan) {
        Instant before = clock.instant().minus(olderThan);
        return events.pendingBefore(before, config.readModel().reconcileBatch())
                .onItem().transformToMulti(ids -> Multi.createFrom().iterable(ids))
                .onItem().transformToUniAndConcatenate(id -> events.complete(id, clock.instant(), this::decide)
                        .map(Outcome::of)
                        .onFailure().recoverWithItem(e -> {
                            LOG.warnf("reconciler: audit event %s not completed: %s", id, e.toString());
                            return Outcome.ERROR;
                        }))
                .collect().in(() -> new int[Outcome.values().length], (counts, o) -> counts[o.ordinal()]++)
                .map(c -> new ReconcileRun(c[0] + c[1] + c[2] + c[3], c[Outcome.COMMITTED.ordinal()],
                        c[Outcome.FAILED.ordinal()], c[Outcome.SKIPPED.ordinal()], c[Outcome.ERROR.ordinal()],
                        olderThan.toString(), clock.instant()))
                .invoke(run -> {
                    lastRun.set(run);
                    metrics.counter("licensing.reconciler.events", "outcome", "committed").increment(run.committed());
                    metrics.counter("licensing.reconciler.events", "outcome", "failed").increment(run.failed());
                    metrics.counter("licensing.reconciler.events", "outcome", "error").increment(run.errors());
                });
    }

    private Uni<Decision> decide(PendingEvent event) {
        return Async.of(() -> licenses.find(event.licenseId()))
                .map(record -> new Decision(decide(event, record.orElse(null)), record));
    }

    /**
     * Whether the DynamoDB record shows the change the event meant:
     * <ul>
     * <li>no record: the change never reached DynamoDB (only an issue can leave none): FAILED;</li>
     * <li>an issue: license ids are random, so the record exists only because this issue wrote it: COMMITTED;</li>
     * <li>the record at the intended version: COMMITTED if it carries the intended updatedAt (this change wrote it),
     * FAILED if another change of the same version won the conditional write;</li>
     * <li>a later version: some change of the intended version happened and was built on; it was this one unless
     * another event of the license is COMMITTED with that version;</li>
     * <li>an earlier version: the write never happened: FAILED.</li>
     * </ul>
     * Checkouts, returns and unbound files do not change the version: see {@link #decideCheckout}.
     */
    static AuditState decide(PendingEvent event, LicenseRecord record) {
        if (record == null) {
            return AuditState.FAILED;
        }
        if (event.action() == AuditAction.LICENSE_ISSUED) {
            return AuditState.COMMITTED;
        }
        if (event.checkout() != null && CHECKOUT_ACTIONS.contains(event.action())) {
            return decideCheckout(event, record);
        }
        if (record.version() == event.intendedVersion()) {
            return record.updatedAt().equals(event.intendedUpdatedAt()) ? AuditState.COMMITTED : AuditState.FAILED;
        }
        if (record.version() > event.intendedVersion()) {
            return event.takenByAnother() ? AuditState.FAILED : AuditState.COMMITTED;
        }
        return AuditState.FAILED;
    }

    private static final Set<AuditAction> CHECKOUT_ACTIONS = EnumSet.of(AuditAction.LICENSE_CHECKED_OUT,
            AuditAction.LICENSE_CHECKOUT_RETURNED, AuditAction.LICENSE_FILE_ISSUED);

    /**
     * A checkout (or unbound file) takes the license's next sequence number with a conditional write, so each
     * number is written by exactly one of them; a return sets the checkout's return time on the condition that it
     * had none:
     * <ul>
     * <li>the machine's entry is this checkout: COMMITTED (its id is this event's, chosen before the write);</li>
     * <li>the record's sequence is below the event's: the write never happened: FAILED;</li>
     * <li>the number was taken but the entry is gone (the machine checked out again since, or an unbound file):
     * COMMITTED unless another event of the license is COMMITTED with that number;</li>
     * <li>a return: COMMITTED if the entry is this checkout with this event's return time, FAILED if the entry is
     * this checkout not returned or returned at another time (another return won); if the machine checked out again
     * since, COMMITTED unless another return of the checkout is COMMITTED.</li>
     * </ul>
     */
    static AuditState decideCheckout(PendingEvent event, LicenseRecord record) {
        PendingEventStore.CheckoutIntent intent = event.checkout();
        Checkout entry = intent.fingerprint() == null ? null : record.checkouts().get(intent.fingerprint());
        boolean ours = entry != null && entry.checkoutId().equals(intent.checkoutId());
        if (event.action() == AuditAction.LICENSE_CHECKOUT_RETURNED) {
            if (ours) {
                return entry.returnedAt() != null && entry.returnedAt().equals(intent.returnedAt())
                        ? AuditState.COMMITTED : AuditState.FAILED;
            }
            return event.takenByAnother() ? AuditState.FAILED : AuditState.COMMITTED;
        }
        if (ours) {
            return AuditState.COMMITTED;
        }
        if (record.checkoutSequence() < intent.sequence()) {
            return AuditState.FAILED;
        }
        return event.takenByAnother() ? AuditState.FAILED : AuditState.COMMITTED;
    }

    private enum Outcome {
        COMMITTED, FAILED, SKIPPED, ERROR;

        static Outcome of(Optional<AuditState> state) {
            return state.map(s -> s == AuditState.COMMITTED ? COMMITTED : FAILED).orElse(SKIPPED);
        }
    }
}
