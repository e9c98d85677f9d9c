package org.licensing.notification.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.licensing.notification.queue.ReminderQueue;

/** Ready when the reminder queue answers; reports the dead-letter depth (which does not make it unready). */
@Readiness
@ApplicationScoped
public class QueueReadiness implements HealthCheck {

    private final ReminderQueue queue;

    public QueueReadiness(ReminderQueue queue) {
        this.queue = queue;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            return HealthCheckResponse.named("reminder-queue").up().withData("deadLetters", queue.deadLetterDepth())
                    .build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("reminder-queue").down().withData("error", e.getClass().getSimpleName())
                    .build();
        }
    }
}
