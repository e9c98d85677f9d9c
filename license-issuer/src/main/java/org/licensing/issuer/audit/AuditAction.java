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
    /** A contact is part of its customer: the target is the customer. */
    CONTACT_ADDED(AuditTarget.CUSTOMER),
    PRODUCT_CREATED(AuditTarget.PRODUCT),
    POLICY_CREATED(AuditTarget.POLICY);

    private final AuditTarget target;

    AuditAction(AuditTarget target) {
        this.target = target;
    }

    /** The kind of thing this action changes. */
    public AuditTarget target() {
        return target;
    }
}
