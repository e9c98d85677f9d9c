package org.licensing.issuer.event;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.licensing.issuer.security.Caller;
import org.licensing.core.problem.ProblemType;
import org.licensing.support.problem.Problems;

import io.smallrye.mutiny.Uni;

/**
 * The event feed: pages after a cursor, in the caller's scope (a portal token sees its own customer's events only,
 * whatever it asks for), refusing a cursor older than what retention has kept (the consumer would miss events
 * silently otherwise).
 */
@ApplicationScoped
public class EventFeed {

    private final EventStore events;

    public EventFeed(EventStore events) {
        this.events = events;
    }

    public Uni<EventPage> page(Map<String, List<String>> params, Caller caller) {
        EventQuery query = EventQuery.parse(params);
        return events.prunedThrough().chain(pruned -> {
            long after = query.after().orElse(pruned);
            if (after < pruned) {
                throw Problems.of(ProblemType.CURSOR_EXPIRED, "cursor: events up to sequence " + pruned
                        + " are past their retention and deleted; catch up from the current state"
                        + " (GET /v1/licenses) and read on without a cursor");
            }
            return events.page(query, after, caller.customerScope()).map(items -> new EventPage(items,
                    Long.toString(items.isEmpty() ? after : items.get(items.size() - 1).sequence())));
        });
    }
}
