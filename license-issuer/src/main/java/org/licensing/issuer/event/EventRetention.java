package org.licensing.issuer.event;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.licensing.issuer.config.IssuerConfig;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Deletes events past {@code licensing.events.retention}, in batches, on a schedule in every replica (deleting is
 * idempotent: two replicas at once delete each event once). The feed refuses cursors older than what it deleted.
 */
@ApplicationScoped
public class EventRetention {

    /** Shorter would delete events whose webhook deliveries are still being retried (for a day). */
    static final Duration MINIMUM = Duration.ofDays(2);
    private static final Logger LOG = Logger.getLogger(EventRetention.class);

    private final EventStore events;
    private final IssuerConfig config;
    private final Clock clock;

    public EventRetention(EventStore events, IssuerConfig config, Clock clock) {
        this.events = events;
        this.config = config;
        this.clock = clock;
        if (config.events().retention().compareTo(MINIMUM) < 0) {
            throw new IllegalStateException("licensing.events.retention " + config.events().retention()
                    + " is shorter than " + MINIMUM + ": events would go while their deliveries are retried");
        }
    }

    @Scheduled(identity = "event-retention", every = "${licensing.events.prune-every:1h}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return pruneBefore(clock.instant().minus(config.events().retention()))
                .invoke(n -> {
                    if (n > 0) {
                        LOG.infof("event retention: %d events deleted", n);
                    }
                })
                .onFailure().invoke(e -> LOG.warnf("event retention run failed: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Deletes every event published before {@code before}, a batch per transaction; the number deleted. */
    public Uni<Integer> pruneBefore(Instant before) {
        return events.prune(before, config.events().pruneBatch()).chain(n -> n < config.events().pruneBatch()
                ? Uni.createFrom().item(n)
                : pruneBefore(before).map(more -> n + more));
    }
}
