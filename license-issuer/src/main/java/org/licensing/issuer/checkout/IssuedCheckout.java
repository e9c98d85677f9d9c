package org.licensing.issuer.checkout;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The answer of a checkout: its metadata and the file to carry to the machine.
 *
 * @param fingerprint null for an unbound file
 * @param file the compact JWE (media type {@value #MEDIA_TYPE}); only the license key on the bound machine opens it
 * @param fileName a suggested name for the file
 */
@Schema(name = "IssuedCheckout")
public record IssuedCheckout(String licenseId, String checkoutId, String fingerprint, long sequence, Instant issuedAt,
        Instant until, String kid, String fileName, String file) {

    public static final String MEDIA_TYPE = "application/jose";
}
