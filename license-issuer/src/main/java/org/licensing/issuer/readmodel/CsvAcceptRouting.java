package org.licensing.issuer.readmodel;

import java.util.List;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriBuilder;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * {@code GET /v1/licenses} with {@code Accept: text/csv} (as the most wanted type) is the CSV export: routed before
 * matching to {@code /v1/licenses.csv}, query string kept, so one method serves both and the JSON search stays the
 * default for {@code *}{@code /*}.
 */
public class CsvAcceptRouting {

    @ServerRequestFilter(preMatching = true)
    public void route(ContainerRequestContext request) {
        if (!"GET".equals(request.getMethod())) {
            return;
        }
        String path = request.getUriInfo().getPath();
        if (!"/v1/licenses".equals(path) && !"/v1/licenses/".equals(path)) {
            return;
        }
        List<MediaType> accepted = request.getAcceptableMediaTypes();
        if (!accepted.isEmpty() && "text".equals(accepted.get(0).getType())
                && "csv".equals(accepted.get(0).getSubtype())) {
            request.setRequestUri(UriBuilder.fromUri(request.getUriInfo().getRequestUri())
                    .replacePath("/v1/licenses.csv").build());
        }
    }
}
