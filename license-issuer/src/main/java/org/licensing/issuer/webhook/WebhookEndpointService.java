package org.licensing.issuer.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.licensing.issuer.audit.AuditAction;
import org.licensing.issuer.audit.AuditLog;
import org.licensing.issuer.config.IssuerConfig;
import org.licensing.issuer.event.EventType;
import org.licensing.issuer.security.Caller;
import org.licensing.issuer.webhook.WebhookEndpointRequests.Create;
import org.licensing.issuer.webhook.WebhookEndpointRequests.Rotate;
import org.licensing.issuer.webhook.WebhookEndpointRequests.Update;
import org.licensing.support.problem.Problems;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Webhook endpoints: create (the secret answered once), read, change, delete, rotate the secret with an overlap.
 * Every URL is checked, and its host resolved and checked by the {@link AddressGuard}, before it is stored. Every
 * change is an audit event written in the change's transaction, its before/after the endpoint's view without secret.
 */
@ApplicationScoped
public class WebhookEndpointService {

    static final Duration MAX_OVERLAP = Duration.ofDays(7);
    private static final Logger LOG = Logger.getLogger(WebhookEndpointService.class);

    private final WebhookEndpointStore store;
    private final AddressGuard guard;
    private final IssuerConfig config;
    private final Clock clock;
    private final AuditLog audit;

    public WebhookEndpointService(WebhookEndpointStore store, AddressGuard guard, IssuerConfig config, Clock clock,
            AuditLog audit) {
        this.store = store;
        this.guard = guard;
        this.config = config;
        this.clock = clock;
        this.audit = audit;
    }

    public Uni<WebhookEndpointView> create(Create req, Caller caller) {
        WebhookUrl url = WebhookUrl.parse(req.url(), config.webhooks().allowHttp());
        List<String> types = types(req.eventTypes());
        return checked(url).chain(() -> store.inTransaction(c -> {
            Instant now = clock.instant();
            return store.insert(c, new WebhookEndpoint(UUID.randomUUID(), url.uri().toString(), req.description(),
                    types, req.enabled() == null || req.enabled(), null, WebhookSigner.newSecret(), null, null, null,
                    now, now)).call(e -> audited(c, AuditAction.WEBHOOK_ENDPOINT_CREATED, caller, null, e, null));
        })).map(e -> WebhookEndpointView.withSecret(e, clock.instant()));
    }

    /**
     * At start-up, seals the secrets an earlier version stored in clear (asynchronously: a start never waits for it;
     * every replica may run it, each row is sealed once).
     */
    void sealClearSecrets(@Observes StartupEvent started) {
        store.sealClearSecrets(10_000).subscribe().with(
                n -> {
                    if (n > 0) {
                        LOG.infof("sealed the signing secrets of %d webhook endpoints stored in clear", n);
                    }
                },
                e -> LOG.warnf("webhook secrets stored in clear not sealed yet: %s", e.toString()));
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

    public Uni<WebhookEndpointView> update(UUID id, Update req, Caller caller) {
        WebhookUrl url = req.url() == null ? null : WebhookUrl.parse(req.url(), config.webhooks().allowHttp());
        List<String> types = req.eventTypes() == null ? null : types(req.eventTypes());
        Uni<Void> check = url == null ? Uni.createFrom().voidItem() : checked(url);
        return check.chain(() -> store.inTransaction(c -> locked(c, id).chain(e -> {
            boolean enabling = Boolean.TRUE.equals(req.enabled()) && !e.enabled();
            boolean enabled = req.enabled() == null ? e.enabled() : req.enabled();
            String reason = enabled ? null : Boolean.FALSE.equals(req.enabled()) && e.enabled()
                    ? "disabled by an operator" : e.disabledReason();
            AuditAction action = enabled == e.enabled() ? AuditAction.WEBHOOK_ENDPOINT_UPDATED
                    : enabled ? AuditAction.WEBHOOK_ENDPOINT_ENABLED : AuditAction.WEBHOOK_ENDPOINT_DISABLED;
            return store.update(c, new WebhookEndpoint(e.id(), url == null ? e.url() : url.uri().toString(),
                            req.description() == null ? e.description() : req.description(),
                            types == null ? e.eventTypes() : types, enabled, reason, e.secret(), e.previousSecret(),
                            e.previousSecretUntil(), enabling ? null : e.failingSince(), e.createdAt(),
                            clock.instant()))
                    .map(Optional::orElseThrow)
                    .call(after -> audited(c, action, caller, e, after, null));
        }))).map(e -> WebhookEndpointView.of(e, clock.instant()));
    }

    public Uni<Void> delete(UUID id, Caller caller) {
        return store.inTransaction(c -> store.delete(c, id).chain(deleted -> {
            WebhookEndpoint e = deleted.orElseThrow(() -> Problems.notFound("Webhook endpoint " + id));
            return audited(c, AuditAction.WEBHOOK_ENDPOINT_DELETED, caller, e, null, null);
        }));
    }

    /** A new secret; the current one keeps signing (a second signature) for the overlap. */
    public Uni<WebhookEndpointView> rotate(UUID id, Rotate req, Caller caller) {
        Duration overlap = req == null || req.overlap() == null ? config.webhooks().rotationOverlap() : req.overlap();
        if (overlap.isNegative() || overlap.compareTo(MAX_OVERLAP) > 0) {
            throw Problems.badRequest("overlap: from PT0S to " + MAX_OVERLAP);
        }
        return store.inTransaction(c -> locked(c, id).chain(e -> {
            Instant now = clock.instant();
            return store.update(c, new WebhookEndpoint(e.id(), e.url(), e.description(), e.eventTypes(),
                            e.enabled(), e.disabledReason(), WebhookSigner.newSecret(), e.secret(), now.plus(overlap),
                            e.failingSince(), e.createdAt(), now))
                    .map(Optional::orElseThrow)
                    .call(after -> audited(c, AuditAction.WEBHOOK_ENDPOINT_SECRET_ROTATED, caller, e, after,
                            "overlap " + overlap));
        })).map(e -> WebhookEndpointView.withSecret(e, clock.instant()));
    }

    private Uni<WebhookEndpoint> locked(SqlClient c, UUID id) {
        return store.lock(c, id).map(e -> e.orElseThrow(() -> Problems.notFound("Webhook endpoint " + id)));
    }

    /** The change's audit event, on the change's transaction; the views never carry a secret. */
    private Uni<Void> audited(SqlClient c, AuditAction action, Caller caller, WebhookEndpoint before,
            WebhookEndpoint after, String reason) {
        Instant now = clock.instant();
        UUID id = (after != null ? after : before).id();
        return audit.recordCommitted(c, audit.event(action).actor(caller.actor()).clientAddress(caller.clientAddress())
                .target(id.toString()).before(before == null ? null : WebhookEndpointView.of(before, now))
                .after(after == null ? null : WebhookEndpointView.of(after, now)).reason(reason).build());
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
