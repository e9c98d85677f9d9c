package org.licensing.core.license;

/** Administrative state set by the issuer. Expiry is not a status: it follows from {@code expiresAt}. */
public enum LicenseStatus {
    ACTIVE,
    SUSPENDED,
    /** Final: a revoked license never becomes active again. */
    REVOKED
}
