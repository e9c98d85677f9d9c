package org.licensing.issuer.readmodel;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.licensing.issuer.openapi.Examples;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A read-model rebuild (a row of {@code read_model_rebuilds}).
 *
 * @param state RUNNING, DONE or FAILED
 * @param pages DynamoDB Scan pages done
 * @param licenses licenses written (upserted) so far
 */
@Schema(name = "ReadModelRebuild", example = Examples.REBUILD)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RebuildView(String id, String state, Instant startedAt, Instant updatedAt, Instant finishedAt,
        long pages, long licenses, String error) {
}
