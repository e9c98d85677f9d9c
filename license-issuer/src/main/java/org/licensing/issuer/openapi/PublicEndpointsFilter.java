package org.licensing.issuer.openapi;

import java.util.ArrayList;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Documents {@code GET /.well-known/jwks.json} (service-support's {@code JwksResource}) as what it is: public
 * ({@code security: []}, not "unspecified") and answering 406 to an Accept it cannot serve. Its annotations live in
 * service-support; this fills in what they leave out, and does nothing once they say it themselves.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BOTH)
public class PublicEndpointsFilter implements OASFilter {

    static final String JWKS = "/.well-known/jwks.json";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        PathItem item = openAPI.getPaths() == null ? null : openAPI.getPaths().getPathItem(JWKS);
        Operation get = item == null ? null : item.getGET();
        if (get == null) {
            return;
        }
        if (get.getSecurity() == null) {
            get.setSecurity(new ArrayList<>());
        }
        if (get.getResponses() != null && !get.getResponses().hasAPIResponse("406")) {
            get.getResponses().addAPIResponse("406", OASFactory.createAPIResponse()
                    .description("The Accept header allows neither application/jwk-set+json nor application/json")
                    .content(OASFactory.createContent().addMediaType(IssuerOpenApi.PROBLEM,
                            OASFactory.createMediaType().schema(OASFactory.createSchema()
                                    .ref(IssuerOpenApi.PROBLEM_SCHEMA)))));
        }
    }
}
