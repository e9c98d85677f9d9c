package org.licensing.backoffice.webhook;

import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;

import org.licensing.backoffice.api.ApiClient;
import org.licensing.backoffice.api.Apis;
import org.licensing.backoffice.api.IdempotencyKey;
import org.licensing.backoffice.api.Query;
import org.licensing.backoffice.security.CurrentUser;
import org.licensing.backoffice.web.Page;
import org.licensing.backoffice.web.PageResource;

/**
 * Webhook endpoints (the issuer's {@code /v1/webhook-endpoints}, role {@code webhooks:admin}): list and create (the
 * secret shown once), enable or disable, rotate the secret (the new one shown once), the delivery log, replay of one
 * event or a time range. Every change is a confirmation page, then a POST with the CSRF token and an
 * Idempotency-Key rendered with the form.
 */
@Path("/webhooks")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class WebhookResource extends PageResource {

    static final int DELIVERIES = 50;
    /** The event types the issuer publishes (its README, "Events"); none ticked: all. */
    static final List<String> EVENT_TYPES = List.of("license.issued", "license.renewed", "license.suspended",
            "license.reinstated", "license.revoked", "license.key-regenerated", "license.checked-out",
            "license.checkout-returned", "customer.created", "contact.added", "product.created", "policy.created",
            "usage-report.received");

    @Inject
    public WebhookResource(Apis apis, Page page, CurrentUser user) {
        super(apis, page, user);
    }

    @GET
    public TemplateInstance list() {
        user.require(CurrentUser.WEBHOOKS_ADMIN);
        return page.of("webhooks/list").data("endpoints", apis.list(apis.issuerGet("/v1/webhook-endpoints")))
                .data("eventTypes", EVENT_TYPES).data("idempotencyKey", UUID.randomUUID().toString());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance create(@RestForm String url, @RestForm String description,
            @RestForm List<String> eventTypes, @RestForm String idempotencyKey) {
        user.require(CurrentUser.WEBHOOKS_ADMIN);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", url == null ? "" : url.strip());
        if (description != null && !description.isBlank()) {
            body.put("description", description.strip());
        }
        if (eventTypes != null && !eventTypes.isEmpty()) {
            body.put("eventTypes", eventTypes);
        }
        JsonNode created = apis.issuer().post("/v1/webhook-endpoints", body, IdempotencyKey.header(idempotencyKey),
                apis.token()).body();
        return secretPage(created, "created");
    }

    @GET
    @Path("/{id}")
    public TemplateInstance detail(@RestPath String id, @RestQuery String state, @RestQuery String before,
            @RestQuery String done, @RestQuery Long queued) {
        user.require(CurrentUser.WEBHOOKS_ADMIN);
        JsonNode endpoint = apis.issuerGet("/v1/webhook-endpoints/" + Query.enc(id));
        JsonNode deliveries = apis.issuerGet("/v1/webhook-endpoints/" + Query.enc(id) + "/deliveries"
                + new Query().add("state", state).add("before", before).add("limit", DELIVERIES));
        String older = null;
        if (deliveries.size() == DELIVERIES) {
            older = "/webhooks/" + Query.enc(id) + new Query().add("state", state)
                    .add("before", deliveries.get(deliveries.size() - 1).path("id").asText());
        }
        return page.of("webhooks/detail").data("endpoint", apis.map(endpoint))
                .data("deliveries", apis.list(deliveries)).data("state", state == null ? "" : state)
                .data("states", List.of("PENDING", "DELIVERED", "DEAD")).data("olderHref", older)
                .data("done", done == null ? "" : done).data("queued", queued == null ? 0 : queued);
    }

    /** The confirmation page of a change: enable, disable, rotate, replay (the event or range in the query). */
    @GET
    @Path("/{id}/{change}")
    public TemplateInstance confirm(@RestPath String id, @RestPath String change, @RestQuery String eventId,
            @RestQuery String since, @RestQuery String until) {
        user.require(CurrentUser.WEBHOOKS_ADMIN);
        Change c = Change.of(change);
        JsonNode endpoint = apis.issuerGet("/v1/webhook-endpoints/" + Query.enc(id));
        String error = null;
        if (c == Change.REPLAY) {
            try {
                error = replayBody(eventId, since, until) == null ? "Give an event id, or a range of days." : null;
            } catch (DateTimeParseException e) {
                error = "The days are dates such as 2027-01-31 (UTC).";
            }
        }
        return page.of("webhooks/confirm").data("endpoint", apis.map(endpoint)).data("change", c.slug)
                .data("label", c.label).data("effect", c.effect).data("error", error)
                .data("eventId", eventId == null ? "" : eventId).data("since", since == null ? "" : since)
                .data("until", until == null ? "" : until).data("idempotencyKey", UUID.randomUUID().toString());
    }

    @POST
    @Path("/{id}/{change}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Object change(@RestPath String id, @RestPath String change, @RestForm String eventId,
            @RestForm String since, @RestForm String until, @RestForm String idempotencyKey) {
        user.require(CurrentUser.WEBHOOKS_ADMIN);
        Change c = Change.of(change);
        String path = "/v1/webhook-endpoints/" + Query.enc(id);
        Map<String, String> key = IdempotencyKey.header(idempotencyKey);
        String done;
        switch (c) {
            case ENABLE, DISABLE -> {
                apis.issuer().patch(path, Map.of("enabled", c == Change.ENABLE), key, apis.token());
                done = c == Change.ENABLE ? "enabled" : "disabled";
            }
            case ROTATE -> {
                JsonNode rotated = apis.issuer().post(path + "/rotate-secret", Map.of(), key, apis.token()).body();
                return secretPage(rotated, "rotated");
            }
            case REPLAY -> {
                Map<String, Object> body = replayBody(eventId, since, until);
                if (body == null) {
                    throw new NotFoundException();
                }
                ApiClient.Answer queued = apis.issuer().post(path + "/replay", body, key, apis.token());
                done = "replay&queued=" + queued.body().path("queued").asLong();
            }
            default -> throw new NotFoundException();
        }
        return Response.seeOther(URI.create("/webhooks/" + Query.enc(id) + "?done=" + done)).build();
    }

    /** One event, or the subscribed events of whole UTC days [since, until]; null when neither is given. */
    static Map<String, Object> replayBody(String eventId, String since, String until) {
        if (eventId != null && !eventId.isBlank()) {
            return Map.of("eventId", eventId.strip());
        }
        if (since == null || since.isBlank() || until == null || until.isBlank()) {
            return null;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("since", LocalDate.parse(since.strip()).atStartOfDay(ZoneOffset.UTC).toInstant().toString());
        body.put("until", LocalDate.parse(until.strip()).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()
                .toString());
        return body;
    }

    /** The secret in this one answer (pages are no-store), never kept, never on a later page. */
    private TemplateInstance secretPage(JsonNode endpoint, String what) {
        return page.of("webhooks/secret").data("endpoint", apis.map(endpoint)).data("what", what)
                .data("secret", endpoint.path("secret").asText(""));
    }

    enum Change {
        ENABLE("enable", "Enable", "Deliveries resume: the pending ones are sent, events from now on are queued."
                + " Events published while it was disabled are not: replay them."),
        DISABLE("disable", "Disable", "No new deliveries are queued for this endpoint and pending ones wait until"
                + " it is enabled again."),
        ROTATE("rotate-secret", "Rotate the secret", "A new secret, shown once. The previous one keeps signing"
                + " alongside for the issuer's rotation overlap, so the receiver can switch at its pace."),
        REPLAY("replay", "Replay", "New deliveries of the event(s) with the same event ids: the receiver"
                + " deduplicates on webhook-id.");

        final String slug;
        final String label;
        final String effect;

        Change(String slug, String label, String effect) {
            this.slug = slug;
            this.label = label;
            this.effect = effect;
        }

        static Change of(String slug) {
            for (Change c : values()) {
                if (c.slug.equals(slug)) {
                    return c;
                }
            }
            throw new NotFoundException();
        }
    }
}
