package org.licensing.backoffice.security;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * The signed-in user, from the access token's {@code groups} claim (quarkus.oidc.roles.*): the API roles decide
 * what the pages show, and every action checks them again server-side. The APIs check the same token anyway.
 */
@RequestScoped
public class CurrentUser {

    public static final String LICENSES_READ = "licenses:read";
    public static final String LICENSES_WRITE = "licenses:write";
    public static final String CATALOG_ADMIN = "catalog:admin";
    /** Managing webhook endpoints (their URLs receive every event, and their secrets sign them). */
    public static final String WEBHOOKS_ADMIN = "webhooks:admin";
    public static final String REMINDERS_READ = "reminders:read";
    public static final String REMINDERS_RUN = "reminders:run";
    /** Back-office roles, most powerful first: the first one the user holds is shown as its role. */
    private static final List<String> USER_ROLES = List.of("admin", "operator", "finance", "viewer");

    private final SecurityIdentity identity;

    @Inject
    public CurrentUser(SecurityIdentity identity) {
        this.identity = identity;
    }

    public String name() {
        return identity.isAnonymous() ? "" : identity.getPrincipal().getName();
    }

    public Set<String> roles() {
        return identity.getRoles();
    }

    public boolean has(String role) {
        return identity.hasRole(role);
    }

    /** Throws {@link NotPermitted} unless the user holds the API role. */
    public void require(String role) {
        if (!has(role)) {
            throw new NotPermitted(role);
        }
    }

    public UserView view() {
        String role = USER_ROLES.stream().filter(this::has).findFirst().orElse("none");
        return new UserView(name(), role, has(LICENSES_WRITE), has(CATALOG_ADMIN), has(WEBHOOKS_ADMIN),
                has(REMINDERS_RUN), has(REMINDERS_RUN) || has("finance"));
    }
}
