package org.licensing.issuer.event;

import java.util.Arrays;
import java.util.Optional;

import org.licensing.issuer.audit.AuditAction;

/**
 * The event types the issuer publishes, by wire name, and the audit action each comes from. The outbox trigger
 * ({@code event_type_of} in V8__events.sql) maps the same actions to the same names: {@code EventTypesTest} compares
 * the two, so a new audit action cannot be published under a name this list (and the API's type filter) lacks.
 */
public enum EventType {
    LICENSE_ISSUED("license.issued", AuditAction.LICENSE_ISSUED),
    LICENSE_RENEWED("license.renewed", AuditAction.LICENSE_RENEWED),
    LICENSE_SUSPENDED("license.suspended", AuditAction.LICENSE_SUSPENDED),
    LICENSE_REINSTATED("license.reinstated", AuditAction.LICENSE_REINSTATED),
    LICENSE_REVOKED("license.revoked", AuditAction.LICENSE_REVOKED),
    LICENSE_KEY_REGENERATED("license.key-regenerated", AuditAction.LICENSE_KEY_REGENERATED),
    LICENSE_FILE_ISSUED("license.file-issued", AuditAction.LICENSE_FILE_ISSUED),
    CHECKOUT_CREATED("checkout.created", AuditAction.LICENSE_CHECKED_OUT),
    CHECKOUT_RETURNED("checkout.returned", AuditAction.LICENSE_CHECKOUT_RETURNED),
    CUSTOMER_CREATED("customer.created", AuditAction.CUSTOMER_CREATED),
    CUSTOMER_UPDATED("customer.updated", AuditAction.CUSTOMER_UPDATED),
    CUSTOMER_CONTACT_ADDED("customer.contact-added", AuditAction.CONTACT_ADDED),
    PRODUCT_CREATED("product.created", AuditAction.PRODUCT_CREATED),
    POLICY_CREATED("policy.created", AuditAction.POLICY_CREATED),
    USAGE_REPORT_RECEIVED("usage-report.received", AuditAction.LICENSE_USAGE_REPORTED),
    // Imported from the validator's and the notification service's outboxes (the eventimport package): no audit action.
    MACHINE_ACTIVATED("machine.activated", null),
    MACHINE_DEACTIVATED("machine.deactivated", null),
    MACHINE_HEARTBEAT_MISSED("machine.heartbeat-missed", null),
    LICENSE_LIMIT_EXCEEDED("license.limit-exceeded", null),
    LICENSE_EXPIRING_SOON("license.expiring-soon", null),
    LICENSE_EXPIRED("license.expired", null);

    private final String wireName;
    private final AuditAction action;

    EventType(String wireName, AuditAction action) {
        this.wireName = wireName;
        this.action = action;
    }

    /** The name events carry ({@code type}), filters and webhook subscriptions use. */
    public String wireName() {
        return wireName;
    }

    /** The audit action it is published from; null for the imported types. */
    public AuditAction action() {
        return action;
    }

    public static Optional<EventType> ofWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    public static Optional<EventType> of(AuditAction action) {
        return action == null ? Optional.empty() : Arrays.stream(values()).filter(t -> t.action == action).findFirst();
    }
}
