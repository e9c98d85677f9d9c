package org.licensing.notification.reminder;

import java.util.Locale;

/** Why a queued reminder (or digest) is not sent; {@link #tag()} names it in logs and metrics. */
public enum SkipReason {
    /** The license is gone. */
    DELETED,
    /** Its expiry day changed since the run queued the reminder (renewed or shortened). */
    RENEWED,
    REVOKED,
    SUSPENDED,
    /** The send ledger says it was sent already. */
    DUPLICATE;

    /** {@code deleted}, {@code renewed}...: the metric tag and the word in the log line. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
