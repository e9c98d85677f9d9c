package org.licensing.relay.usage;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.licensing.relay.ledger.LogRecord;
import org.licensing.relay.pool.PoolLimits;

/**
 * Lease-time per quantity over a period {@code [from, to)}, computed from the usage log: a lease holds its
 * quantities from its grant until its release, its replacement by the node's next lease, or its own end (the last
 * {@code until} a heartbeat gave it), whichever comes first: an ended lease counts until its end even when the relay
 * was down then. Figures are quantity-seconds (for {@code cuda.device}: GPU-seconds) as exact decimals
 * (milliseconds: at most 3 more decimal places than the quantity), per quantity, per UTC day, and the peak of
 * concurrent use; {@code nodes} counts one per lease (node-seconds, peak nodes).
 *
 * <p>Feed it every record in log order ({@link #accept}), then call {@link #finish}.
 */
public final class UsageTotals {

    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    private final long fromMs;
    private final long toMs;
    private final Map<UUID, Open> open = new HashMap<>();
    private final Map<String, BigDecimal> totals = new TreeMap<>();
    private final Map<LocalDate, Map<String, BigDecimal>> days = new TreeMap<>();
    private final List<Event> events = new ArrayList<>();
    private String checkoutId;

    private record Open(Map<String, BigDecimal> quantities, long startMs, long untilMs) {
    }

    private record Event(long at, int order, Map<String, BigDecimal> delta) {
    }

    public UsageTotals(Instant from, Instant to) {
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("to must be after from");
        }
        this.fromMs = from.toEpochMilli();
        this.toMs = to.toEpochMilli();
    }

    public void accept(LogRecord r) {
        switch (r.type()) {
            case CHECKOUT -> {
                if (r.at() < toMs) {
                    checkoutId = r.text("chk");
                }
            }
            case GRANT -> {
                String replaces = r.text("replaces");
                if (replaces != null) {
                    close(UUID.fromString(replaces), r.at());
                }
                Map<String, BigDecimal> q = new TreeMap<>(r.decimals("q"));
                q.put(PoolLimits.NODES, BigDecimal.ONE);
                open.put(r.lease(), new Open(q, r.at(), r.number("until") * 1000));
            }
            case EXTEND -> {
                Open o = open.get(r.lease());
                if (o != null) {
                    open.put(r.lease(), new Open(o.quantities, o.startMs, Math.max(o.untilMs, r.number("until") * 1000)));
                }
            }
            case RELEASE -> close(r.lease(), r.at());
            case EXPIRE -> close(r.lease(), Long.MAX_VALUE);
            case GENESIS, CHECKPOINT -> {
            }
        }
    }

    private void close(UUID lease, long atMs) {
        Open o = open.remove(lease);
        if (o != null) {
            add(o, Math.min(atMs, o.untilMs));
        }
    }

    private void add(Open o, long endMs) {
        long s = Math.max(o.startMs, fromMs);
        long e = Math.min(endMs, toMs);
        if (e <= s) {
            return;
        }
        events.add(new Event(s, 1, o.quantities));
        events.add(new Event(e, 0, o.quantities)); // ends before starts at the same instant: [start, end)
        long cursor = s;
        while (cursor < e) {
            LocalDate day = Instant.ofEpochMilli(cursor).atZone(ZoneOffset.UTC).toLocalDate();
            long dayEnd = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            long sliceEnd = Math.min(dayEnd, e);
            BigDecimal seconds = BigDecimal.valueOf(sliceEnd - cursor).divide(THOUSAND);
            Map<String, BigDecimal> perDay = days.computeIfAbsent(day, d -> new TreeMap<>());
            o.quantities.forEach((name, q) -> {
                BigDecimal amount = q.multiply(seconds);
                totals.merge(name, amount, BigDecimal::add);
                perDay.merge(name, amount, BigDecimal::add);
            });
            cursor = sliceEnd;
        }
    }

    /** Closes the leases still open at the end of the log (they count until their end or {@code to}). */
    public Result finish() {
        for (Open o : List.copyOf(open.values())) {
            add(o, o.untilMs);
        }
        open.clear();
        events.sort((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Integer.compare(a.order, b.order));
        Map<String, BigDecimal> current = new HashMap<>();
        Map<String, BigDecimal> peak = new TreeMap<>();
        for (Event ev : events) {
            boolean start = ev.order == 1;
            ev.delta.forEach((name, q) -> {
                BigDecimal now = current.getOrDefault(name, BigDecimal.ZERO).add(start ? q : q.negate());
                current.put(name, now);
                if (start && now.compareTo(peak.getOrDefault(name, BigDecimal.ZERO)) > 0) {
                    peak.put(name, now);
                }
            });
        }
        Map<LocalDate, Map<String, BigDecimal>> perDay = new TreeMap<>();
        days.forEach((d, m) -> perDay.put(d, strip(m)));
        return new Result(strip(totals), perDay, strip(peak), checkoutId);
    }

    private static Map<String, BigDecimal> strip(Map<String, BigDecimal> m) {
        Map<String, BigDecimal> out = new TreeMap<>();
        m.forEach((k, v) -> {
            BigDecimal s = v.stripTrailingZeros();
            out.put(k, s.scale() < 0 ? s.setScale(0) : s);
        });
        return out;
    }

    /**
     * @param totals quantity-seconds per quantity over the period ({@code nodes}: node-seconds)
     * @param days the same per UTC day
     * @param peak the highest concurrent sum per quantity ({@code nodes}: the most nodes at once)
     * @param checkoutId the checkout in force at the end of the period (null: none recorded yet)
     */
    public record Result(Map<String, BigDecimal> totals, Map<LocalDate, Map<String, BigDecimal>> days,
            Map<String, BigDecimal> peak, String checkoutId) {
    }
}
