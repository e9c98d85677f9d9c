package org.licensing.issuer.readmodel;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.licensing.store.LicenseRecord;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Progress of read-model rebuilds ({@code read_model_rebuilds}): each Scan page's summaries and the page's
 * LastEvaluatedKey are written in one transaction, so a rebuild resumed after a crash starts exactly after the last
 * page it wrote.
 */
@ApplicationScoped
public class RebuildStore {

    private static final String COLUMNS = "id, state, started_at, updated_at, finished_at, last_key, pages, licenses,"
            + " error";

    private final LicenseSummaryStore summaries;

    public RebuildStore(LicenseSummaryStore summaries) {
        this.summaries = summaries;
    }

    /** A rebuild row with where it stopped. */
    public record Rebuild(UUID id, String state, Instant startedAt, Instant updatedAt, Instant finishedAt,
            String lastKey, long pages, long licenses, String error) {

        RebuildView view() {
            return new RebuildView(id.toString(), state, startedAt, updatedAt, finishedAt, pages, licenses, error);
        }
    }

    public Uni<Optional<Rebuild>> latest() {
        return summaries.pool().query("SELECT " + COLUMNS + " FROM read_model_rebuilds ORDER BY started_at DESC"
                + " LIMIT 1").execute().map(rows -> rows.iterator().hasNext()
                        ? Optional.of(rebuild(rows.iterator().next())) : Optional.empty());
    }

    public Uni<Rebuild> create(Instant now) {
        UUID id = UUID.randomUUID();
        return summaries.pool().preparedQuery("INSERT INTO read_model_rebuilds (id, state, started_at, updated_at)"
                        + " VALUES ($1, 'RUNNING', $2, $2) RETURNING " + COLUMNS)
                .execute(Tuple.of(id, LicenseSummaryStore.utc(now))).map(rows -> rebuild(rows.iterator().next()));
    }

    /**
     * Takes over a RUNNING rebuild whose progress stood still since {@code seenUpdatedAt}; empty when someone else
     * moved it meanwhile.
     */
    public Uni<Optional<Rebuild>> takeOver(UUID id, Instant seenUpdatedAt, Instant now) {
        return summaries.pool().preparedQuery("UPDATE read_model_rebuilds SET updated_at = $3 WHERE id = $1"
                        + " AND state = 'RUNNING' AND updated_at = $2 RETURNING " + COLUMNS)
                .execute(Tuple.of(id, LicenseSummaryStore.utc(seenUpdatedAt), LicenseSummaryStore.utc(now)))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(rebuild(rows.iterator().next()))
                        : Optional.empty());
    }

    /** One Scan page: its summaries and the new position, in one transaction. */
    public Uni<Void> page(UUID id, List<LicenseRecord> licenses, String lastKey, Instant now) {
        return summaries.pool().withTransaction(c -> summaries.upsertAll(c, licenses)
                .chain(() -> c.preparedQuery("UPDATE read_model_rebuilds SET last_key = $2, pages = pages + 1,"
                        + " licenses = licenses + $3, updated_at = $4 WHERE id = $1 AND state = 'RUNNING'")
                        .execute(Tuple.of(id, lastKey, licenses.size(), LicenseSummaryStore.utc(now)))))
                .replaceWithVoid();
    }

    public Uni<Void> finish(UUID id, String state, String error, Instant now) {
        return summaries.pool().preparedQuery("UPDATE read_model_rebuilds SET state = $2, error = $3,"
                        + " updated_at = $4, finished_at = $4 WHERE id = $1 AND state = 'RUNNING'")
                .execute(Tuple.of(id, state, error, LicenseSummaryStore.utc(now))).replaceWithVoid();
    }

    private static Rebuild rebuild(Row r) {
        return new Rebuild(r.getUUID("id"), r.getString("state"), instant(r.getOffsetDateTime("started_at")),
                instant(r.getOffsetDateTime("updated_at")), instant(r.getOffsetDateTime("finished_at")),
                r.getString("last_key"), r.getLong("pages"), r.getLong("licenses"), r.getString("error"));
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
