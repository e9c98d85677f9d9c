package org.licensing.backoffice.reminder;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestForm;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;

import org.licensing.backoffice.api.Apis;
import org.licensing.backoffice.finance.Quarter;
import org.licensing.backoffice.finance.Renewals;
import org.licensing.backoffice.api.IdempotencyKey;
import org.licensing.backoffice.security.CurrentUser;
import org.licensing.backoffice.web.Page;
import org.licensing.backoffice.web.PageResource;

/** Finance's page: the expiry views and the on-demand expiry digest (the notification service's reminders:run). */
@Path("/finance")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class DigestResource extends PageResource {

    @Inject
    public DigestResource(Apis apis, Page page, CurrentUser user) {
        super(apis, page, user);
    }

    @GET
    public TemplateInstance finance() {
        return financePage(null);
    }

    @POST
    @Path("/digest")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance digest(@RestForm String date, @RestForm String idempotencyKey) {
        user.require(CurrentUser.REMINDERS_RUN);
        Map<String, Object> body = new LinkedHashMap<>();
        if (date != null && !date.isBlank()) {
            body.put("date", date.trim());
        }
        JsonNode answer = apis.notification().post("/v1/reminders/digests", body,
                IdempotencyKey.header(idempotencyKey), apis.token()).body();
        return financePage(apis.map(answer));
    }

    /** The expiry figures, the two quarters and the renewals chart; {@code queued} the digest just queued. */
    private TemplateInstance financePage(Object queued) {
        JsonNode stats = apis.issuerGet("/v1/licenses/stats");
        Instant now = Instant.now();
        Quarter quarter = Quarter.of(now);
        return page.of("finance").data("expiring", apis.map(stats.path("expiringWithin")))
                .data("thisQuarter", quarter).data("nextQuarter", quarter.next())
                .data("byQuarter", apis.map(stats.path("expiringByQuarter")))
                .data("renewals", Renewals.of(apis, now))
                .data("queued", queued).data("idempotencyKey", UUID.randomUUID().toString());
    }
}
