package org.licensing.issuer.catalog;

public enum CustomerStatus {
    ACTIVE,
    /** No new licenses; existing ones keep their own status. */
    INACTIVE
}
