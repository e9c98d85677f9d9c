package org.licensing.validator.time;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Wall clock (expiry, grace, leases, deactivation days) and monotonic ticker (cache expiry, rate limits) as
 * beans, so tests replace both with a clock they drive and never depend on elapsed time.
 */
public class TimeProducer {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    Ticker ticker() {
        return Ticker.systemTicker();
    }
}
