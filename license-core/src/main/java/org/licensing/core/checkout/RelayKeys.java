package org.licensing.core.checkout;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import java.text.ParseException;
import java.util.Map;

/** A relay's public Ed25519 key as carried in a checkout request and certified in a relay checkout. */
public final class RelayKeys {

    private RelayKeys() {
    }

    /**
     * The public Ed25519 JWK in {@code jwk}: kty OKP, crv Ed25519, an {@code x} and a {@code kid}, no private part.
     *
     * @throws IllegalArgumentException otherwise
     */
    public static OctetKeyPair requirePublic(Map<String, Object> jwk) {
        OctetKeyPair key;
        try {
            key = OctetKeyPair.parse(jwk);
        } catch (ParseException | RuntimeException e) {
            throw new IllegalArgumentException("relay_key is not an OKP JWK", e);
        }
        if (!Curve.Ed25519.equals(key.getCurve())) {
            throw new IllegalArgumentException("relay_key must be an Ed25519 key");
        }
        if (key.isPrivate()) {
            throw new IllegalArgumentException("relay_key must be a public key (it has a private part \"d\")");
        }
        if (key.getKeyID() == null || key.getKeyID().isBlank()) {
            throw new IllegalArgumentException("relay_key must have a kid");
        }
        return key;
    }
}
