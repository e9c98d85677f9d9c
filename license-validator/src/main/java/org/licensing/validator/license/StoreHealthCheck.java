package org.licensing.validator.license;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness from the outcome of the last DynamoDB call (no extra call per probe). */
@Readiness
@Singleton
public class StoreHealthCheck implements HealthCheck {

    private final StoreHealth health;

    public StoreHealthCheck(StoreHealth health) {
        this.health = health;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("dynamodb").status(health.isUp()).build();
    }
}
