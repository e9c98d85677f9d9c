package org.licensing.validator.time;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.Ticker;

/**
 * The monotonic ticker (cache expiry, rate limits) as a bean beside service-support's wall clock, so tests replace
 * both with a clock they drive and never depend on elapsed time.
 */
public class TickerProducer {

    @Produces
    @Singleton
    Ticker ticker() {
        return Ticker.systemTicker();
    }
}
