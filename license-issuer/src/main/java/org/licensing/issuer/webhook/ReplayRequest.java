package org.licensing.issuer.webhook;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What to deliver again: one event (by id, whatever the endpoint's subscription), or the endpoint's subscribed events
 * that occurred in [since, until).
 */
@Schema(name = "WebhookReplay")
public record ReplayRequest(@Schema(format = "uuid") String eventId, Instant since, Instant until) {
}
