package org.licensing.issuer.event;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.licensing.issuer.support.Ids;
import org.licensing.core.problem.ProblemType;
import org.licensing.support.problem.Problems;

/**
 * The parameters of {@code GET /v1/events}, checked: every invalid or unknown parameter is a 400 naming it (a
 * misspelled filter must not silently widen the feed).
 *
 * @param after the cursor: events with a larger sequence; empty = from the oldest retained event
 * @param types any of these types (empty: all)
 * @param licenseId a license's events (its own and its checkouts')
 * @param customerId a customer's events
 */
public record EventQuery(Optional<Long> after, Set<String> types, Optional<String> subjectType,
        Optional<String> subjectId, Optional<String> licenseId, Optional<String> customerId, int limit) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 500;
    static final Set<String> SUBJECT_TYPES = Set.of("license", "checkout", "customer", "product", "policy",
            "usage-report");
    private static final Set<String> PARAMETERS = Set.of("cursor", "type", "subjectType", "subjectId", "licenseId",
            "customerId", "limit");
    private static final Pattern CURSOR = Pattern.compile("[0-9]{1,18}");
    private static final Pattern SUBJECT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    public static EventQuery parse(Map<String, List<String>> params) {
        for (String name : params.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw Problems.badRequest(name + ": unknown parameter; known: " + new java.util.TreeSet<>(PARAMETERS));
            }
        }
        Optional<Long> after = single(params, "cursor").map(c -> {
            if (!CURSOR.matcher(c).matches()) {
                throw Problems.of(ProblemType.INVALID_CURSOR, "cursor: not a cursor of the event feed");
            }
            return Long.parseLong(c);
        });
        Set<String> types = new LinkedHashSet<>();
        for (String t : params.getOrDefault("type", List.of())) {
            types.add(EventType.ofWireName(t).orElseThrow(() -> Problems.badRequest("type: " + t + " is none of "
                    + wireNames())).wireName());
        }
        Optional<String> subjectType = single(params, "subjectType").map(s -> {
            if (!SUBJECT_TYPES.contains(s)) {
                throw Problems.badRequest("subjectType: " + s + " is none of " + new java.util.TreeSet<>(SUBJECT_TYPES));
            }
            return s;
        });
        Optional<String> subjectId = single(params, "subjectId").map(s -> {
            if (subjectType.isEmpty()) {
                throw Problems.badRequest("subjectId: needs subjectType");
            }
            if (!SUBJECT_ID.matcher(s).matches()) {
                throw Problems.badRequest("subjectId: not an id");
            }
            // product codes are the only ids that are not UUIDs; UUIDs are stored lower-case
            return Ids.parseUuid(s).map(Object::toString).orElse(s);
        });
        Optional<String> licenseId = single(params, "licenseId").map(s -> uuid("licenseId", s));
        Optional<String> customerId = single(params, "customerId").map(s -> uuid("customerId", s));
        int limit = single(params, "limit").map(l -> {
            try {
                int n = Integer.parseInt(l);
                if (n >= 1 && n <= MAX_LIMIT) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw Problems.badRequest("limit: " + l + " is not a number from 1 to " + MAX_LIMIT);
        }).orElse(DEFAULT_LIMIT);
        return new EventQuery(after, Set.copyOf(types), subjectType, subjectId, licenseId, customerId, limit);
    }

    private static List<String> wireNames() {
        List<String> names = new ArrayList<>();
        for (EventType t : EventType.values()) {
            names.add(t.wireName());
        }
        return names;
    }

    private static String uuid(String name, String value) {
        return Ids.parseUuid(value).map(Object::toString)
                .orElseThrow(() -> Problems.badRequest(name + ": not a UUID"));
    }

    private static Optional<String> single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw Problems.badRequest(name + ": given more than once");
        }
        return Optional.of(values.get(0));
    }
}
