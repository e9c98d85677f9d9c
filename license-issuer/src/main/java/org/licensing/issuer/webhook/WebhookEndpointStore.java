package org.licensing.issuer.webhook;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The table {@code webhook_endpoints} (V8__events.sql). Signing secrets are sealed by the {@link SecretCipher} on the
 * way in and opened on the way out: the rows never hold one in clear.
 */
@ApplicationScoped
public class WebhookEndpointStore {

    private static final String COLUMNS = "id, url, description, event_types, enabled, disabled_reason, secret,"
            + " previous_secret, previous_secret_until, failing_since, created_at, updated_at";

    private final Pool pool;
    private final SecretCipher cipher;

    public WebhookEndpointStore(Pool pool, SecretCipher cipher) {
        this.pool = pool;
        this.cipher = cipher;
    }

    /** {@code work} in one transaction: the change and its audit event commit together. */
    public <T> Uni<T> inTransaction(Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(work);
    }

    public Uni<WebhookEndpoint> insert(SqlClient c, WebhookEndpoint e) {
        return c.preparedQuery("INSERT INTO webhook_endpoints (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6,"
                + " $7, $8, $9, $10, $11, $12) RETURNING " + COLUMNS).execute(Tuple.from(Arrays.asList(e.id(), e.url(),
                        e.description(), e.eventTypes().toArray(String[]::new), e.enabled(),
                        e.disabledReason(), cipher.seal(e.id(), e.secret()), cipher.seal(e.id(), e.previousSecret()),
                        utc(e.previousSecretUntil()), utc(e.failingSince()), utc(e.createdAt()),
                        utc(e.updatedAt()))))
                .map(rows -> endpoint(rows.iterator().next()));
    }

    /**
     * Replaces the stored endpoint's changeable fields (url, description, types, enabled, reason, secrets). A null
     * secret (one that no longer opened) keeps the stored one.
     */
    public Uni<Optional<WebhookEndpoint>> update(SqlClient c, WebhookEndpoint e) {
        return c.preparedQuery("UPDATE webhook_endpoints SET url = $2, description = $3, event_types = $4,"
                + " enabled = $5, disabled_reason = $6, secret = coalesce($7, secret), previous_secret = $8,"
                + " previous_secret_until = $9,"
                + " failing_since = $10, updated_at = $11 WHERE id = $1 RETURNING " + COLUMNS)
                .execute(Tuple.from(Arrays.asList(e.id(), e.url(), e.description(),
                        e.eventTypes().toArray(String[]::new), e.enabled(), e.disabledReason(),
                        cipher.seal(e.id(), e.secret()), cipher.seal(e.id(), e.previousSecret()),
                        utc(e.previousSecretUntil()),
                        utc(e.failingSince()), utc(e.updatedAt()))))
                .map(this::first);
    }

    public Uni<Optional<WebhookEndpoint>> find(UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE id = $1").execute(Tuple.of(id))
                .map(this::first);
    }

    /** Inside a transaction: the endpoint, locked until the transaction ends (the state a change starts from). */
    public Uni<Optional<WebhookEndpoint>> lock(SqlClient c, UUID id) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(id)).map(this::first);
    }

    public Uni<List<WebhookEndpoint>> list() {
        return pool.query("SELECT " + COLUMNS + " FROM webhook_endpoints ORDER BY created_at, id").execute()
                .map(rows -> {
                    List<WebhookEndpoint> out = new ArrayList<>();
                    rows.forEach(r -> out.add(endpoint(r)));
                    return out;
                });
    }

    /** Deletes the endpoint and its deliveries (cascade); the endpoint deleted, if it existed. */
    public Uni<Optional<WebhookEndpoint>> delete(SqlClient c, UUID id) {
        return c.preparedQuery("DELETE FROM webhook_endpoints WHERE id = $1 RETURNING " + COLUMNS)
                .execute(Tuple.of(id)).map(this::first);
    }

    /**
     * Seals the secrets still stored in clear (written before sealing existed), a batch at a time; how many
     * endpoints it sealed. Each row is sealed on the condition that it still holds the clear value it read.
     */
    public Uni<Integer> sealClearSecrets(int batch) {
        return pool.preparedQuery("SELECT id, secret, previous_secret FROM webhook_endpoints WHERE secret NOT LIKE"
                        + " 'v1:%' OR previous_secret NOT LIKE 'v1:%' LIMIT $1").execute(Tuple.of(batch))
                .chain(rows -> {
                    List<Tuple> updates = new ArrayList<>();
                    for (Row r : rows) {
                        UUID id = r.getUUID("id");
                        String secret = r.getString("secret");
                        String previous = r.getString("previous_secret");
                        updates.add(Tuple.of(id, sealIfClear(id, secret), sealIfClear(id, previous), secret,
                                previous));
                    }
                    if (updates.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return pool.preparedQuery("UPDATE webhook_endpoints SET secret = $2, previous_secret = $3"
                                    + " WHERE id = $1 AND secret = $4 AND previous_secret IS NOT DISTINCT FROM $5")
                            .executeBatch(updates).replaceWith(updates.size());
                });
    }

    private String sealIfClear(UUID id, String stored) {
        return stored == null || stored.startsWith(SecretCipher.PREFIX) ? stored : cipher.seal(id, stored);
    }

    private Optional<WebhookEndpoint> first(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? Optional.of(endpoint(it.next())) : Optional.empty();
    }

    /** A row as an endpoint, its secrets opened. */
    private WebhookEndpoint endpoint(Row r) {
        UUID id = r.getUUID("id");
        return new WebhookEndpoint(id, r.getString("url"), r.getString("description"),
                Arrays.asList(r.getArrayOfStrings("event_types")), r.getBoolean("enabled"),
                r.getString("disabled_reason"), open(id, r.getString("secret")),
                open(id, r.getString("previous_secret")), instant(r, "previous_secret_until"),
                instant(r, "failing_since"), instant(r, "created_at"), instant(r, "updated_at"));
    }

    /** A stored secret of endpoint {@code id}, opened; null when there is none or it no longer opens. */
    String open(UUID id, String stored) {
        return cipher.open(id, stored).orElse(null);
    }

    static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    static OffsetDateTime utc(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

}
