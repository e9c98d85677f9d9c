package org.licensing.core.document;

/** Time validity of a correctly signed license file at a given instant. */
public enum LicenseValidity {
    /** Between {@code nbf} and {@code exp}. */
    VALID,
    /** Past {@code exp} but within {@code grace_days}: products keep working and warn. */
    EXPIRED_IN_GRACE,
    /** Past {@code exp} and the grace period. */
    EXPIRED,
    /** Before {@code nbf}. */
    NOT_YET_VALID;

    /** Whether the product may run: {@link #VALID} or {@link #EXPIRED_IN_GRACE}. */
    public boolean usable() {
        return this == VALID || this == EXPIRED_IN_GRACE;
    }
}
