package org.licensing.issuer.event;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * An event as the feed answers it and as a webhook delivers it (the same JSON: the body a receiver verifies). The
 * shape follows the Standard Webhooks payload ({@code type}, {@code timestamp}, {@code data}).
 *
 * @param id stable: the same event always has this id (a receiver deduplicates on it; it is also {@code webhook-id})
 * @param sequence the event's position in the feed (commit order)
 * @param timestamp when the change happened
 * @param subject what changed
 * @param licenseId the license the event concerns (license and checkout events), else absent
 * @param customerId the customer it belongs to, absent for product and policy events
 * @param data the resource as the API shows it after the change
 */
@Schema(name = "Event")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventView(String id, String type, Instant timestamp, long sequence, Subject subject, String licenseId,
        String customerId,
        @Schema(description = "The resource after the change: a License, Checkout, Customer, Contact, Product or"
                + " Policy view") JsonNode data) {

    /** What changed: {@code license}, {@code checkout}, {@code customer}, {@code product} or {@code policy}, and its id. */
    @Schema(name = "EventSubject")
    public record Subject(String type, String id) {
    }
}
