package org.licensing.issuer.usage;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The usage tables of V7__usage_reports.sql: relay checkouts, accepted reports and their per-day figures. Writes run
 * inside the caller's transaction (with the audit event); reads open their own session.
 */
@ApplicationScoped
public class UsageStore {

    /** The unique constraints a concurrent or repeated submission runs into (V7). */
    static final String CHAIN_SEQUENCE_CONSTRAINT = "usage_reports_chain_seq";
    static final String HASH_CONSTRAINT = "usage_reports_hash";

    private static final String REPORTED_UNTIL = "select max(r.periodTo) from ReceivedReport r"
            + " where r.licenseId = ?1 and r.fingerprint = ?2";
    private static final String INSERT_DAY = "INSERT INTO usage_days (report_id, license_id, day, quantity, amount)"
            + " VALUES (?1, ?2, ?3, ?4, ?5)";
    private static final String DAILY = "SELECT day::text, quantity, sum(amount)::text FROM usage_days"
            + " WHERE license_id = ?1 AND day BETWEEN ?2 AND ?3 GROUP BY day, quantity ORDER BY quantity, day";

    /** Inside the caller's transaction; a retry of the same checkout (same id) replaces its row. */
    public Uni<Void> recordRelayCheckout(RelayCheckout checkout) {
        return Panache.getSession().chain(s -> s.merge(checkout)).replaceWithVoid();
    }

    /** Inside the caller's transaction: the relay checkout was never written to DynamoDB. */
    public Uni<Void> forgetRelayCheckout(UUID checkoutId) {
        return RelayCheckout.delete("checkoutId", checkoutId).replaceWithVoid();
    }

    public Uni<List<RelayCheckout>> relayCheckouts(UUID licenseId) {
        return Panache.withSession(() -> RelayCheckout.<RelayCheckout>find("licenseId = ?1 order by issuedAt desc",
                licenseId).list());
    }

    /** The newest relay checkout of the site {@code fingerprint}, or null. */
    public Uni<RelayCheckout> latestRelayCheckout(UUID licenseId, String fingerprint) {
        return Panache.withSession(() -> RelayCheckout.<RelayCheckout>find(
                "licenseId = ?1 and fingerprint = ?2 order by issuedAt desc, sequence desc", licenseId, fingerprint)
                .firstResult());
    }

    /** Where the accepted reports of the site {@code fingerprint} end (the latest {@code to}), or null. */
    public Uni<Instant> reportedUntil(UUID licenseId, String fingerprint) {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.createQuery(REPORTED_UNTIL, Instant.class)
                .setParameter(1, licenseId).setParameter(2, fingerprint).getSingleResultOrNull()));
    }

    public Uni<ReceivedReport> byHash(String hash) {
        return Panache.withSession(() -> ReceivedReport.<ReceivedReport>find("reportHash", hash).firstResult());
    }

    /** The last accepted report of the chain of relay key {@code thumbprint}, or null. */
    public Uni<ReceivedReport> lastOfChain(UUID licenseId, String thumbprint) {
        return Panache.withSession(() -> ReceivedReport.<ReceivedReport>find(
                "licenseId = ?1 and relayThumbprint = ?2 order by sequence desc", licenseId, thumbprint).firstResult());
    }

    /** The last report of every chain of the license. */
    public Uni<List<ReceivedReport>> chainHeads(UUID licenseId) {
        return Panache.withSession(() -> ReceivedReport.<ReceivedReport>find(
                "from ReceivedReport r where r.licenseId = ?1 and r.sequence = (select max(r2.sequence)"
                        + " from ReceivedReport r2 where r2.licenseId = r.licenseId"
                        + " and r2.relayThumbprint = r.relayThumbprint) order by r.fingerprint, r.relayKid",
                licenseId).list());
    }

    /** The latest {@code limit} reports of the license, newest period first. */
    public Uni<List<ReceivedReport>> reports(UUID licenseId, int limit) {
        return Panache.withSession(() -> ReceivedReport.<ReceivedReport>find(
                "licenseId = ?1 order by periodTo desc, sequence desc", licenseId).page(0, limit).list());
    }

    /**
     * Inserts the report and its days inside the caller's transaction. The insert is flushed at once, so a second
     * submission of the same chain position or the same report fails here on a unique constraint
     * ({@link #CHAIN_SEQUENCE_CONSTRAINT}, {@link #HASH_CONSTRAINT}), never after a check that another request
     * could pass too.
     */
    public Uni<Void> insert(ReceivedReport report, Map<LocalDate, Map<String, BigDecimal>> days) {
        return report.persistAndFlush().chain(() -> Panache.getSession()).chain(s -> Multi.createFrom()
                .iterable(days.entrySet())
                .onItem().transformToIterable(d -> d.getValue().entrySet().stream()
                        .map(q -> new Object[] {d.getKey(), q.getKey(), q.getValue()}).toList())
                .onItem().transformToUniAndConcatenate(row -> s.createNativeQuery(INSERT_DAY)
                        .setParameter(1, report.id).setParameter(2, report.licenseId).setParameter(3, row[0])
                        .setParameter(4, row[1]).setParameter(5, row[2]).executeUpdate())
                .collect().last().replaceWithVoid());
    }

    /** Quantity-seconds per (day, quantity) from {@code from} to {@code to} (inclusive), summed over reports. */
    public Uni<List<DailyFigure>> daily(UUID licenseId, LocalDate from, LocalDate to) {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.createNativeQuery(DAILY, Object[].class)
                .setParameter(1, licenseId).setParameter(2, from).setParameter(3, to).getResultList()))
                .map(rows -> rows.stream().map(r -> new DailyFigure(LocalDate.parse((String) r[0]), (String) r[1],
                        new BigDecimal((String) r[2]))).toList());
    }

    /** One day's quantity-seconds of one quantity. */
    public record DailyFigure(LocalDate day, String quantity, BigDecimal quantitySeconds) {
    }

    /** Whether {@code failure} is the unique constraint {@code name} refusing an insert. */
    static boolean violates(Throwable failure, String name) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(name)) {
                return true;
            }
        }
        return false;
    }
}
