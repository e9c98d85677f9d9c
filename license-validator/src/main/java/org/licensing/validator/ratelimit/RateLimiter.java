package org.licensing.validator.ratelimit;

import java.time.Duration;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.licensing.validator.config.ValidatorConfig;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Token buckets, in memory (per instance; the API gateway adds a global limit in front). Buckets idle for a minute
 * are dropped; the maps are bounded. Three kinds:
 * <ul>
 *   <li>per client address, charged first by every request;</li>
 *   <li>per license id, charged only once the key's secret matched: the id is no secret (receipts, e-mails, license
 *       files), so a bucket that wrong secrets could empty would let anyone lock a license out;</li>
 *   <li>per (license id, client address) for keys that opened nothing (unknown id or wrong secret): bounds guessing
 *       and never touches the rightful key's bucket.</li>
 * </ul>
 */
@Singleton
public class RateLimiter {

    private final boolean enabled;
    private final Ticker ticker;
    private final double perKeyPerSecond;
    private final int perKeyBurst;
    private final double perClientPerSecond;
    private final int perClientBurst;
    private final double failedPerSecond;
    private final int failedBurst;
    private final Cache<String, TokenBucket> perKey;
    private final Cache<String, TokenBucket> perClient;
    private final Cache<String, TokenBucket> failed;

    @Inject
    public RateLimiter(ValidatorConfig config, Ticker ticker) {
        this(config.rateLimit().enabled(), config.rateLimit().perKeyPerSecond(), config.rateLimit().perKeyBurst(),
                config.rateLimit().perClientPerSecond(), config.rateLimit().perClientBurst(),
                config.rateLimit().failedPerSecond(), config.rateLimit().failedBurst(), ticker);
    }

    public RateLimiter(boolean enabled, double perKeyPerSecond, int perKeyBurst, double perClientPerSecond,
            int perClientBurst, double failedPerSecond, int failedBurst, Ticker ticker) {
        this.enabled = enabled;
        this.perKeyPerSecond = perKeyPerSecond;
        this.perKeyBurst = perKeyBurst;
        this.perClientPerSecond = perClientPerSecond;
        this.perClientBurst = perClientBurst;
        this.failedPerSecond = failedPerSecond;
        this.failedBurst = failedBurst;
        this.ticker = ticker;
        this.perKey = buckets(ticker);
        this.perClient = buckets(ticker);
        this.failed = buckets(ticker);
    }

    private static Cache<String, TokenBucket> buckets(Ticker ticker) {
        return Caffeine.newBuilder().ticker(ticker).expireAfterAccess(Duration.ofMinutes(1))
                .maximumSize(200_000).executor(Runnable::run).build();
    }

    /** Throws {@link RateLimitedException} when the client address is over its limit. */
    public void checkClient(String clientAddress) {
        if (enabled) {
            take(perClient, clientAddress, perClientPerSecond, perClientBurst, "client address");
        }
    }

    /**
     * A key whose secret matched: throws {@link RateLimitedException} when its license id is over its limit. Call
     * only after the secret check, so nobody but the key's holders can empty this bucket.
     */
    public void chargeLicense(String licenseId) {
        if (enabled) {
            take(perKey, licenseId, perKeyPerSecond, perKeyBurst, "license key");
        }
    }

    /**
     * A key that opened nothing (unknown id or wrong secret, indistinguishable): throws {@link RateLimitedException}
     * when this client has failed too often for this id. The bucket is the pair's own: the license's bucket, and so
     * its rightful users, never feel it.
     */
    public void chargeFailure(String licenseId, String clientAddress) {
        if (enabled) {
            take(failed, licenseId + ' ' + clientAddress, failedPerSecond, failedBurst, "license key");
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
