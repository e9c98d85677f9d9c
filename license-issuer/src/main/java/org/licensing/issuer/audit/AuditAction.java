package org.licensing.issuer.audit;

/**
 * What an audit event records. The constant's name is what is stored ({@code audit_events.action}), answered by the
 * audit API ({@code action}) and tagged on metrics: renaming a constant is a data and API change.
 */
public enum AuditAction {
    LICENSE_ISSUED(AuditTarget.LICENSE),
    LICENSE_RENEWED(AuditTarget.LICENSE),
    LICENSE_SUSPENDED(AuditTarget.LICENSE),
    LICENSE_REINSTATED(AuditTarget.LICENSE),
    LICENSE_REVOKED(AuditTarget.LICENSE),
    LICENSE_KEY_REGENERATED(AuditTarget.LICENSE),
    /** A checkout: a license file bound to a machine and the key, holding a seat. */
    LICENSE_CHECKED_OUT(AuditTarget.LICENSE),
    /** A checkout given back (by an operator or the machine's return file): its seat is free. */
    LICENSE_CHECKOUT_RETURNED(AuditTarget.LICENSE),
    /** A license file bound to no machine (only where the policy allows them). */
    LICENSE_FILE_ISSUED(AuditTarget.LICENSE),
    /** A usage report of a site's relay, verified and accepted into the license's report chain. */
    LICENSE_USAGE_REPORTED(AuditTarget.LICENSE),
    CUSTOMER_CREATED(AuditTarget.CUSTOMER),
    /** Name, external id or status changed ({@code PATCH /v1/customers/{id}}). */
    CUSTOMER_UPDATED(AuditTarget.CUSTOMER),
    /** A contact is part of its customer: the target is the customer. */
    CONTACT_ADDED(AuditTarget.CUSTOMER),
    PRODUCT_CREATED(AuditTarget.PRODUCT),
    POLICY_CREATED(AuditTarget.POLICY),
    /*
     * Webhook endpoint changes: audited (before/after are the endpoint's view, never its secret), not published:
     * they configure the delivery of events, they are not changes of the licensing data.
     */
    WEBHOOK_ENDPOINT_CREATED(AuditTarget.WEBHOOK_ENDPOINT),
    /** URL, description or event types changed. */
    WEBHOOK_ENDPOINT_UPDATED(AuditTarget.WEBHOOK_ENDPOINT),
    WEBHOOK_ENDPOINT_ENABLED(AuditTarget.WEBHOOK_ENDPOINT),
    /** By an operator, or by the delivery worker (a 410 answer, failing for the whole retry window). */
    WEBHOOK_ENDPOINT_DISABLED(AuditTarget.WEBHOOK_ENDPOINT),
    WEBHOOK_ENDPOINT_SECRET_ROTATED(AuditTarget.WEBHOOK_ENDPOINT),
    WEBHOOK_ENDPOINT_DELETED(AuditTarget.WEBHOOK_ENDPOINT);

    private final AuditTarget target;

    AuditAction(AuditTarget target) {
        this.target = target;
    }

    /** The kind of thing this action changes. */
    public AuditTarget target() {
        return target;
    }
}
