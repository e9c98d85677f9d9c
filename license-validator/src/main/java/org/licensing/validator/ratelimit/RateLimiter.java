package org.licensing.validator.ratelimit;

import java.time.Duration;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.licensing.validator.config.ValidatorConfig;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Per-license-id and per-client-address token buckets, in memory (per instance; the API gateway adds a global
 * limit in front). Buckets idle for a minute are dropped; the maps are bounded.
 */
@Singleton
public class RateLimiter {

    private final boolean enabled;
    private final Ticker ticker;
    private final double perKeyPerSecond;
    private final int perKeyBurst;
    private final double perClientPerSecond;
    private final int perClientBurst;
    private final Cache<String, TokenBucket> perKey;
    private final Cache<String, TokenBucket> perClient;

    @Inject
    public RateLimiter(ValidatorConfig config, Ticker ticker) {
        this(config.rateLimit().enabled(), config.rateLimit().perKeyPerSecond(), config.rateLimit().perKeyBurst(),
                config.rateLimit().perClientPerSecond(), config.rateLimit().perClientBurst(), ticker);
    }

    public RateLimiter(boolean enabled, double perKeyPerSecond, int perKeyBurst, double perClientPerSecond,
            int perClientBurst, Ticker ticker) {
        this.enabled = enabled;
        this.perKeyPerSecond = perKeyPerSecond;
        this.perKeyBurst = perKeyBurst;
        this.perClientPerSecond = perClientPerSecond;
        this.perClientBurst = perClientBurst;
        this.ticker = ticker;
        this.perKey = Caffeine.newBuilder().ticker(ticker).expireAfterAccess(Duration.ofMinutes(1))
                .maximumSize(200_000).executor(Runnable::run).build();
        this.perClient = Caffeine.newBuilder().ticker(ticker).expireAfterAccess(Duration.ofMinutes(1))
                .maximumSize(200_000).executor(Runnable::run).build();
    }

    /** Throws {@link RateLimitedException} when the client address is over its limit. */
    public void checkClient(String clientAddress) {
        if (enabled) {
            take(perClient, clientAddress, perClientPerSecond, perClientBurst, "client address");
        }
    }

    /** Throws {@link RateLimitedException} when the license id is over its limit. */
    public void checkKey(String licenseId) {
        if (enabled) {
            take(perKey, licenseId, perKeyPerSecond, perKeyBurst, "license key");
        }
    }

    private void take(Cache<String, TokenBucket> buckets, String id, double perSecond, int burst, String scope) {
        long now = ticker.read();
        long wait = buckets.get(id, k -> new TokenBucket(perSecond, burst, now)).tryTake(now);
        if (wait > 0) {
            long seconds = Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
            throw new RateLimitedException(scope, seconds);
        }
    }
}
