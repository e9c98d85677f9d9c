package org.licensing.issuer.eventimport;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports the import's last run and its lag in readiness. Always up: a lagging import delays the services' events in
 * the feed but does not make the issuer unable to serve (the metric {@code licensing_events_import_lag_seconds} is the
 * one to alert on).
 */
@Readiness
@ApplicationScoped
public class EventImportReadiness implements HealthCheck {

    private final EventImporter importer;
    private final EventImportConfig config;

    public EventImportReadiness(EventImporter importer, EventImportConfig config) {
        this.importer = importer;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder up = HealthCheckResponse.named("event-import").up()
                .withData("every", config.every());
        importer.lastRun().ifPresent(run -> up.withData("lastRun", run.finishedAt().toString())
                .withData("lagSeconds", run.lag().toSeconds())
                .withData("lastRunPublished", run.published()));
        return up.build();
    }
}
