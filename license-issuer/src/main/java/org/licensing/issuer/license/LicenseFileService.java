package org.licensing.issuer.license;

import jakarta.enterprise.context.ApplicationScoped;

import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.document.LicenseDocument;
import org.licensing.core.document.LicenseFiles;
import org.licensing.core.key.LicenseKey;
import org.licensing.core.license.LicenseStatus;
import org.licensing.issuer.config.IssuerConfig;
import org.licensing.store.LicenseRecord;
import org.licensing.support.problem.ProblemType;
import org.licensing.support.problem.Problems;

/** Signed (and optionally encrypted) license files. HTTP (media types, headers, the JSON wrapper) is the resource's. */
@ApplicationScoped
public class LicenseFileService {

    private final SigningKeys keys;
    private final IssuerConfig config;

    public LicenseFileService(SigningKeys keys, IssuerConfig config) {
        this.keys = keys;
        this.config = config;
    }

    /** What a license file says about a stored license: its signed fields, as stored. */
    public static LicenseDocument documentOf(LicenseRecord r) {
        return new LicenseDocument(r.licenseId(), r.customerId(), r.customerName(), r.productCode(),
                r.entitlements().features(), r.entitlements().limits(), r.maxActivations(), r.issuedAt(),
                r.notBefore(), r.expiresAt(), r.graceDays());
    }

    /**
     * The license file of {@code r}: a JWS, or a JWE for {@code licenseKeyText} when it is given.
     *
     * @throws io.quarkiverse.resteasy.problem.HttpProblem 409 for a revoked license, 400 for a malformed key, 422
     *     for a key that is not this license's current key
     */
    public LicenseFile file(LicenseRecord r, String licenseKeyText) {
        if (r.status() == LicenseStatus.REVOKED) {
            throw Problems.invalidTransition("License " + r.licenseId() + " is revoked; it has no license file");
        }
        String jws = LicenseFiles.sign(documentOf(r), config.signing().issuer(), keys);
        if (licenseKeyText == null) {
            return new LicenseFile(r.licenseId(), LicenseFile.Format.JWS, keys.activeKid(), jws);
        }
        LicenseKey key = Problems.parseLicenseKey(licenseKeyText);
        if (!key.licenseId().toString().equals(r.licenseId()) || !key.matchesHash(r.keyHash())) {
            throw Problems.of(ProblemType.LICENSE_KEY_MISMATCH, "The License-Key header is not the current key of this license");
        }
        return new LicenseFile(r.licenseId(), LicenseFile.Format.JWE, keys.activeKid(),
                LicenseFiles.encryptFor(jws, key));
    }
}
