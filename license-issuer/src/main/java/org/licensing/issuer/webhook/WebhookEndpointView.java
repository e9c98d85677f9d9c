package org.licensing.issuer.webhook;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A webhook endpoint as the API shows it. {@code secret} is only in the answers of its creation and of a rotation.
 */
@Schema(name = "WebhookEndpoint")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookEndpointView(String id, String url, String description,
        @Schema(description = "The event types it receives; empty: every type") List<String> eventTypes,
        boolean enabled,
        @Schema(description = "Why it was disabled (by an operator, a 410 answer, or failing for the retry window)")
        String disabledReason,
        @Schema(description = "whsec_<base64>: shown once, here; store it to verify deliveries") String secret,
        @Schema(description = "Until then the previous secret signs too (a second v1 signature)")
        Instant previousSecretUntil,
        @Schema(description = "Since when every delivery attempt failed; absent after a success")
        Instant failingSince,
        Instant createdAt, Instant updatedAt) {

    static WebhookEndpointView of(WebhookEndpoint e, Instant now) {
        return of(e, now, null);
    }

    static WebhookEndpointView withSecret(WebhookEndpoint e, Instant now) {
        return of(e, now, e.secret());
    }

    private static WebhookEndpointView of(WebhookEndpoint e, Instant now, String secret) {
        Instant overlap = e.previousSecretUntil() != null && e.previousSecretUntil().isAfter(now)
                ? e.previousSecretUntil() : null;
        return new WebhookEndpointView(e.id().toString(), e.url(), e.description(), e.eventTypes(), e.enabled(),
                e.disabledReason(), secret, overlap, e.failingSince(), e.createdAt(), e.updatedAt());
    }
}
