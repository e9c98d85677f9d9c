package org.licensing.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An event waiting in an item's outbox ({@link EventOutbox}) for the issuer's import into its feed. The fields are
 * those of a feed event: the importer copies them as they are and draws the feed's sequence number.
 *
 * @param id the event id (the feed's and the webhooks' deduplication key); derived from a natural key where the
 *        event must exist once whoever writes it ({@link #idFor}), so a repeated write cannot publish it twice
 * @param subjectType {@code license} or {@code machine}
 * @param licenseId the license it concerns: the feed's per-license order
 * @param customerId the license's customer: a portal token's scope
 * @param data the payload, a JSON object
 */
public record OutboxEvent(String id, String type, Instant occurredAt, String subjectType, String subjectId,
        String licenseId, String customerId, String data) {

    public OutboxEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(subjectType, "subjectType");
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(data, "data");
    }

    /** A stable event id for a natural key (name-based UUID): the same key always names the same event. */
    public static String idFor(String naturalKey) {
        return UUID.nameUUIDFromBytes(("licensing-event:" + naturalKey).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * A machine's subject id: stable per (license, fingerprint) and short (a fingerprint may be 128 characters, the
     * feed's subject ids 64).
     */
    public static String machineId(String licenseId, String fingerprint) {
        return UUID.nameUUIDFromBytes(("machine:" + licenseId + "/" + fingerprint).getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
