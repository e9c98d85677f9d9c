package org.licensing.core.usage;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules a relay's usage reports follow, for the relay that makes them and the vendor that receives them: report
 * {@code n + 1} names report {@code n} ({@code prev_report} = its hash) and starts where it ended, and the first is
 * number 1 and names no report. A relay (one key) has one chain; a new relay key starts a new one.
 */
public final class UsageReportChain {

    private UsageReportChain() {
    }

    /** The last report of a chain as the next one must continue it. */
    public record Link(long sequence, String hash, Instant to) {
        public Link {
            Objects.requireNonNull(hash, "hash");
            Objects.requireNonNull(to, "to");
        }

        /** The link of {@code report}, whose JWS text is {@code jws}. */
        public static Link of(String jws, UsageReport report) {
            return new Link(report.sequence(), UsageReport.hashOf(jws), report.to());
        }
    }

    /** How a report fails to continue a chain. */
    public enum Break {
        /** Its number is not the next one: a report before it is missing, or it was already numbered. */
        OUT_OF_SEQUENCE,
        /** Its number is the next one but it names another report before it: the chain was forked or rewritten. */
        WRONG_PREVIOUS,
        /** It starts after the last report ended: a period nobody reported. */
        GAP,
        /** It starts before the last report ended: a period reported twice. */
        OVERLAP
    }

    /** The number the next report must carry ({@code last} null: the chain is empty). */
    public static long nextSequence(Link last) {
        return last == null ? 1 : last.sequence() + 1;
    }

    /** The {@code prev_report} the next report must carry. */
    public static String nextPrevious(Link last) {
        return last == null ? UsageReport.NO_PREVIOUS : last.hash();
    }

    /** Where the next report must start; empty for the first (a relay's first report starts at its log's start). */
    public static Optional<Instant> nextFrom(Link last) {
        return last == null ? Optional.empty() : Optional.of(last.to());
    }

    /** Whether {@code report} continues the chain that ends with {@code last} (null: the chain is empty). */
    public static Optional<Break> check(Link last, UsageReport report) {
        return check(last, report.sequence(), report.previousHash(), report.from());
    }

    /** The same check for a report's number, previous hash and start. */
    public static Optional<Break> check(Link last, long sequence, String previousHash, Instant from) {
        if (sequence != nextSequence(last)) {
            return Optional.of(Break.OUT_OF_SEQUENCE);
        }
        if (!nextPrevious(last).equals(previousHash)) {
            return Optional.of(Break.WRONG_PREVIOUS);
        }
        return periodBreak(last, from);
    }

    /** Whether a report starting at {@code from} leaves a gap or an overlap after {@code last}. */
    public static Optional<Break> periodBreak(Link last, Instant from) {
        if (last == null || last.to().equals(from)) {
            return Optional.empty();
        }
        return Optional.of(from.isAfter(last.to()) ? Break.GAP : Break.OVERLAP);
    }

    /** A sentence a person can act on: what was expected and what came. */
    public static String describe(Break b, Link last, long sequence, Instant from) {
        return switch (b) {
            case OUT_OF_SEQUENCE -> "The next report must be report " + nextSequence(last) + ", not report " + sequence
                    + (sequence > nextSequence(last) ? ": send the reports before it first, in order"
                            : ": that number was already taken");
            case WRONG_PREVIOUS -> "Report " + sequence + " does not name report " + last.sequence()
                    + " (hash " + last.hash() + ") as the one before it: it belongs to another chain or was rewritten";
            case GAP -> "Report " + sequence + " starts at " + from + ", after report " + last.sequence() + " ended ("
                    + last.to() + "): the time between is reported nowhere";
            case OVERLAP -> "Report " + sequence + " starts at " + from + ", before report " + last.sequence()
                    + " ended (" + last.to() + "): that time would be reported twice";
        };
    }
}
