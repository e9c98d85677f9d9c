package org.licensing.validator.license;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Singleton;

import org.licensing.store.LicenseRecord;
import org.licensing.store.LicenseStore;
import org.licensing.validator.config.ValidatorConfig;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import io.smallrye.mutiny.Uni;

/**
 * License records by id: a bounded in-process cache in front of the shared {@link LicenseStore} (one strongly
 * consistent GetItem per miss). The module's data access is {@code LicenseStore} (reads) and
 * {@code activation.ActivationStore} (its writes); this class only decides when to read.
 *
 * <ul>
 *   <li>A found record is kept for at most {@code cache.ttl} (default 5 s, minus up to 10 % random jitter so entries
 *       loaded together do not expire together): the bound within which a revoked or suspended license is refused.</li>
 *   <li>From {@code cache.refresh-after} (default 3 s) on, the next request for a record answers from memory and
 *       reloads it in the background (refresh-ahead), so busy licenses never wait for DynamoDB; the TTL still
 *       bounds staleness, and a failed refresh keeps the old record only until its TTL.</li>
 *   <li>An unknown id is kept for {@code cache.negative-ttl} (default 2 s) so random keys cannot hammer DynamoDB,
 *       while a just-issued license becomes valid within that time.</li>
 *   <li>Concurrent misses for one id share one GetItem. Failed reads are not cached.</li>
 * </ul>
 * The cache is keyed by license id only and keeps found and unknown ids alike, so it reveals nothing about
 * whether an id exists; the secret is checked after the lookup, in constant time.
 */
@Singleton
public class LicenseCache {

    private final LicenseStore store;
    private final StoreHealth health;
    private final AsyncLoadingCache<String, Optional<LicenseRecord>> cache;

    public LicenseCache(LicenseStore store, StoreHealth health, ValidatorConfig config, Ticker ticker) {
        this.store = store;
        this.health = health;
        long ttl = config.cache().ttl().toNanos();
        long negativeTtl = Math.min(config.cache().negativeTtl().toNanos(), ttl);
        long jitter = ttl / 10;
        Caffeine<Object, Object> builder = Caffeine.newBuilder()
                .maximumSize(config.cache().maxSize())
                .ticker(ticker)
                .executor(Runnable::run);
        config.cache().refreshAfter().filter(r -> r.toNanos() < ttl).ifPresent(builder::refreshAfterWrite);
        this.cache = builder
                .expireAfter(new Expiry<String, Optional<LicenseRecord>>() {
                    @Override
                    public long expireAfterCreate(String id, Optional<LicenseRecord> value, long now) {
                        // Up to 10 % earlier at random, so entries loaded together do not all expire together.
                        return value.isPresent() ? ttl - ThreadLocalRandom.current().nextLong(jitter + 1) : negativeTtl;
                    }

                    @Override
                    public long expireAfterUpdate(String id, Optional<LicenseRecord> value, long now, long left) {
                        return expireAfterCreate(id, value, now);
                    }

                    @Override
                    public long expireAfterRead(String id, Optional<LicenseRecord> value, long now, long left) {
                        return left;
                    }
                })
                .buildAsync((id, executor) -> read(id));
    }

    /** The record, from memory when fresh enough, else one consistent GetItem. Fails with {@link StoreUnavailableException}. */
    public Uni<Optional<LicenseRecord>> find(String licenseId) {
        return Uni.createFrom().completionStage(cache.get(licenseId));
    }

    /** Always reads DynamoDB (before activation writes), and refreshes the cache with what it read. */
    public Uni<Optional<LicenseRecord>> findFresh(String licenseId) {
        return Uni.createFrom().completionStage(read(licenseId))
                .invoke(found -> cache.put(licenseId, CompletableFuture.completedFuture(found)));
    }

    /** Replaces the cached record after this instance changed it. */
    public void remember(LicenseRecord record) {
        cache.put(record.licenseId(), CompletableFuture.completedFuture(Optional.of(record)));
    }

    private CompletableFuture<Optional<LicenseRecord>> read(String licenseId) {
        return store.find(licenseId).handle((found, error) -> {
            if (error != null) {
                throw health.failed("GetItem " + licenseId, error);
            }
            health.succeeded();
            return found;
        });
    }
}
