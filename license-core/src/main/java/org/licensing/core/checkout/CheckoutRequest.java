package org.licensing.core.checkout;

import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * What a machine (or a site's relay) asks the vendor for: a checkout of {@code licenseId} for {@code productCode}
 * bound to {@code fingerprint}. It carries no secret, so it may travel by e-mail or USB stick. A relay adds its
 * public key ({@code relay_key}), which the vendor certifies inside the relay checkout.
 *
 * <pre>
 * {"typ":"licensing.checkout-request.v1","license_id":"…","product":"gpu-cluster",
 *  "fingerprint":"k8s-…","created_at":"2026-12-07T10:00:00Z","label":"dgx-a-01"}
 * </pre>
 *
 * @param label optional free text for people (host or site name), at most {@value #MAX_LABEL} characters
 * @param relayKey optional public Ed25519 JWK of a relay
 */
public record CheckoutRequest(UUID licenseId, String productCode, String fingerprint, Instant createdAt, String label,
        OctetKeyPair relayKey) {

    public static final String TYPE = "licensing.checkout-request.v1";
    public static final int MAX_LABEL = 200;
    private static final Set<String> MEMBERS = Set.of("typ", "license_id", "product", "fingerprint", "created_at",
            "label", "relay_key");
    private static final String WHAT = "Checkout request";

    public CheckoutRequest {
        Objects.requireNonNull(licenseId, "licenseId");
        if (productCode == null || productCode.isBlank()) {
            throw new IllegalArgumentException(WHAT + ": product is required");
        }
        Fingerprint.require(fingerprint, WHAT + ": fingerprint");
        createdAt = Objects.requireNonNull(createdAt, "createdAt").truncatedTo(ChronoUnit.SECONDS);
        if (label != null && (label.isBlank() || label.length() > MAX_LABEL)) {
            throw new IllegalArgumentException(WHAT + ": label must be 1-" + MAX_LABEL + " characters");
        }
        if (relayKey != null) {
            relayKey = RelayKeys.requirePublic(relayKey.toJSONObject());
        }
    }

    /** A request for this machine, no relay key. */
    public static CheckoutRequest of(UUID licenseId, String productCode, String fingerprint, Instant now,
            String label) {
        return new CheckoutRequest(licenseId, productCode, fingerprint, now, label, null);
    }

    /** The JSON text (members in a fixed order). */
    public String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("typ", TYPE);
        json.put("license_id", licenseId.toString());
        json.put("product", productCode);
        json.put("fingerprint", fingerprint);
        json.put("created_at", createdAt.toString());
        if (label != null) {
            json.put("label", label);
        }
        if (relayKey != null) {
            json.put("relay_key", relayKey.toPublicJWK().toJSONObject());
        }
        return JSONObjectUtils.toJSONString(json);
    }

    /**
     * Reads a request; unknown members, a wrong {@code typ}, a malformed fingerprint or an oversized text are refused.
     *
     * @throws IllegalArgumentException with a message a person can act on
     */
    public static CheckoutRequest parse(String text) {
        Map<String, Object> json = CheckoutJson.parse(text, WHAT, TYPE, MEMBERS);
        OctetKeyPair relay = null;
        Object rk = json.get("relay_key");
        if (rk != null) {
            if (!(rk instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException(WHAT + ": relay_key must be a JWK object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> jwk = (Map<String, Object>) m;
            relay = RelayKeys.requirePublic(jwk);
        }
        return new CheckoutRequest(CheckoutJson.uuid(json, "license_id", WHAT), CheckoutJson.text(json, "product", WHAT),
                CheckoutJson.text(json, "fingerprint", WHAT), CheckoutJson.instant(json, "created_at", WHAT),
                CheckoutJson.optionalText(json, "label", WHAT), relay);
    }
}
