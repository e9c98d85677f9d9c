package org.licensing.issuer.catalog;

public enum ContactRole {
    FINANCE,
    TECHNICAL,
    ADMIN
}
