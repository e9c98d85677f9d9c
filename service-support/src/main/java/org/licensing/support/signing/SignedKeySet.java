package org.licensing.support.signing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.licensing.core.crypto.SigningKeys;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;

/**
 * The signed key set products fetch to follow a key rotation without an update: a compact JWS, header
 * {@code alg EdDSA}, {@code kid} = the rotation key, {@code typ jwk-set+jwt}; claims {@code iat}, {@code exp} and
 * {@code keys} (the public JWKs of every configured signing key: the current one and the next, once it is added).
 * The format license-client's key trust accepts; products pin the rotation key's public half.
 *
 * <p>Signed on first use and again once half of {@code validity} has passed, so a running service never serves an
 * expired set; {@code iat} only grows, so a product that saw a newer set ignores an older one. Thread-safe.
 */
public final class SignedKeySet {

    /** The {@code typ} of a signed key set. */
    public static final String TYP = "jwk-set+jwt";

    private final SigningKeys rotation;
    private final List<Map<String, Object>> keys;
    private final Duration validity;
    private final Clock clock;
    private Signed current;

    private record Signed(String jws, Instant renewAt) {
    }

    /**
     * @param published the signing keys whose public halves the set holds
     * @param rotation the rotation key (its active kid signs the set); must not be one of {@code published}
     */
    public SignedKeySet(SigningKeys published, SigningKeys rotation, Duration validity, Clock clock) {
        if (published.kids().contains(rotation.activeKid())) {
            throw new IllegalArgumentException("the rotation key " + rotation.activeKid()
                    + " is also a signing key: it must only ever sign key sets");
        }
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("the key set's validity must be positive: " + validity);
        }
        this.rotation = rotation;
        this.keys = published.publicJwkSet().getKeys().stream().map(JWK::toJSONObject).toList();
        this.validity = validity;
        this.clock = clock;
    }

    /** The key set as a compact JWS, valid for at least half of {@code validity} from now. */
    public synchronized String jws() {
        Instant now = clock.instant();
        if (current == null || !now.isBefore(current.renewAt())) {
            Instant iat = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            JWTClaimsSet claims = new JWTClaimsSet.Builder().issueTime(Date.from(iat))
                    .expirationTime(Date.from(iat.plus(validity))).claim("keys", keys).build();
            current = new Signed(rotation.sign(claims, TYP), iat.plus(validity.dividedBy(2)));
        }
        return current.jws();
    }

    public String rotationKid() {
        return rotation.activeKid();
    }
}
