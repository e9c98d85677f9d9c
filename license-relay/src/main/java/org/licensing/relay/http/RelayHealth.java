package org.licensing.relay.http;

import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.licensing.relay.engine.RelayStatus;

/** Readiness: UP only while the relay serves on a verified checkout; DOWN says why (code and message). */
@Readiness
@Singleton
public class RelayHealth implements HealthCheck {

    private final RelayService service;

    RelayHealth(RelayService service) {
        this.service = service;
    }

    @Override
    public HealthCheckResponse call() {
        RelayStatus s = service.relay().status();
        return HealthCheckResponse.named("relay").status(s.serving()).withData("code", s.code().name())
                .withData("message", s.message()).build();
    }
}
