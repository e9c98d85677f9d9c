package org.licensing.issuer.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.licensing.issuer.config.IssuerConfig;
import org.licensing.issuer.event.EventType;
import org.licensing.issuer.webhook.WebhookEndpointRequests.Create;
import org.licensing.issuer.webhook.WebhookEndpointRequests.Rotate;
import org.licensing.issuer.webhook.WebhookEndpointRequests.Update;
import org.licensing.support.problem.Problems;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Webhook endpoints: create (the secret answered once), read, change, delete, rotate the secret with an overlap.
 * Every URL is checked, and its host resolved and checked by the {@link AddressGuard}, before it is stored.
 */
@ApplicationScoped
public class WebhookEndpointService {

    static final Duration MAX_OVERLAP = Duration.ofDays(7);

    private final WebhookEndpointStore store;
    private final AddressGuard guard;
    private final IssuerConfig config;
    private final Clock clock;

    public WebhookEndpointService(WebhookEndpointStore store, AddressGuard guard, IssuerConfig config, Clock clock) {
        this.store = store;
        this.guard = guard;
        this.config = config;
        this.clock = clock;
    }

    public Uni<WebhookEndpointView> create(Create req) {
        WebhookUrl url = WebhookUrl.parse(req.url(), config.webhooks().allowHttp());
        List<String> types = types(req.eventTypes());
        return checked(url).chain(() -> {
            Instant now = clock.instant();
            return store.insert(new WebhookEndpoint(UUID.randomUUID(), url.uri().toString(), req.description(),
                    types, req.enabled() == null || req.enabled(), null, WebhookSigner.newSecret(), null, null, null,
                    now, now));
        }).map(e -> WebhookEndpointView.withSecret(e, clock.instant()));
    }

    public Uni<List<WebhookEndpointView>> list() {
        Instant now = clock.instant();
        return store.list().map(all -> all.stream().map(e -> WebhookEndpointView.of(e, now)).toList());
    }

    public Uni<WebhookEndpoint> find(UUID id) {
        return store.find(id).map(e -> e.orElseThrow(() -> Problems.notFound("Webhook endpoint " + id)));
    }

    public Uni<WebhookEndpointView> get(UUID id) {
        return find(id).map(e -> WebhookEndpointView.of(e, clock.instant()));
    }

    public Uni<WebhookEndpointView> update(UUID id, Update req) {
        WebhookUrl url = req.url() == null ? null : WebhookUrl.parse(req.url(), config.webhooks().allowHttp());
        List<String> types = req.eventTypes() == null ? null : types(req.eventTypes());
        Uni<Void> check = url == null ? Uni.createFrom().voidItem() : checked(url);
        return check.chain(() -> find(id)).chain(e -> {
            boolean enabling = Boolean.TRUE.equals(req.enabled()) && !e.enabled();
            boolean enabled = req.enabled() == null ? e.enabled() : req.enabled();
            String reason = enabled ? null : Boolean.FALSE.equals(req.enabled()) && e.enabled()
                    ? "disabled by an operator" : e.disabledReason();
            return store.update(new WebhookEndpoint(e.id(), url == null ? e.url() : url.uri().toString(),
                    req.description() == null ? e.description() : req.description(),
                    types == null ? e.eventTypes() : types, enabled, reason, e.secret(), e.previousSecret(),
                    e.previousSecretUntil(), enabling ? null : e.failingSince(), e.createdAt(), clock.instant()));
        }).map(e -> WebhookEndpointView.of(e.orElseThrow(() -> Problems.notFound("Webhook endpoint " + id)),
                clock.instant()));
    }

    public Uni<Void> delete(UUID id) {
        return store.delete(id).invoke(found -> {
            if (!found) {
                throw Problems.notFound("Webhook endpoint " + id);
            }
        }).replaceWithVoid();
    }

    /** A new secret; the current one keeps signing (a second signature) for the overlap. */
    public Uni<WebhookEndpointView> rotate(UUID id, Rotate req) {
        Duration overlap = req == null || req.overlap() == null ? config.webhooks().rotationOverlap() : req.overlap();
        if (overlap.isNegative() || overlap.compareTo(MAX_OVERLAP) > 0) {
            throw Problems.badRequest("overlap: from PT0S to " + MAX_OVERLAP);
        }
        return find(id).chain(e -> {
            Instant now = clock.instant();
            return store.update(new WebhookEndpoint(e.id(), e.url(), e.description(), e.eventTypes(), e.enabled(),
                    e.disabledReason(), WebhookSigner.newSecret(), e.secret(), now.plus(overlap), e.failingSince(),
                    e.createdAt(), now));
        }).map(e -> WebhookEndpointView.withSecret(e.orElseThrow(() -> Problems.notFound("Webhook endpoint " + id)),
                clock.instant()));
    }

    /** Resolves and checks the host off the event loop (a DNS lookup blocks). */
    private Uni<Void> checked(WebhookUrl url) {
        return Uni.createFrom().item(() -> {
            try {
                return guard.resolve(url.host());
            } catch (RefusedAddressException e) {
                throw Problems.badRequest("url: " + e.getMessage());
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()).replaceWithVoid();
    }

    private static List<String> types(List<String> requested) {
        if (requested == null) {
            return List.of();
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String t : requested) {
            out.add(EventType.ofWireName(t).orElseThrow(() -> Problems.badRequest("eventTypes: " + t
                    + " is not an event type")).wireName());
        }
        return new ArrayList<>(out);
    }
}
