package org.licensing.validator.openapi;

import java.util.List;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * States what service-support's {@code JwksResource} does not declare about {@code GET /.well-known/jwks.json} in
 * this document: that it needs no credential ({@code security: []}) and that it answers 406 problem+json to an
 * {@code Accept} it cannot serve. Runs at build time, so the stored (and linted) document has it. Only fills what is
 * missing: once {@code JwksResource} declares both itself, this filter changes nothing and can be deleted.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class JwksOperationFilter implements OASFilter {

    static final String JWKS_PATH = "/.well-known/jwks.json";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            return;
        }
        PathItem jwks = openAPI.getPaths().getPathItem(JWKS_PATH);
        Operation get = jwks == null ? null : jwks.getGET();
        if (get == null) {
            return;
        }
        if (get.getSecurity() == null) {
            get.setSecurity(List.of());
        }
        if (get.getResponses() != null && !get.getResponses().hasAPIResponse("406")) {
            get.getResponses().addAPIResponse("406", OASFactory.createAPIResponse()
                    .description("The Accept header allows neither application/jwk-set+json nor application/json")
                    .content(OASFactory.createContent().addMediaType("application/problem+json",
                            OASFactory.createMediaType().schema(
                                    OASFactory.createSchema().ref("#/components/schemas/HttpProblem")))));
        }
    }
}
