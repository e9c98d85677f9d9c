package org.licensing.issuer.eventimport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.licensing.store.EventOutbox;
import org.licensing.store.EventOutboxStore;
import org.licensing.store.EventOutboxStore.PendingItem;
import org.licensing.store.EventOutboxStore.PendingPage;
import org.licensing.store.OutboxEvent;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Copies the events the validator and the notification service wrote into their DynamoDB items' outboxes into the
 * issuer's feed ({@code events}), then removes them from the items. Runs every {@code licensing.event-import.every} in
 * each replica. Per run: one Query of each partition of the sparse pending-events index (oldest first, at most
 * {@code batch} items each), one PostgreSQL transaction publishing the events read, then one conditional UpdateItem per
 * item removing what was published.
 *
 * <p>Idempotent and safe with several replicas: publishing is keyed on the event id ({@code ON CONFLICT DO NOTHING}),
 * and removal takes only the events read, from the front of the list, on the condition that they are still there. A
 * crash between the commit and the removal leaves the events in the items: the next run publishes nothing new and
 * removes them. Order: the events of one run are published oldest first (an item's own events keep their order), so a
 * license's validator events follow each other in the feed as they happened.
 */
@ApplicationScoped
public class EventImporter {

    private static final Logger LOG = Logger.getLogger(EventImporter.class);

    private final EventOutboxStore outbox;
    private final EventImportStore events;
    private final EventImportConfig config;
    private final Clock clock;
    private final Counter published;
    private final Counter duplicates;
    private final Counter dropped;
    private final AtomicLong lagSeconds = new AtomicLong();
    private final AtomicReference<ImportRun> lastRun = new AtomicReference<>();

    public EventImporter(EventOutboxStore outbox, EventImportStore events, EventImportConfig config, Clock clock,
            MeterRegistry registry) {
        this.outbox = outbox;
        this.events = events;
        this.config = config;
        this.clock = clock;
        this.published = Counter.builder("licensing.events.imported").description(
                "Events of the validator and the notification service published into the feed").register(registry);
        this.duplicates = Counter.builder("licensing.events.import.duplicates").description(
                "Imported events the feed already had (a retry, another replica)").register(registry);
        this.dropped = Counter.builder("licensing.events.import.dropped").description(
                "Events the services could not write because their item's outbox was full").register(registry);
        registry.gauge("licensing.events.import.lag.seconds", lagSeconds);
    }

    @Scheduled(identity = "event-import", every = "${licensing.event-import.every:30s}", delayed = "15s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return run()
                .invoke(run -> {
                    if (run.items() > 0) {
                        LOG.infof("event import: %s", run);
                    }
                    if (run.dropped() > 0) {
                        LOG.warnf("event import: %d event(s) were dropped by full outboxes (the import was behind)",
                                run.dropped());
                    }
                })
                .onFailure().invoke(e -> LOG.warnf("event import run failed: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** The last run of this replica, if any. */
    public Optional<ImportRun> lastRun() {
        return Optional.ofNullable(lastRun.get());
    }

    /** One run: every partition's oldest {@code batch} items with pending events. */
    public Uni<ImportRun> run() {
        Instant readAt = clock.instant();
        List<Uni<PendingPage>> reads = new ArrayList<>();
        for (int shard = 0; shard < EventOutbox.SHARDS; shard++) {
            int s = shard;
            reads.add(Uni.createFrom().completionStage(() -> outbox.pending(s, config.batch(), null)));
        }
        return Uni.join().all(reads).andFailFast().chain(pages -> {
            List<PendingItem> items = pages.stream().flatMap(p -> p.items().stream()).toList();
            return importItems(items, readAt);
        });
    }

    private Uni<ImportRun> importItems(List<PendingItem> items, Instant readAt) {
        List<OutboxEvent> all = new ArrayList<>();
        items.forEach(i -> all.addAll(i.events()));
        // oldest first; the sort is stable, so one item's events keep their order
        all.sort(Comparator.comparing(OutboxEvent::occurredAt));
        long droppedCount = items.stream().mapToLong(PendingItem::dropped).sum();
        Duration lag = items.stream().map(PendingItem::since).filter(s -> s != null).min(Comparator.naturalOrder())
                .map(oldest -> Duration.between(oldest, readAt)).filter(d -> !d.isNegative()).orElse(Duration.ZERO);
        long distinct = all.stream().map(OutboxEvent::id).distinct().count();
        return events.publish(all).chain(fresh -> Multi.createFrom().iterable(items)
                .onItem().transformToUniAndConcatenate(i -> Uni.createFrom().completionStage(() -> outbox.remove(i, readAt)))
                .collect().last()
                .map(ignored -> {
                    ImportRun run = new ImportRun(clock.instant(), items.size(), fresh, (int) (distinct - fresh),
                            droppedCount, lag);
                    published.increment(fresh);
                    duplicates.increment(run.duplicates());
                    dropped.increment(droppedCount);
                    lagSeconds.set(lag.toSeconds());
                    lastRun.set(run);
                    return run;
                }));
    }
}
