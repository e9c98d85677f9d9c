package org.licensing.issuer.audit;

/** The kind of thing an audit event is about; the name is what is stored ({@code audit_events.target_type}). */
public enum AuditTarget {
    LICENSE,
    CUSTOMER,
    PRODUCT,
    POLICY,
    /** A webhook endpoint: configuration of the event delivery itself, audited but not published as an event. */
    WEBHOOK_ENDPOINT
}
