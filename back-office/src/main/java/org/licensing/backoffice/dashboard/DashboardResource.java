package org.licensing.backoffice.dashboard;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;

import org.licensing.backoffice.api.ApiProblem;
import org.licensing.backoffice.api.Apis;
import org.licensing.backoffice.audit.AuditRows;
import org.licensing.backoffice.api.ServiceUnavailable;
import org.licensing.backoffice.web.Page;

/**
 * Counts by status and product, licenses by status over the last 12 months (chart and table), what expires within
 * 7/30/60/90 days, recent audit events, the reminder DLQ.
 */
@Path("/")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class DashboardResource {

    private final Apis apis;
    private final Page page;

    private final ObjectMapper json;

    @Inject
    public DashboardResource(Apis apis, Page page, ObjectMapper json) {
        this.apis = apis;
        this.page = page;
        this.json = json;
    }

    @GET
    public TemplateInstance dashboard() {
        JsonNode stats = apis.issuerGet("/v1/licenses/stats");
        JsonNode audit = apis.issuerGet("/v1/audit-events?limit=10");
        StatusHistory history = StatusHistory.of(json.convertValue(
                apis.issuerGet("/v1/licenses/status-history?months=12"), LicenseStatusHistory.class));
        Object depth;
        String dlqNote = "";
        try {
            JsonNode dlq = apis.notificationGet("/v1/reminders/dead-letters");
            depth = dlq.path("depth").asLong();
        } catch (ApiProblem p) {
            // The dashboard still shows the issuer's figures when only the notification service fails.
            depth = null;
            dlqNote = p.title() + " (" + p.status() + ")";
        } catch (ServiceUnavailable u) {
            depth = null;
            dlqNote = "the notification service " + u.summary();
        }
        return page.of("dashboard")
                .data("byStatus", apis.map(stats.path("byStatus")))
                .data("byProduct", apis.map(stats.path("byProduct")))
                .data("expiring", apis.map(stats.path("expiringWithin")))
                .data("audit", new AuditRows(apis).rows(audit))
                .data("history", history)
                .data("dlqDepth", depth)
                .data("dlqNote", dlqNote);
    }
}
