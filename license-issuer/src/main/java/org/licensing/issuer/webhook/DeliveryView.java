package org.licensing.issuer.webhook;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One delivery of an event to an endpoint, as its log shows it.
 *
 * @param state PENDING (waiting for its next attempt), DELIVERED (a 2xx answer) or DEAD (retried for the whole retry
 *        window, or the endpoint is gone)
 * @param lastStatus the receiver's status code of the last attempt; absent when it gave none (see lastError)
 */
@Schema(name = "WebhookDelivery")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeliveryView(long id, String eventId, String eventType, long eventSequence, String state, int attempts,
        Instant createdAt, Instant nextAttemptAt, Instant lastAttemptAt, Integer lastStatus, Integer lastLatencyMs,
        String lastError, Instant finishedAt) {
}
