package org.licensing.issuer.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.licensing.core.problem.ProblemType;
import org.licensing.support.problem.Problems;

/**
 * The filters of an audit query, newest first, with a keyset cursor (the last event's time and id), so the back office
 * pages through every event rather than filtering the latest few hundred. Null filters do not apply.
 */
record AuditSearch(String actor, AuditAction action, AuditTarget targetType, String targetId, String customerId,
        Instant from, Instant to, Position after) {

    /** Where the previous page ended: the next page holds only older events (time, then id, descending). */
    record Position(Instant occurredAt, UUID id) {

        private static final String VERSION = "a1";

        String encode() {
            String text = VERSION + '\n' + occurredAt + '\n' + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        /** @throws io.quarkiverse.resteasy.problem.HttpProblem 400 invalid-cursor */
        static Position decode(String cursor) {
            if (cursor == null || cursor.isBlank()) {
                return null;
            }
            try {
                if (cursor.length() <= 200) {
                    String[] parts = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8)
                            .split("\n", -1);
                    if (parts.length == 3 && VERSION.equals(parts[0])) {
                        return new Position(Instant.parse(parts[1]), UUID.fromString(parts[2]));
                    }
                }
            } catch (IllegalArgumentException | DateTimeParseException e) {
                // answered below, as every other malformed cursor
            }
            throw Problems.of(ProblemType.INVALID_CURSOR, "cursor: not a cursor of an audit query");
        }
    }

    /** The HQL condition and its named parameters (empty: everything). */
    String where(Map<String, Object> params) {
        List<String> where = new ArrayList<>();
        add(where, params, "actor", actor);
        add(where, params, "action", action);
        add(where, params, "targetType", targetType);
        add(where, params, "targetId", targetId);
        add(where, params, "customerId", customerId);
        if (from != null) {
            where.add("occurredAt >= :from");
            params.put("from", from);
        }
        if (to != null) {
            where.add("occurredAt < :to");
            params.put("to", to);
        }
        if (after != null) {
            where.add("(occurredAt < :afterTime or (occurredAt = :afterTime and id < :afterId))");
            params.put("afterTime", after.occurredAt());
            params.put("afterId", after.id());
        }
        return String.join(" and ", where);
    }

    private static void add(List<String> where, Map<String, Object> params, String field, Object value) {
        if (value != null) {
            where.add(field + " = :" + field);
            params.put(field, value);
        }
    }
}
