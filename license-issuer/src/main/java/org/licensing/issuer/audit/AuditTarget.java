package org.licensing.issuer.audit;

/** The kind of thing an audit event is about; the name is what is stored ({@code audit_events.target_type}). */
public enum AuditTarget {
    LICENSE,
    CUSTOMER,
    PRODUCT,
    POLICY
}
