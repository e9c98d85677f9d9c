package org.licensing.issuer.license;

/**
 * A license file ready to hand out.
 *
 * @param format JWS (signed) or JWE (signed, then encrypted for the license key)
 * @param kid the signing key's id
 * @param content the compact serialization
 */
public record LicenseFile(String licenseId, Format format, String kid, String content) {

    public static final String JWT = "application/jwt";
    public static final String JOSE = "application/jose";

    public enum Format {
        JWS(JWT, ".lic"),
        JWE(JOSE, ".lic.jwe");

        private final String mediaType;
        private final String extension;

        Format(String mediaType, String extension) {
            this.mediaType = mediaType;
            this.extension = extension;
        }

        public String mediaType() {
            return mediaType;
        }

        /** {@code jws} or {@code jwe}, as the JSON wrapper names it. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public String fileName() {
        return licenseId + format.extension;
    }
}
