/**
 * The top of the relay's OpenAPI document: info, the admin token scheme and the problem answers several
 * operations share (named in {@link org.licensing.relay.openapi.RelayOpenApi}).
 */
@OpenAPIDefinition(
        info = @Info(title = "license-relay", version = "0.1.0",
                description = "The on-premise license server of an air-gapped site: leases licensed quantities to"
                        + " the site's nodes (answers signed by the relay key the vendor certified) and exports"
                        + " signed usage reports.",
                license = @License(name = "Apache-2.0", identifier = "Apache-2.0")),
        components = @Components(
                securitySchemes = @SecurityScheme(securitySchemeName = RelayOpenApi.ADMIN_TOKEN,
                        type = SecuritySchemeType.HTTP, scheme = "bearer",
                        description = "The site's admin token (licensing.relay.admin-token-file)"),
                responses = {
                    @APIResponse(name = RelayOpenApi.BAD_REQUEST, responseCode = "400",
                            description = "Invalid body or parameter (the detail names it)",
                            content = @Content(mediaType = RelayOpenApi.PROBLEM,
                                    schema = @Schema(ref = RelayOpenApi.PROBLEM_SCHEMA),
                                    examples = @ExampleObject(name = "invalidRequest",
                                            value = RelayOpenApi.BAD_REQUEST_EXAMPLE))),
                    @APIResponse(name = RelayOpenApi.NOT_SERVING, responseCode = "503",
                            description = "The relay does not serve: no verified checkout, the checkout ended, the"
                                    + " data directory belongs to another site or was tampered with (member reason)",
                            headers = @Header(name = "Retry-After", description = "Seconds to wait before retrying",
                                    schema = @Schema(type = SchemaType.INTEGER)),
                            content = @Content(mediaType = RelayOpenApi.PROBLEM,
                                    schema = @Schema(ref = RelayOpenApi.PROBLEM_SCHEMA),
                                    examples = @ExampleObject(name = "notServing",
                                            value = RelayOpenApi.NOT_SERVING_EXAMPLE))),
                    @APIResponse(name = RelayOpenApi.ADMIN_REFUSED, responseCode = "401",
                            description = "No or a wrong admin token",
                            content = @Content(mediaType = RelayOpenApi.PROBLEM,
                                    schema = @Schema(ref = RelayOpenApi.PROBLEM_SCHEMA),
                                    examples = @ExampleObject(name = "unauthorized",
                                            value = RelayOpenApi.UNAUTHORIZED_EXAMPLE))),
                    @APIResponse(name = RelayOpenApi.ADMIN_CLOSED, responseCode = "403",
                            description = "No admin token is configured on this relay",
                            content = @Content(mediaType = RelayOpenApi.PROBLEM,
                                    schema = @Schema(ref = RelayOpenApi.PROBLEM_SCHEMA),
                                    examples = @ExampleObject(name = "forbidden",
                                            value = RelayOpenApi.FORBIDDEN_EXAMPLE)))
                }))
package org.licensing.relay.openapi;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
