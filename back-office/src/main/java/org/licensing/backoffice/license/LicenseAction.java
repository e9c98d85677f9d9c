package org.licensing.backoffice.license;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/** The changes the issuer offers on a license, the statuses they apply to, and what the page says about them. */
public enum LicenseAction {
    RENEW("renew", "Renew", Set.of("ACTIVE", "SUSPENDED"),
            "Moves the expiry later (days added to the current expiry, or a new date)."),
    SUSPEND("suspend", "Suspend", Set.of("ACTIVE"),
            "Validation answers SUSPENDED until the license is reinstated."),
    REINSTATE("reinstate", "Reinstate", Set.of("SUSPENDED"), "Makes a suspended license valid again."),
    REVOKE("revoke", "Revoke", Set.of("ACTIVE", "SUSPENDED"),
            "Final: a revoked license can never be used, renewed or reinstated again."),
    REGENERATE_KEY("regenerate-key", "Regenerate key", Set.of("ACTIVE", "SUSPENDED"),
            "Issues a new license key; the current key stops working at once. The new key is shown once.");

    private final String slug;
    private final String label;
    private final Set<String> fromStatuses;
    private final String effect;

    LicenseAction(String slug, String label, Set<String> fromStatuses, String effect) {
        this.slug = slug;
        this.label = label;
        this.fromStatuses = fromStatuses;
        this.effect = effect;
    }

    public String slug() {
        return slug;
    }

    public String label() {
        return label;
    }

    public String effect() {
        return effect;
    }

    public boolean appliesTo(String status) {
        return fromStatuses.contains(status);
    }

    /** The issuer records a reason for every change, renew included. */
    public boolean takesReason() {
        return true;
    }

    public static Optional<LicenseAction> bySlug(String slug) {
        return Arrays.stream(values()).filter(a -> a.slug.equals(slug)).findFirst();
    }
}
