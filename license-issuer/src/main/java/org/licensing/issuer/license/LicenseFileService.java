package org.licensing.issuer.license;

import org.licensing.core.document.LicenseDocument;
import org.licensing.store.LicenseRecord;

/** What a license's signed files (checkouts) say about it: the one mapping from the stored record. */
public final class LicenseFileService {

    private LicenseFileService() {
    }

    /** What a license file says about a stored license: its signed fields, as stored. */
    public static LicenseDocument documentOf(LicenseRecord r) {
        return new LicenseDocument(r.licenseId(), r.customerId(), r.customerName(), r.productCode(),
                r.entitlements().features(), r.entitlements().limits(), r.maxActivations(), r.issuedAt(),
                r.notBefore(), r.expiresAt(), r.graceDays());
    }
}
