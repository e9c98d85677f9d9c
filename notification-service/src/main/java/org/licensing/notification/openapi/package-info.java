/**
 * The top of this service's OpenAPI document: info, server, tags, the bearer JWT security scheme (required by every
 * operation) and the problem answers the operations share (referenced by name from the resources, e.g.
 * {@code @APIResponse(responseCode = "401", ref = NotificationOpenApi.UNAUTHORIZED)}). Names in
 * {@link org.licensing.notification.openapi.NotificationOpenApi}, examples in
 * {@link org.licensing.notification.openapi.Examples}.
 */
@OpenAPIDefinition(
        info = @Info(title = "notification-service", version = "0.1.0",
                description = "Expiry reminders: on-demand reminder runs and digests, the reminders of a license, and"
                        + " the reminder dead-letter queue. The daily run itself is scheduled inside the service.",
                license = @License(name = "Apache-2.0", identifier = "Apache-2.0")),
        servers = @Server(url = "/", description = "The host this document is served from"),
        tags = {
            @Tag(name = NotificationOpenApi.TAG_REMINDERS,
                    description = "Reminder runs and digests on demand (the daily run does the same at 06:00 UTC),"
                            + " and the reminders of a license"),
            @Tag(name = NotificationOpenApi.TAG_DEAD_LETTERS,
                    description = "Reminder messages that failed five deliveries: their count, and moving them back")
        },
        security = @SecurityRequirement(name = NotificationOpenApi.JWT),
        components = @Components(
                securitySchemes = @SecurityScheme(securitySchemeName = NotificationOpenApi.JWT,
                        type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
                        description = "A JWT bearer token for audience notification-service with role reminders:run"
                                + " (runs, digests, redrive) or reminders:read (read-only operations) in its groups"
                                + " claim"),
                responses = {
                    @APIResponse(name = NotificationOpenApi.UNAUTHORIZED, responseCode = "401",
                            description = "No valid bearer token (issuer, audience, expiry, signature)",
                            content = @Content(mediaType = NotificationOpenApi.PROBLEM,
                                    schema = @Schema(ref = NotificationOpenApi.PROBLEM_SCHEMA),
                                    examples = @ExampleObject(name = "unauthorized",
                                            value = Examples.UNAUTHORIZED_PROBLEM))),
                    @APIResponse(name = NotificationOpenApi.INVALID_DATE, responseCode = "400",
                            description = "Invalid date (invalid-date), or a malformed body or an unknown field"
                                    + " (malformed-request-body)",
                            content = @Content(mediaType = NotificationOpenApi.PROBLEM,
                                    schema = @Schema(ref = NotificationOpenApi.PROBLEM_SCHEMA),
                                    examples = @ExampleObject(name = "invalid-date",
                                            value = Examples.INVALID_DATE_PROBLEM))),
                    @APIResponse(name = NotificationOpenApi.FORBIDDEN, responseCode = "403",
                            description = "The token lacks the role the operation requires",
                            content = @Content(mediaType = NotificationOpenApi.PROBLEM,
                                    schema = @Schema(ref = NotificationOpenApi.PROBLEM_SCHEMA),
                                    examples = @ExampleObject(name = "forbidden",
                                            value = Examples.FORBIDDEN_PROBLEM)))
                }))
package org.licensing.notification.openapi;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.servers.Server;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

