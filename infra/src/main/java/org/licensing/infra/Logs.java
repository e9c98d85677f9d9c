package org.licensing.infra;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/** Log groups of the stack: kept on stack deletion, with the stack's retention. */
final class Logs {

    private Logs() {
    }

    /** Named when a service writes to a fixed name (EKS, RDS, Container Insights), so it exists first, with a retention. */
    static LogGroup retained(Construct scope, String id, String name, RetentionDays retention) {
        LogGroup.Builder builder = LogGroup.Builder.create(scope, id)
                .retention(retention)
                .removalPolicy(RemovalPolicy.RETAIN);
        if (name != null) {
            builder.logGroupName(name);
        }
        return builder.build();
    }
}
