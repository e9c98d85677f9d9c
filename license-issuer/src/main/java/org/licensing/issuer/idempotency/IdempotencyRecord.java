package org.licensing.issuer.idempotency;

/**
 * What is stored per (actor, Idempotency-Key).
 *
 * @param payload encrypted: the plan of an unfinished issue, or the first answer once completed; none once
 *        UNREADABLE
 * @param lockedUntilMillis while IN_PROGRESS, retries wait until then before they may take over
 * @param ttlEpochSeconds after this the record counts as absent (infra may also enable DynamoDB TTL on it)
 */
public record IdempotencyRecord(String pk, String fingerprint, State state, byte[] payload, long lockedUntilMillis,
        long ttlEpochSeconds) {

    public enum State {
        IN_PROGRESS,
        COMPLETED,
        /** Its payload did not open under the current secret: every retry with this key gets 422. */
        UNREADABLE
    }
}
