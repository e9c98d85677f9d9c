package org.licensing.backoffice.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;

import org.licensing.backoffice.api.Apis;
import org.licensing.backoffice.web.Page;

/**
 * The audit log filtered by actor, action and target. The issuer answers the latest events (at most 500) or a
 * license's; the actor/action/target filters apply to those here.
 */
@Path("/audit")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class AuditResource {

    static final int LATEST = 500;
    static final List<String> ACTIONS = List.of("LICENSE_ISSUED", "LICENSE_RENEWED", "LICENSE_SUSPENDED",
            "LICENSE_REINSTATED", "LICENSE_REVOKED", "LICENSE_KEY_REGENERATED", "CUSTOMER_CREATED", "CONTACT_ADDED",
            "PRODUCT_CREATED", "POLICY_CREATED");

    private final Apis apis;
    private final Page page;

    @Inject
    public AuditResource(Apis apis, Page page) {
        this.apis = apis;
        this.page = page;
    }

    @GET
    public TemplateInstance audit(@RestQuery String actor, @RestQuery String action, @RestQuery String target) {
        String actorNeedle = lower(actor);
        String targetNeedle = lower(target);
        JsonNode events = apis.issuerGet("/v1/audit-events?limit=" + LATEST);
        List<Object> shown = new ArrayList<>();
        for (JsonNode e : events) {
            if (!actorNeedle.isEmpty() && !e.path("actor").asText().toLowerCase(Locale.ROOT).contains(actorNeedle)) {
                continue;
            }
            if (action != null && !action.isBlank() && !action.equals(e.path("action").asText())) {
                continue;
            }
            if (!targetNeedle.isEmpty()
                    && !e.path("targetId").asText().toLowerCase(Locale.ROOT).startsWith(targetNeedle)
                    && !e.path("targetType").asText().toLowerCase(Locale.ROOT).equals(targetNeedle)) {
                continue;
            }
            shown.add(apis.map(e));
        }
        return page.of("audit").data("events", shown).data("actions", ACTIONS)
                .data("actor", actor == null ? "" : actor).data("action", action == null ? "" : action)
                .data("target", target == null ? "" : target).data("latest", LATEST);
    }

    private static String lower(String s) {
        return s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
    }
}
