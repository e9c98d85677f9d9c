/**
 * This service's OpenAPI document, beyond what the resources say: info, server, the bearer JWT security scheme and
 * the problem answers operations share ({@link org.licensing.issuer.openapi.IssuerOpenApi} names them), the examples
 * ({@link org.licensing.issuer.openapi.Examples}) and the filter that documents service-support's public JWKS
 * endpoint. SmallRye reads {@code @OpenAPIDefinition} from a package (or a JAX-RS Application), hence this file.
 */
@OpenAPIDefinition(
        info = @Info(title = "License issuer API", version = "1.0",
                description = "Catalog and license lifecycle for the customer portal and back office.",
                license = @License(name = "Apache-2.0", identifier = "Apache-2.0")),
        servers = @Server(url = "/", description = "The host this document is served from"),
        components = @Components(
                securitySchemes = @SecurityScheme(securitySchemeName = IssuerOpenApi.JWT,
                        type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
                        description = "A JWT bearer token: roles in the groups claim; a customer_id claim makes it a"
                                + " portal token that sees only that customer"),
                responses = {
                    @APIResponse(name = IssuerOpenApi.BAD_REQUEST, responseCode = "400",
                            description = "Invalid request: a constraint violation (listed in violations), malformed"
                                    + " JSON or an unknown field",
                            content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                                    schema = @Schema(ref = IssuerOpenApi.VALIDATION_PROBLEM_SCHEMA))),
                    @APIResponse(name = IssuerOpenApi.UNAUTHORIZED, responseCode = "401",
                            description = "No valid bearer token (issuer, audience, expiry, signature)",
                            content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA))),
                    @APIResponse(name = IssuerOpenApi.FORBIDDEN, responseCode = "403",
                            description = "The token lacks the role this operation needs",
                            content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA))),
                    @APIResponse(name = IssuerOpenApi.PAYLOAD_TOO_LARGE, responseCode = "413",
                            description = "The body is over 64 KiB",
                            content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA))),
                    @APIResponse(name = IssuerOpenApi.LICENSE_NOT_FOUND, responseCode = "404",
                            description = "Unknown license, or another customer's (a portal token)",
                            content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA))),
                    @APIResponse(name = IssuerOpenApi.WEBHOOK_ENDPOINT_NOT_FOUND, responseCode = "404",
                            description = "Unknown (or malformed) webhook endpoint id",
                            content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA))),
                    @APIResponse(name = IssuerOpenApi.CHANGE_CONFLICT, responseCode = "409",
                            description = "stale-version (the license changed since expectedVersion / If-Match),"
                                    + " invalid-state-transition (its status does not allow this change: the"
                                    + " operation says which), or idempotency-request-in-progress (a request with"
                                    + " this Idempotency-Key is still running)",
                            content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA),
                                    examples = @ExampleObject(name = "stale-version",
                                            value = Examples.STALE_VERSION_PROBLEM))),
                    @APIResponse(name = IssuerOpenApi.IDEMPOTENCY_IN_PROGRESS, responseCode = "409",
                            description = "A request with this Idempotency-Key is still running"
                                    + " (idempotency-request-in-progress): retry later",
                            content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA))),
                    @APIResponse(name = IssuerOpenApi.IDEMPOTENCY_KEY_REUSED, responseCode = "422",
                            description = "Idempotency-Key reused with another body (idempotency-key-reused), or"
                                    + " its stored answer unreadable (idempotent-answer-unreadable: use a new key)",
                            content = @Content(mediaType = IssuerOpenApi.PROBLEM,
                                    schema = @Schema(ref = IssuerOpenApi.PROBLEM_SCHEMA)))
                }))
package org.licensing.issuer.openapi;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.servers.Server;

