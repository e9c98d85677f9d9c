package org.licensing.validator.license;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/**
 * Readiness: DynamoDB answers ({@link StoreHealth#ready()}: no call while it does, a rate-limited probe while it does
 * not). Liveness has no check of DynamoDB: a store outage must make pods unready, never restart them.
 */
@Readiness
@Singleton
public class StoreHealthCheck implements AsyncHealthCheck {

    private final StoreHealth health;

    public StoreHealthCheck(StoreHealth health) {
        this.health = health;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom().completionStage(health.ready())
                .map(up -> HealthCheckResponse.named("dynamodb").status(up).build());
    }
}
