package org.licensing.backoffice.finance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestPath;

import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;

import org.licensing.backoffice.api.Apis;
import org.licensing.backoffice.api.Query;
import org.licensing.backoffice.security.CurrentUser;
import org.licensing.backoffice.web.Page;
import org.licensing.backoffice.web.PageResource;

/**
 * Finance's "what renews this quarter / next quarter": calendar quarters in UTC, the licenses (not revoked) whose
 * expiry falls in it, per product and per customer, with the CSV of exactly those licenses (the issuer's export with
 * the same filters).
 */
@Path("/finance/quarters")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class QuarterResource extends PageResource {

    /** Licenses listed on the page (all are counted and all are in the CSV). */
    static final int LISTED = 500;

    @Inject
    public QuarterResource(Apis apis, Page page, CurrentUser user) {
        super(apis, page, user);
    }

    @GET
    @Path("/{which}")
    public TemplateInstance quarter(@RestPath String which) {
        Quarter now = Quarter.of(Instant.now());
        Quarter q = switch (which) {
            case "this" -> now;
            case "next" -> now.next();
            default -> throw new NotFoundException();
        };
        Query filters = filters(q);
        QuarterReport report = new QuarterReport();
        List<Object> listed = new ArrayList<>();
        apis.eachLicense(filters, Integer.MAX_VALUE, l -> {
            report.add(l);
            if (listed.size() < LISTED) {
                listed.add(apis.map(l));
            }
        });
        return this.page.of("finance/quarter").data("which", which).data("quarter", q)
                .data("label", q.label()).data("span", q.span())
                .data("total", report.total()).data("byProduct", report.byProduct())
                .data("byCustomer", report.byCustomer()).data("licenses", listed)
                .data("truncated", report.total() > listed.size()).data("listedMax", LISTED)
                .data("csvUrl", "/licenses.csv" + filters)
                .data("searchUrl", "/licenses" + filters);
    }

    /** Not revoked, expiring in [start, end) of the quarter, soonest first. */
    static Query filters(Quarter q) {
        return new Query().add("status", "ACTIVE").add("status", "SUSPENDED")
                .add("expiresAfter", q.start()).add("expiresBefore", q.end()).add("sort", "expiresAt");
    }
}
