package org.licensing.issuer.readmodel;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.licensing.issuer.config.IssuerConfig;
import org.licensing.issuer.readmodel.RebuildStore.Rebuild;
import org.licensing.store.LicenseStore;
import org.licensing.support.async.Async;
import org.licensing.support.problem.Problems;

import io.smallrye.mutiny.Uni;

/**
 * Rebuilds {@code license_summaries} from the DynamoDB records (a paginated Scan of the license items; the upsert
 * never replaces a newer version, so changes made meanwhile stay). Runs in the background; a POST while one runs
 * answers its progress; a rebuild whose progress stood still for {@code licensing.read-model.rebuild-lease} (its
 * replica died) is resumed after the last page it wrote.
 */
@ApplicationScoped
public class ReadModelRebuild {

    private static final Logger LOG = Logger.getLogger(ReadModelRebuild.class);

    private final RebuildStore rebuilds;
    private final LicenseStore licenses;
    private final IssuerConfig config;
    private final Clock clock;
    /** Rebuilds this replica is running now. */
    private final Set<UUID> runningHere = ConcurrentHashMap.newKeySet();

    public ReadModelRebuild(RebuildStore rebuilds, LicenseStore licenses, IssuerConfig config, Clock clock) {
        this.rebuilds = rebuilds;
        this.licenses = licenses;
        this.config = config;
        this.clock = clock;
    }

    /** Starts a rebuild, resumes a stalled one, or answers the one running. */
    public Uni<RebuildView> start() {
        Instant now = clock.instant();
        return rebuilds.latest().chain(latest -> {
            if (latest.isPresent() && "RUNNING".equals(latest.get().state())) {
                Rebuild r = latest.get();
                boolean stalled = r.updatedAt().plus(config.readModel().rebuildLease()).isBefore(now);
                if (runningHere.contains(r.id()) || !stalled) {
                    return Uni.createFrom().item(r.view());
                }
                return rebuilds.takeOver(r.id(), r.updatedAt(), now)
                        .map(taken -> taken.map(this::launch).orElse(r).view());
            }
            return rebuilds.create(now).map(this::launch).map(Rebuild::view);
        });
    }

    public Uni<RebuildView> progress() {
        return rebuilds.latest().map(r -> r.map(Rebuild::view)
                .orElseThrow(() -> Problems.notFound("No read-model rebuild has run")));
    }

    private Rebuild launch(Rebuild r) {
        if (!runningHere.add(r.id())) {
            return r;
        }
        LOG.infof("read-model rebuild %s %s", r.id(), r.lastKey() == null ? "started" : "resumed after "
                + r.lastKey());
        pages(r.id(), r.lastKey())
                .eventually(() -> runningHere.remove(r.id()))
                .subscribe().with(
                        ignored -> LOG.infof("read-model rebuild %s done", r.id()),
                        e -> {
                            LOG.errorf("read-model rebuild %s failed: %s", r.id(), e.toString());
                            String message = e.getClass().getSimpleName() + ": " + e.getMessage();
                            rebuilds.finish(r.id(), "FAILED", message.substring(0, Math.min(500, message.length())),
                                    clock.instant()).subscribe().with(x -> { }, x -> { });
                        });
        return r;
    }

    private Uni<Void> pages(UUID id, String after) {
        return Async.of(() -> licenses.scanLicenses(config.readModel().rebuildPageSize(), after))
                .chain(page -> rebuilds.page(id, page.licenses(), page.nextCursor(), clock.instant())
                        .replaceWith(Optional.ofNullable(page.nextCursor())))
                .chain(next -> next.isPresent() ? pages(id, next.get())
                        : rebuilds.finish(id, "DONE", null, clock.instant()));
    }
}
