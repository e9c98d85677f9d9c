package org.licensing.store;

import static org.licensing.store.LicenseItems.n;
import static org.licensing.store.LicenseItems.s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The event outbox inside an item: the layout, and the update-expression fragments a writer adds to the conditional
 * write of its change, so the change and its event are one write (a crash cannot separate them, and a write whose
 * condition fails publishes nothing).
 *
 * <p>{@link LicenseTable#OUTBOX} is a list, appended with {@code list_append} (no need for the attribute to exist, and
 * the order of one item's events is kept); while it holds events the item carries the keys of the sparse
 * {@link LicenseTable#BY_PENDING_EVENTS_INDEX}, which is how the importer finds it. The importer removes what it
 * imported from the front ({@link EventOutboxStore#remove}).
 *
 * <p>Bound: a writer that reads the item first (the validator) appends only while fewer than {@link #MAX_PENDING}
 * events wait; past that it counts the event in {@link LicenseTable#OUTBOX_DROPPED} instead ({@link #dropped}), so an
 * importer down for days never makes an item reach DynamoDB's 400 KB limit, nor refuses a change. About 400 bytes an
 * event: 100 events are some 40 KB.
 */
public final class EventOutbox {

    /** Partitions of the pending-events index: spreads the index writes; the importer reads each. */
    public static final int SHARDS = 8;
    /** Events an item holds at most (writers that read the item first check it). */
    public static final int MAX_PENDING = 100;

    static final String ID = "id";
    static final String TYPE = "type";
    static final String AT = "at";
    static final String SUBJECT_TYPE = "subjectType";
    static final String SUBJECT_ID = "subjectId";
    static final String DATA = "data";

    private EventOutbox() {
    }

    /**
     * Fragments of an UpdateItem: {@code set} joins the request's SET clause, {@code add} its ADD clause (either may be
     * empty); names and values use the {@code #ob*} / {@code :ob*} placeholders only.
     */
    public record Fragment(String set, String add, Map<String, String> names, Map<String, AttributeValue> values) {

        /** {@code updateExpression} with this fragment's SET and ADD parts joined in. */
        public String joinInto(String setClause, String rest) {
            StringBuilder b = new StringBuilder();
            String sets = setClause == null || setClause.isBlank() ? set : set.isEmpty() ? setClause : setClause + ", " + set;
            if (!sets.isEmpty()) {
                b.append("SET ").append(sets);
            }
            if (rest != null && !rest.isBlank()) {
                b.append(b.length() > 0 ? " " : "").append(rest);
            }
            if (!add.isEmpty()) {
                b.append(b.length() > 0 ? " " : "").append("ADD ").append(add);
            }
            return b.toString();
        }
    }

    /** Appends {@code events} to the outbox of the item {@code pk}, written at {@code now}. */
    public static Fragment append(String pk, List<OutboxEvent> events, Instant now) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("No event to append");
        }
        Map<String, String> names = new HashMap<>();
        names.put("#ob", LicenseTable.OUTBOX);
        names.put("#obShard", LicenseTable.OUTBOX_SHARD);
        names.put("#obSince", LicenseTable.OUTBOX_SINCE);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":obEmpty", AttributeValue.fromL(List.of()));
        values.put(":obNew", AttributeValue.fromL(events.stream().map(EventOutbox::toItem).toList()));
        values.put(":obShard", s(shardOf(pk)));
        values.put(":obSince", n(now.toEpochMilli()));
        return new Fragment("#ob = list_append(if_not_exists(#ob, :obEmpty), :obNew), #obShard = :obShard,"
                + " #obSince = if_not_exists(#obSince, :obSince)", "", names, values);
    }

    /** Counts {@code count} events that were not written (the outbox was full). */
    public static Fragment dropped(int count) {
        return new Fragment("", "#obDropped :obDropped", Map.of("#obDropped", LicenseTable.OUTBOX_DROPPED),
                Map.of(":obDropped", n(count)));
    }

    /** Append when the item read has room, else count them as dropped. */
    public static Fragment appendOrDrop(String pk, int pendingRead, List<OutboxEvent> events, Instant now) {
        return pendingRead + events.size() <= MAX_PENDING ? append(pk, events, now) : dropped(events.size());
    }

    /** The index partition of an item: a stable hash of its key. */
    public static String shardOf(String pk) {
        return Integer.toString(Math.floorMod(pk.hashCode(), SHARDS));
    }

    public static AttributeValue toItem(OutboxEvent e) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put(ID, s(e.id()));
        m.put(TYPE, s(e.type()));
        m.put(AT, n(e.occurredAt().toEpochMilli()));
        m.put(SUBJECT_TYPE, s(e.subjectType()));
        m.put(SUBJECT_ID, s(e.subjectId()));
        if (e.licenseId() != null) {
            m.put(LicenseTable.LICENSE_ID, s(e.licenseId()));
        }
        if (e.customerId() != null) {
            m.put(LicenseTable.CUSTOMER_ID, s(e.customerId()));
        }
        m.put(DATA, s(e.data()));
        return AttributeValue.fromM(m);
    }

    /** The events waiting in {@code item}, oldest first. */
    public static List<OutboxEvent> eventsOf(Map<String, AttributeValue> item) {
        AttributeValue list = item.get(LicenseTable.OUTBOX);
        if (list == null || !list.hasL()) {
            return List.of();
        }
        List<OutboxEvent> out = new ArrayList<>();
        for (AttributeValue v : list.l()) {
            Map<String, AttributeValue> m = v.m();
            out.add(new OutboxEvent(m.get(ID).s(), m.get(TYPE).s(), Instant.ofEpochMilli(Long.parseLong(m.get(AT).n())),
                    m.get(SUBJECT_TYPE).s(), m.get(SUBJECT_ID).s(), str(m, LicenseTable.LICENSE_ID),
                    str(m, LicenseTable.CUSTOMER_ID), m.get(DATA).s()));
        }
        return out;
    }

    /** Events counted as dropped in {@code item}. */
    public static long droppedOf(Map<String, AttributeValue> item) {
        AttributeValue v = item.get(LicenseTable.OUTBOX_DROPPED);
        return v == null ? 0 : Long.parseLong(v.n());
    }

    private static String str(Map<String, AttributeValue> m, String name) {
        AttributeValue v = m.get(name);
        return v == null ? null : v.s();
    }
}
