package org.licensing.core.document;

import java.time.Duration;
import java.util.Objects;

/**
 * A license file whose signature checked out, with its time validity at the instant it was checked.
 *
 * @param graceRemaining time left in the grace period when {@link LicenseValidity#EXPIRED_IN_GRACE}, else zero
 * @param kid the signing key that verified it
 */
public record VerifiedLicense(LicenseDocument document, LicenseValidity status, Duration graceRemaining, String kid) {

    public VerifiedLicense {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(status, "status");
        graceRemaining = Objects.requireNonNullElse(graceRemaining, Duration.ZERO);
    }
}
