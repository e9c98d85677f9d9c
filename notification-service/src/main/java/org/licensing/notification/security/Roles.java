package org.licensing.notification.security;

/** The roles this service's endpoints require (the {@code groups} claim of the bearer token). */
public final class Roles {

    /** Operators: on-demand runs and digests, the dead-letter queue. */
    public static final String REMINDERS_RUN = "reminders:run";

    /** The back office's viewers and finance: a license's reminders and the dead-letter depth, read only. */
    public static final String REMINDERS_READ = "reminders:read";

    private Roles() {
    }
}
