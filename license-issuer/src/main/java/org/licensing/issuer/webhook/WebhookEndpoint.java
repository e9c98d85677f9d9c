package org.licensing.issuer.webhook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A stored webhook endpoint (table {@code webhook_endpoints}).
 *
 * @param eventTypes the types it receives; empty: every type
 * @param previousSecret the secret before the last rotation: it signs too until {@code previousSecretUntil}
 * @param failingSince since when every attempt failed; null after a success
 */
public record WebhookEndpoint(UUID id, String url, String description, List<String> eventTypes, boolean enabled,
        String disabledReason, String secret, String previousSecret, Instant previousSecretUntil,
        Instant failingSince, Instant createdAt, Instant updatedAt) {

    /**
     * The secrets that sign a message sent at {@code now}: the current one, and the previous one in its overlap;
     * none that no longer opens (null: sealed under another key).
     */
    public List<String> signingSecrets(Instant now) {
        List<String> out = new ArrayList<>();
        if (secret != null) {
            out.add(secret);
        }
        if (previousSecret != null && previousSecretUntil != null && now.isBefore(previousSecretUntil)) {
            out.add(previousSecret);
        }
        return out;
    }
}
