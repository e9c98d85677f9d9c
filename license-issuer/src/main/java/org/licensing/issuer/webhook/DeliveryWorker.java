package org.licensing.issuer.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.licensing.issuer.config.IssuerConfig;
import org.licensing.issuer.webhook.DeliveryPolicy.Attempt;
import org.licensing.issuer.webhook.DeliveryPolicy.Outcome;
import org.licensing.issuer.webhook.DeliveryStore.Due;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Sends due webhook deliveries. Runs in every replica on a schedule: each poll claims up to
 * {@code licensing.webhooks.batch} due deliveries (SKIP LOCKED, leased: see {@link DeliveryStore#claim}), sends them
 * at once, and records each outcome ({@link DeliveryPolicy}). A replica that dies mid-attempt leaves its claims to
 * be taken again when their lease ends: at least once, never lost; receivers deduplicate on {@code webhook-id}.
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);
    static final String UNREADABLE_SECRET = "signing secret unreadable (sealed under another"
            + " licensing.webhooks.secret-key): rotate the endpoint's secret";

    private final DeliveryStore deliveries;
    private final WebhookSender sender;
    private final IssuerConfig config;
    private final Clock clock;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final DeliveryPolicy policy;
    private final AtomicLong latestSequence = new AtomicLong();
    private final Map<UUID, AtomicLong> oldestAgeSeconds = new ConcurrentHashMap<>();

    public DeliveryWorker(DeliveryStore deliveries, WebhookSender sender, IssuerConfig config, Clock clock,
            ObjectMapper json, MeterRegistry metrics) {
        this.deliveries = deliveries;
        this.sender = sender;
        this.config = config;
        this.clock = clock;
        this.json = json;
        this.metrics = metrics;
        this.policy = new DeliveryPolicy(config.webhooks().firstBackoff(), config.webhooks().maxBackoff(),
                config.webhooks().retryFor(), new java.util.Random());
        FunctionCounter.builder("licensing.events.published", latestSequence, AtomicLong::doubleValue)
                .description("Events published to the feed (its latest sequence number)").register(metrics);
    }

    @Scheduled(identity = "webhook-delivery", every = "${licensing.webhooks.poll-every:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return runOnce().replaceWithVoid()
                .chain(this::refreshMetrics)
                .onFailure().invoke(e -> LOG.warnf("webhook delivery run failed: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One poll: claim, send, record. The number of deliveries attempted. */
    public Uni<Integer> runOnce() {
        Instant now = clock.instant();
        // the lease outlasts the attempt's own bound (WebhookSender: 3 x timeout) and the DNS lookup
        Instant lease = now.plus(config.webhooks().timeout().multipliedBy(4)).plusSeconds(30);
        return deliveries.claim(now, lease, config.webhooks().batch()).chain(claimed -> claimed.isEmpty()
                ? Uni.createFrom().item(0)
                : Uni.join().all(claimed.stream().map(this::attempt).toList()).andCollectFailures()
                        .map(List::size));
    }

    private Uni<Void> attempt(Due due) {
        byte[] body;
        try {
            body = json.writeValueAsString(due.event()).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        long timestamp = clock.instant().getEpochSecond();
        // a secret sealed under another key cannot sign: a failed attempt the log explains, never an unsigned one
        Uni<Attempt> sent = due.secrets().isEmpty()
                ? Uni.createFrom().item(new Attempt(null, 0, UNREADABLE_SECRET))
                : sender.send(due.url(), due.event().id(), timestamp, body, due.secrets());
        return sent.chain(attempt -> {
            Instant now = clock.instant();
            Outcome outcome = policy.decide(attempt, due.attempts(), due.createdAt(), due.firstAttemptAt(),
                    due.failingSince(), now);
            String result = attempt.delivered() ? "delivered" : outcome.state() == DeliveryPolicy.State.DEAD
                    ? "dead" : attempt.error() != null && attempt.error().startsWith("refused") ? "refused" : "failed";
            metrics.counter("licensing.webhooks.deliveries", "outcome", result).increment();
            if (outcome.disableReason() != null) {
                LOG.warnf("webhook endpoint %s disabled: %s", due.endpointId(), outcome.disableReason());
            }
            return deliveries.record(due, attempt, outcome, now);
        });
    }

    private Uni<Void> refreshMetrics() {
        Instant now = clock.instant();
        return deliveries.latestSequence().invoke(latestSequence::set)
                .chain(() -> deliveries.oldestUndelivered()).invoke(oldest -> {
                    oldestAgeSeconds.forEach((endpoint, age) -> {
                        if (!oldest.containsKey(endpoint)) {
                            age.set(0);
                        }
                    });
                    oldest.forEach((endpoint, since) -> oldestAgeSeconds.computeIfAbsent(endpoint, id -> {
                        AtomicLong age = new AtomicLong();
                        Gauge.builder("licensing.webhooks.oldest.undelivered.age", age, AtomicLong::doubleValue)
                                .baseUnit("seconds").tag("endpoint", id.toString())
                                .description("Age of the oldest event not yet delivered to the endpoint")
                                .register(metrics);
                        return age;
                    }).set(Math.max(0, now.getEpochSecond() - since.getEpochSecond())));
                }).replaceWithVoid();
    }
}
