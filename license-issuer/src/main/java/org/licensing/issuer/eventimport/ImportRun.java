package org.licensing.issuer.eventimport;

import java.time.Duration;
import java.time.Instant;

/**
 * One import run.
 *
 * @param items items with pending events read
 * @param published events new in the feed
 * @param duplicates events read that the feed already had (imported before, by a retry or another replica)
 * @param dropped events the services could not write (their item's outbox was full), counted by the items
 * @param lag how long the oldest pending event read had waited (zero when none)
 */
public record ImportRun(Instant finishedAt, int items, int published, int duplicates, long dropped, Duration lag) {
}
