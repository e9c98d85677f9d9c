package org.licensing.validator.metrics;

import java.time.Duration;

import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Produces;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

/**
 * Histogram buckets for the validator's HTTP server timings ({@code http_server_requests_seconds_bucket}), so the
 * Prometheus alert rule on the validation latency's p99 (infra, {@code PrometheusMetrics}) can compute it across pods
 * with {@code histogram_quantile}; Micrometer publishes no buckets by default.
 */
public class ValidationLatencyHistogram {

    @Produces
    @Singleton
    MeterFilter httpServerHistogram() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals("http.server.requests")) {
                    return config;
                }
                // Few, fixed buckets around the 1 s alert threshold (not Micrometer's ~70 default ones).
                return DistributionStatisticConfig.builder()
                        .serviceLevelObjectives(Duration.ofMillis(50).toNanos(), Duration.ofMillis(100).toNanos(),
                                Duration.ofMillis(250).toNanos(), Duration.ofMillis(500).toNanos(),
                                Duration.ofSeconds(1).toNanos(), Duration.ofMillis(2500).toNanos(),
                                Duration.ofSeconds(5).toNanos())
                        .build().merge(config);
            }
        };
    }
}
