package org.licensing.issuer.event;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One page of the feed, oldest first. {@code nextCursor} is always there: the position after the last event of this
 * page (or the cursor given, when the page is empty), so a consumer stores it and polls again from it.
 */
@Schema(name = "EventPage")
public record EventPage(List<EventView> items, String nextCursor) {
}
