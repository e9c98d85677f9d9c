package org.licensing.issuer.health;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.licensing.issuer.audit.AuditLog;
import org.licensing.issuer.config.IssuerConfig;
import org.licensing.support.async.Async;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * Ready when the licenses table answers. Also reports audit events still PENDING after a minute: changes whose
 * DynamoDB outcome is unknown (a crash mid-change) that an operator should reconcile.
 */
@Readiness
@ApplicationScoped
public class BackendsReadiness implements AsyncHealthCheck {

    private final DynamoDbAsyncClient dynamo;
    private final IssuerConfig config;
    private final AuditLog audit;
    private final Clock clock;

    public BackendsReadiness(DynamoDbAsyncClient dynamo, IssuerConfig config, AuditLog audit, Clock clock) {
        this.dynamo = dynamo;
        this.config = config;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        Uni<String> table = Async.of(() -> dynamo.describeTable(b -> b.tableName(config.table())))
                .map(r -> r.table().tableStatusAsString());
        return table.chain(status -> audit.pendingOlderThan(clock.instant().minus(Duration.ofMinutes(1)))
                .map(pending -> HealthCheckResponse.named("licensing-backends").up()
                        .withData("licensesTable", status)
                        .withData("auditEventsPendingOverOneMinute", pending.size())
                        .build()))
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("licensing-backends").down()
                        .withData("error", e.getClass().getSimpleName()).build());
    }
}
