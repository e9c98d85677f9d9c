package org.licensing.backoffice.audit;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestQuery;

import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;

import org.licensing.backoffice.api.ApiClient;
import org.licensing.backoffice.api.Apis;
import org.licensing.backoffice.api.Query;
import org.licensing.backoffice.web.Page;

/**
 * The audit log, filtered by the issuer ({@code GET /v1/audit-events}: actor, action, target type or id, customer,
 * time) and paged by its cursor, so every event can be reached, not only the latest few hundred. The issuer's
 * cursor only goes to older events; the cursors of the pages before travel in {@code back} for "Newer".
 */
@Path("/audit")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class AuditResource {

    static final int PAGE = 100;
    static final List<String> TYPES = List.of("LICENSE", "CUSTOMER", "PRODUCT", "POLICY");
    static final List<String> ACTIONS = List.of("LICENSE_ISSUED", "LICENSE_RENEWED", "LICENSE_SUSPENDED",
            "LICENSE_REINSTATED", "LICENSE_REVOKED", "LICENSE_KEY_REGENERATED", "LICENSE_CHECKED_OUT",
            "LICENSE_CHECKOUT_RETURNED", "LICENSE_FILE_ISSUED", "LICENSE_USAGE_REPORTED", "CUSTOMER_CREATED",
            "CONTACT_ADDED", "PRODUCT_CREATED", "POLICY_CREATED");

    private final Apis apis;
    private final Page page;

    @Inject
    public AuditResource(Apis apis, Page page) {
        this.apis = apis;
        this.page = page;
    }

    @GET
    public TemplateInstance audit(@RestQuery String actor, @RestQuery String action, @RestQuery String target,
            @RestQuery String customerId, @RestQuery String from, @RestQuery String to, @RestQuery String cursor,
            @RestQuery String back) {
        String error = null;
        Query filters = new Query().add("actor", actor).add("action", action).add("customerId", customerId);
        String t = target == null ? "" : target.strip();
        if (TYPES.contains(t.toUpperCase(Locale.ROOT))) {
            filters.add("targetType", t.toUpperCase(Locale.ROOT));
        } else {
            filters.add("targetId", t);
        }
        try {
            // days in UTC: from its midnight, to the end of the "to" day
            filters.add("from", day(from, 0)).add("to", day(to, 1));
        } catch (DateTimeParseException e) {
            error = "From and to are dates such as 2027-01-31 (UTC).";
        }
        List<Object> events = List.of();
        String older = null;
        if (error == null) {
            ApiClient.Answer answer = apis.issuer().getAnswer("/v1/audit-events" + new Query().add("limit", PAGE)
                    .add("cursor", cursor) + filters.toString().replaceFirst("^\\?", "&"), apis.token());
            events = new AuditRows(apis).rows(answer.body());
            older = answer.nextCursor();
        }
        List<String> backs = new ArrayList<>(back == null || back.isBlank() ? List.of()
                : Arrays.asList(back.split(",")));
        // Older: this page's cursor joins the trail; newer: the trail's last cursor, the trail one shorter.
        List<String> olderBack = new ArrayList<>(backs);
        if (cursor != null && !cursor.isBlank()) {
            olderBack.add(cursor);
        }
        Query self = new Query().add("actor", actor).add("action", action).add("target", target)
                .add("customerId", customerId).add("from", from).add("to", to);
        String olderHref = older == null ? null
                : "/audit" + query(self.add("cursor", older).add("back", String.join(",", olderBack)));
        String newerHref = null;
        if (cursor != null && !cursor.isBlank()) {
            Query newer = new Query().add("actor", actor).add("action", action).add("target", target)
                    .add("customerId", customerId).add("from", from).add("to", to);
            if (!backs.isEmpty()) {
                newer.add("cursor", backs.get(backs.size() - 1))
                        .add("back", String.join(",", backs.subList(0, backs.size() - 1)));
            }
            newerHref = "/audit" + query(newer);
        }
        return page.of("audit").data("events", events).data("actions", ACTIONS)
                .data("actor", blank(actor)).data("action", blank(action)).data("target", blank(target))
                .data("customerId", blank(customerId)).data("from", blank(from)).data("to", blank(to))
                .data("error", error).data("olderHref", olderHref).data("newerHref", newerHref)
                .data("pageSize", PAGE);
    }

    private static String query(Query q) {
        return q.toString();
    }

    static String day(String date, int plusDays) {
        if (date == null || date.isBlank()) {
            return null;
        }
        return LocalDate.parse(date.strip()).plusDays(plusDays).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
    }

    private static String blank(String s) {
        return s == null ? "" : s;
    }
}
