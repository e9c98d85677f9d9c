package org.licensing.backoffice.license;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestQuery;

import io.smallrye.common.annotation.Blocking;

import org.licensing.backoffice.api.ApiProblem;
import org.licensing.backoffice.api.Apis;
import org.licensing.backoffice.api.Query;

/** The CSV export of a license search (same filters as the search page). */
@Path("/licenses.csv")
@Blocking
public class LicenseCsvResource {

    private final Apis apis;

    @Inject
    public LicenseCsvResource(Apis apis) {
        this.apis = apis;
    }

    /** The issuer's CSV of every matching row, streamed through as it comes. */
    @GET
    @Produces("text/csv")
    public Response csv(@RestQuery String q, @RestQuery List<String> status, @RestQuery String productCode,
            @RestQuery String policyId, @RestQuery String customerId, @RestQuery String expiresAfter,
            @RestQuery String expiresBefore, @RestQuery String issuedAfter, @RestQuery String issuedBefore,
            @RestQuery List<String> minLimit, @RestQuery String sort, @RestQuery String order,
            @RestQuery String expiringWithin) {
        SearchForm form = new SearchForm(q, status, productCode, policyId, customerId, expiresAfter, expiresBefore,
                issuedAfter, issuedBefore, minLimit, sort, order, expiringWithin);
        List<String> errors = new ArrayList<>();
        Query query = form.toQuery(Clock.systemUTC(), errors);
        if (!errors.isEmpty()) {
            throw new ApiProblem("back office", 400, "invalid-request", "Invalid filter", String.join("; ", errors),
                    List.of());
        }
        HttpResponse<InputStream> csv = apis.issuer().stream("/v1/licenses.csv" + query, "text/csv", apis.token());
        return Response.ok(LicenseResource.streamed(csv))
                .type("text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"licenses.csv\"").build();
    }

}
