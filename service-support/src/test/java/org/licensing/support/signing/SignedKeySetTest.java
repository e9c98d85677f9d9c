package org.licensing.support.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.licensing.core.crypto.JwsVerifier;
import org.licensing.core.crypto.SigningKeys;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;

/** The signed key set: what it holds, who signs it, how long it lives, and the configuration rules. */
class SignedKeySetTest {

    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    static SigningConfig.KeySet keySetConfig(Optional<String> kid, Optional<String> key) {
        return new SigningConfig.KeySet() {
            @Override
            public Optional<String> rotationKid() {
                return kid;
            }

            @Override
            public Optional<String> rotationKey() {
                return key;
            }

            @Override
            public Duration validity() {
                return Duration.ofDays(7);
            }
        };
    }

    static JWTClaimsSet verified(String jws, SigningKeys rotation) throws Exception {
        return JwsVerifier.verify(jws, rotation.publicJwkSet(), SignedKeySet.TYP).claims();
    }

    @Test
    void holdsEveryPublicSigningKeySignedByTheRotationKeyWithAnExpiry() throws Exception {
        SigningKeys current = SigningKeys.generate("k1").plus(SigningKeys.generate("k2"));
        SigningKeys rotation = SigningKeys.generate("root");
        String jws = new SignedKeySet(current, rotation, Duration.ofDays(7), Clock.fixed(T0, ZoneOffset.UTC)).jws();
        JWTClaimsSet claims = verified(jws, rotation);
        assertEquals(T0, claims.getIssueTime().toInstant());
        assertEquals(T0.plus(Duration.ofDays(7)), claims.getExpirationTime().toInstant());
        JWKSet keys = JWKSet.parse(Map.of("keys", claims.getClaim("keys")));
        assertEquals(current.publicJwkSet().toJSONObject(), keys.toJSONObject());
        assertTrue(keys.getKeys().stream().noneMatch(k -> k.isPrivate()));
        // Not a receipt key: signed by a signing key, it does not verify.
        assertThrows(Exception.class, () -> verified(jws, current));
    }

    @Test
    void isSignedAgainAfterHalfItsValiditySoItNeverExpiresWhileServed() throws Exception {
        Instant[] now = {T0};
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        SigningKeys rotation = SigningKeys.generate("root");
        SignedKeySet set = new SignedKeySet(SigningKeys.generate("k1"), rotation, Duration.ofDays(7), clock);
        String first = set.jws();
        now[0] = T0.plus(Duration.ofDays(3));
        assertEquals(first, set.jws());
        now[0] = T0.plus(Duration.ofHours(84));
        String second = set.jws();
        assertNotEquals(first, second);
        assertEquals(now[0], verified(second, rotation).getIssueTime().toInstant());
        assertEquals(now[0].plus(Duration.ofDays(7)), verified(second, rotation).getExpirationTime().toInstant());
    }

    @Test
    void theRotationKeyNeverSignsReceiptsOrLicenseFiles() {
        SigningKeys keys = SigningKeys.generate("k1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SignedKeySet(keys, SigningKeys.generate("k1"), Duration.ofDays(7), Clock.systemUTC()));
        assertTrue(e.getMessage().contains("must only ever sign key sets"), e.getMessage());
    }

    @Test
    void configurationIsBothOrNeither() {
        SigningKeys keys = SigningKeys.generate("k1");
        SigningKeys root = SigningKeys.generate("root");
        assertEquals(Optional.empty(), KeySetResource.keySet(keys, keySetConfig(Optional.empty(), Optional.empty()),
                Clock.systemUTC()));
        assertThrows(IllegalStateException.class, () -> KeySetResource.keySet(keys,
                keySetConfig(Optional.of("root"), Optional.empty()), Clock.systemUTC()));
        assertThrows(IllegalStateException.class, () -> KeySetResource.keySet(keys,
                keySetConfig(Optional.empty(), Optional.of(root.privatePem("root"))), Clock.systemUTC()));
        SignedKeySet set = KeySetResource.keySet(keys,
                keySetConfig(Optional.of("root"), Optional.of(root.privatePem("root"))), Clock.systemUTC()).orElseThrow();
        assertEquals("root", set.rotationKid());
        assertEquals(List.of("k1"), List.copyOf(keys.kids()));
    }
}
