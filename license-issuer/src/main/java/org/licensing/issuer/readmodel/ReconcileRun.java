package org.licensing.issuer.readmodel;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.licensing.issuer.openapi.Examples;

/**
 * What one reconciler run did.
 *
 * @param examined PENDING events older than the bound that the run looked at
 * @param skipped events another run (another replica) held or had completed meanwhile
 * @param errors events left PENDING because DynamoDB or PostgreSQL failed; the next run tries again
 */
@Schema(name = "ReconcileRun", example = Examples.RECONCILE_RUN)
public record ReconcileRun(int examined, int committed, int failed, int skipped, int errors,
        @Schema(description = "The age bound of this run (ISO-8601 duration)") String olderThan,
        Instant finishedAt) {
}
