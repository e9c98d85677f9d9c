package org.licensing.issuer.license;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.document.LicenseDocument;
import org.licensing.core.document.LicenseFiles;
import org.licensing.core.key.LicenseKey;
import org.licensing.core.key.MalformedLicenseKeyException;
import org.licensing.core.license.LicenseRecord;
import org.licensing.core.license.LicenseStatus;
import org.licensing.issuer.config.IssuerConfig;
import org.licensing.issuer.problem.Problems;

/** Signed (and optionally encrypted) license files. */
@ApplicationScoped
public class LicenseFileService {

    public static final String JWT = "application/jwt";
    public static final String JOSE = "application/jose";

    private final SigningKeys keys;
    private final IssuerConfig config;

    public LicenseFileService(SigningKeys keys, IssuerConfig config) {
        this.keys = keys;
        this.config = config;
    }

    public Response file(LicenseRecord r, String licenseKeyText, boolean jsonWrapper) {
        if (r.status() == LicenseStatus.REVOKED) {
            throw Problems.invalidTransition("License " + r.licenseId() + " is revoked; it has no license file");
        }
        String jws = LicenseFiles.sign(LicenseDocument.of(r), config.signing().issuer(), keys);
        String body = jws;
        String type = JWT;
        String format = "jws";
        if (licenseKeyText != null) {
            LicenseKey key;
            try {
                key = LicenseKey.parse(licenseKeyText);
            } catch (MalformedLicenseKeyException e) {
                throw Problems.of(400, "malformed-license-key", "Bad Request", e.getMessage());
            }
            if (!key.licenseId().toString().equals(r.licenseId()) || !key.matchesHash(r.keyHash())) {
                throw Problems.unprocessable("license-key-mismatch",
                        "The License-Key header is not the current key of this license");
            }
            body = LicenseFiles.encryptFor(jws, key);
            type = JOSE;
            format = "jwe";
        }
        if (jsonWrapper) {
            Map<String, Object> wrapper = new LinkedHashMap<>();
            wrapper.put("licenseId", r.licenseId());
            wrapper.put("format", format);
            wrapper.put("kid", keys.activeKid());
            wrapper.put("file", body);
            return Response.ok(wrapper, MediaType.APPLICATION_JSON_TYPE).build();
        }
        return Response.ok(body, type)
                .header("Content-Disposition", "attachment; filename=\"" + r.licenseId()
                        + ("jwe".equals(format) ? ".lic.jwe" : ".lic") + "\"")
                .header("Cache-Control", "no-store")
                .build();
    }
}
