package org.licensing.relay.ledger;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One record of the usage log, as read back: its position {@code seq}, the SHA-256 of the record before it
 * ({@code prev}), its time {@code at} (epoch milliseconds, never earlier than the record before), its type and its
 * own members; {@code hash} is the SHA-256 (hex) of its line, which the next record names as its {@code prev}.
 */
public record LogRecord(long seq, String prev, long at, Type type, Map<String, Object> members, String hash) {

    /** What happened. */
    public enum Type {
        /** First record: the relay key, license, product and site fingerprint the directory was made for. */
        GENESIS,
        /** A checkout the relay started serving (id, sequence, end, limits). */
        CHECKOUT,
        /** A lease was granted (lease, node, quantities, until; {@code replaces}: the node's previous lease). */
        GRANT,
        /** A lease was extended by a heartbeat (lease, until). */
        EXTEND,
        /** A lease was released by its node (lease). */
        RELEASE,
        /** An ended lease was reaped (lease); it counted until its own end, not until this record. */
        EXPIRE,
        /**
         * Only as read back: where a compacted log's checkpoint stands for records 1..{@code seq} ({@code hash}: that
         * record's hash, {@code members.pins}: the records usage reports pinned among them). Never written as a
         * record of its own: the checkpoint line carries it (see {@link UsageLog#compact}).
         */
        CHECKPOINT;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Type ofWire(String s) {
            for (Type t : values()) {
                if (t.wire().equals(s)) {
                    return t;
                }
            }
            return null;
        }
    }

    public Instant time() {
        return Instant.ofEpochMilli(at);
    }

    public String text(String name) {
        Object v = members.get(name);
        return v instanceof String s ? s : null;
    }

    public UUID lease() {
        return UUID.fromString(text("lease"));
    }

    public long number(String name) {
        Object v = members.get(name);
        if (v instanceof Number n) {
            return n.longValue();
        }
        throw new IllegalStateException("Record " + seq + " has no number " + name);
    }

    /** The quantities of a GRANT (or the limits of a CHECKOUT): names to exact decimals, written as strings. */
    public Map<String, BigDecimal> decimals(String name) {
        Map<String, BigDecimal> out = new TreeMap<>();
        if (members.get(name) instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), new BigDecimal(String.valueOf(v))));
        }
        return Collections.unmodifiableMap(out);
    }
}
