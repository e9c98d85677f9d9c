package org.licensing.relay.pool;

import java.math.BigDecimal;

/** Why the pool cannot grant a request; the relay turns it into a 409 problem naming the quantity. */
public final class PoolRefusal extends RuntimeException {

    /** What ran out. */
    public enum Kind {
        /** A quantity's live total would pass the checkout's limit. */
        QUANTITY_EXHAUSTED,
        /** One node more would pass the checkout's machine limit. */
        TOO_MANY_NODES
    }

    private final Kind kind;
    private final String quantity;
    private final BigDecimal requested;
    private final BigDecimal available;
    private final BigDecimal limit;

    PoolRefusal(Kind kind, String quantity, BigDecimal requested, BigDecimal available, BigDecimal limit,
            String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.quantity = quantity;
        this.requested = plain(requested);
        this.available = plain(available);
        this.limit = plain(limit);
    }

    private static BigDecimal plain(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    public Kind kind() {
        return kind;
    }

    /** The quantity that ran out ({@code nodes} for the machine limit). */
    public String quantity() {
        return quantity;
    }

    public BigDecimal requested() {
        return requested;
    }

    public BigDecimal available() {
        return available;
    }

    public BigDecimal limit() {
        return limit;
    }
}
