package org.licensing.relay.openapi;

import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASModelReader;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;
import org.licensing.core.problem.ProblemType;

/**
 * The parts of the relay's OpenAPI document that several operations share: the admin token scheme and the problem
 * answers (referenced by name from the resources, e.g. {@code ref = RelayOpenApi.NOT_SERVING}). Each answer is built
 * from license-core's one list of problem types, so its example's {@code type}, {@code title} and {@code status} are
 * the ones the relay sends and cannot drift, and the four answers are four table rows instead of four copies of the
 * same annotation block. Registered as {@code mp.openapi.model.reader}; the document's info is in
 * application.properties.
 */
public class RelayOpenApiModel implements OASModelReader {

    @Override
    public OpenAPI buildModel() {
        APIResponse notServing = problem(ProblemType.RELAY_NOT_SERVING, "The relay does not serve: no verified"
                + " checkout, the checkout ended, the data directory belongs to another site or was tampered with"
                + " (member reason)", "No checkout installed: carry /var/lib/license-relay/checkout-request.json to"
                + " the vendor and install the relay checkout they answer at /var/lib/license-relay/checkout.jwe (or"
                + " PUT /v1/admin/checkout)", Map.of("reason", "NO_CHECKOUT"));
        notServing.addHeader("Retry-After", OASFactory.createHeader().description("Seconds to wait before retrying")
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER)));
        return OASFactory.createOpenAPI().components(OASFactory.createComponents()
                .addSecurityScheme(RelayOpenApi.ADMIN_TOKEN, OASFactory.createSecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("The site's admin token (licensing.relay.admin-token-file)"))
                .addResponse(RelayOpenApi.BAD_REQUEST, problem(ProblemType.INVALID_REQUEST,
                        "Invalid body or parameter (the detail names it)", "Quantity rocm.device is not licensed on"
                                + " this site (licensed: cuda.device, cuda.shares)", Map.of()))
                .addResponse(RelayOpenApi.NOT_SERVING, notServing)
                .addResponse(RelayOpenApi.ADMIN_REFUSED, problem(ProblemType.UNAUTHORIZED,
                        "No or a wrong admin token", "Send the site's admin token as Authorization: Bearer <token>",
                        Map.of()))
                .addResponse(RelayOpenApi.ADMIN_CLOSED, problem(ProblemType.FORBIDDEN,
                        "No admin token is configured on this relay", "The admin API is closed: no admin token is"
                                + " configured on this relay (licensing.relay.admin-token-file)", Map.of())));
    }

    /** A problem answer of {@code type}: its description, and an example with the type's URI, title and status. */
    static APIResponse problem(ProblemType type, String description, String detail, Map<String, Object> members) {
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("type", type.uri().toString());
        example.put("title", type.title());
        example.put("status", type.status());
        example.put("detail", detail);
        example.putAll(members);
        return OASFactory.createAPIResponse().description(description).content(OASFactory.createContent()
                .addMediaType(ProblemType.MEDIA_TYPE, OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref(RelayOpenApi.PROBLEM_SCHEMA))
                        .addExample(type.slug(), OASFactory.createExample().value(example))));
    }
}
