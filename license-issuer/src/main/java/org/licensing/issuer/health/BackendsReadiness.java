package org.licensing.issuer.health;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.licensing.issuer.config.IssuerConfig;
import org.licensing.issuer.readmodel.PendingEventStore;
import org.licensing.issuer.readmodel.Reconciler;
import org.licensing.support.async.Async;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * Ready when the licenses table and PostgreSQL answer. Also reports the audit events still PENDING after the
 * reconciler's bound ({@code auditEventsPendingUnreconciled}): changes the reconciler could not complete yet (its
 * last run's errors say why in the log); an operator looks at them when the number stays above 0.
 */
@Readiness
@ApplicationScoped
public class BackendsReadiness implements AsyncHealthCheck {

    private final DynamoDbAsyncClient dynamo;
    private final IssuerConfig config;
    private final PendingEventStore pending;
    private final Reconciler reconciler;
    private final Clock clock;

    public BackendsReadiness(DynamoDbAsyncClient dynamo, IssuerConfig config, PendingEventStore pending,
            Reconciler reconciler, Clock clock) {
        this.dynamo = dynamo;
        this.config = config;
        this.pending = pending;
        this.reconciler = reconciler;
        this.clock = clock;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        Uni<String> table = Async.of(() -> dynamo.describeTable(b -> b.tableName(config.table())))
                .map(r -> r.table().tableStatusAsString());
        return table.chain(status -> pending.countPendingBefore(clock.instant().minus(reconciler.olderThan()))
                .map(count -> {
                    HealthCheckResponseBuilder up = HealthCheckResponse.named("licensing-backends").up()
                            .withData("licensesTable", status)
                            .withData("auditEventsPendingUnreconciled", count)
                            .withData("reconcileOlderThan", reconciler.olderThan().toString());
                    reconciler.lastRun().ifPresent(run -> up.withData("reconcilerLastRun", run.finishedAt().toString())
                            .withData("reconcilerLastRunErrors", run.errors()));
                    return up.build();
                }))
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("licensing-backends").down()
                        .withData("error", e.getClass().getSimpleName()).build());
    }
}
