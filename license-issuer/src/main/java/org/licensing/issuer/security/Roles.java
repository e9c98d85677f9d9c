package org.licensing.issuer.security;

/** Roles read from the token's {@code groups} claim. */
public final class Roles {
    public static final String LICENSES_READ = "licenses:read";
    public static final String LICENSES_WRITE = "licenses:write";
    public static final String CATALOG_ADMIN = "catalog:admin";
    /** Webhook endpoints, their secrets, delivery logs and replays (back-office tokens). */
    public static final String WEBHOOKS_ADMIN = "webhooks:admin";

    private Roles() {
    }
}
