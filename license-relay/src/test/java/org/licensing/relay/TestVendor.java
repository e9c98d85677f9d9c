package org.licensing.relay;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.licensing.core.checkout.CheckoutDocument;
import org.licensing.core.checkout.CheckoutFiles;
import org.licensing.core.checkout.CheckoutRequest;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.document.LicenseDocument;
import org.licensing.core.key.LicenseKey;

/**
 * The vendor's side in tests: a signing key, a license key, and relay checkouts made from a relay's checkout
 * request exactly as the issuer will (license-core's {@link CheckoutFiles}: sign, then encrypt with the stored hash).
 */
public final class TestVendor {

    public static final String ISSUER = "https://issuer.licensing.test";
    public static final String PRODUCT = "gpu-cluster";

    public final SigningKeys keys = SigningKeys.generate("vendor-1");
    public final LicenseKey licenseKey = LicenseKey.generate(UUID.randomUUID());

    /** The license: 64 GPUs, 128.5 GPU shares, 8 nodes (machine limit 8), expiring {@code expires}. */
    public LicenseDocument license(Map<String, BigDecimal> limits, int maxActivations, Instant start, Instant expires) {
        return new LicenseDocument(licenseKey.licenseId().toString(), "cust-1", "Acme GPU", PRODUCT, Map.of(),
                limits, maxActivations, start, start, expires, 7);
    }

    public static Map<String, BigDecimal> gpuLimits() {
        return Map.of("cuda.device", new BigDecimal("64"), "cuda.shares", new BigDecimal("128.5"),
                "nodes", new BigDecimal("8"));
    }

    /** A relay checkout for {@code requestJson} (the relay's request), signed now, ending {@code until}. */
    public String relayCheckout(String requestJson, LicenseDocument license, long seq, Instant now, Instant until) {
        CheckoutRequest request = CheckoutRequest.parse(requestJson);
        CheckoutDocument doc = new CheckoutDocument(UUID.randomUUID(), license, request.fingerprint(), seq, now, until,
                request.relayKey());
        return CheckoutFiles.encrypt(CheckoutFiles.sign(doc, ISSUER, keys), licenseKey.licenseId(),
                licenseKey.secretHash(), request.fingerprint());
    }

    public String publicJwks() {
        return keys.publicJwkSetJson();
    }
}
