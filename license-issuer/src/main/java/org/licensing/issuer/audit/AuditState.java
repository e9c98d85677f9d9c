package org.licensing.issuer.audit;

/**
 * Where an audited change stands; the name is what is stored ({@code audit_events.outcome}) and answered by the
 * audit API ({@code outcome}).
 */
public enum AuditState {
    /** Written before the change; stays PENDING only if the process died mid-change. */
    PENDING,
    /** The change was made. */
    COMMITTED,
    /** The change was refused (e.g. stale version): nothing changed. */
    FAILED
}
