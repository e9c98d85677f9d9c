package org.licensing.relay.engine;

import com.nimbusds.jose.jwk.JWKSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.licensing.client.FingerprintStrategy;
import org.licensing.core.key.LicenseKey;

/**
 * What a relay needs to run (the Quarkus configuration {@code licensing.relay.*} builds it; tests build it directly).
 *
 * @param dataDir the relay's own directory: key, usage log, reports, checkout request (one relay per directory)
 * @param licenseKey the site's license key (opens the checkout)
 * @param product the product code (part of the fingerprint derivation and of the checkout request)
 * @param fingerprint how the site's fingerprint is found
 * @param vendorKeys the vendor's pinned public keys (the only keys a checkout may be signed with)
 * @param vendorIssuer the {@code iss} a checkout must carry, or null for any
 * @param checkoutFile where the checkout (the vendor's answer) is read from
 * @param leaseTtl how long a lease runs from its grant or last heartbeat
 * @param clockSkew tolerance for the site's clock against signed times
 * @param label optional text for people in the checkout request (site name)
 */
public record RelaySettings(Path dataDir, LicenseKey licenseKey, String product, FingerprintStrategy fingerprint,
        JWKSet vendorKeys, String vendorIssuer, Path checkoutFile, Duration leaseTtl, Duration clockSkew,
        String label) {

    public RelaySettings {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(licenseKey, "licenseKey");
        if (product == null || product.isBlank()) {
            throw new IllegalArgumentException("product is required");
        }
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(vendorKeys, "vendorKeys");
        if (vendorKeys.getKeys().isEmpty()) {
            throw new IllegalArgumentException("vendorKeys must hold at least one key");
        }
        if (checkoutFile == null) {
            checkoutFile = dataDir.resolve("checkout.jwe");
        }
        if (leaseTtl == null || leaseTtl.compareTo(Duration.ofSeconds(5)) < 0) {
            throw new IllegalArgumentException("leaseTtl must be at least 5 seconds");
        }
        Objects.requireNonNull(clockSkew, "clockSkew");
    }
}
