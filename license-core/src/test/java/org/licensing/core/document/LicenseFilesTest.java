package org.licensing.core.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.PlainObject;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.document.LicenseFileException.Reason;
import org.licensing.core.key.LicenseKey;

class LicenseFilesTest {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final Instant IN_TERM = Instant.parse("2025-06-01T00:00:00Z");

    static SigningKeys keys;
    static JWKSet publicKeys;

    @BeforeAll
    static void keys() {
        keys = SigningKeys.generate("test-2025");
        publicKeys = keys.publicJwkSet();
    }

    private static Reason reasonOf(String jws, JWKSet set) {
        return assertThrows(LicenseFileException.class,
                () -> LicenseFiles.verify(jws, set, IN_TERM, Duration.ZERO)).reason();
    }

    @Test
    void signAndVerifyRoundTrip() throws Exception {
        LicenseDocument doc = Fixtures.document();
        String jws = LicenseFiles.sign(doc, Fixtures.ISSUER, keys);
        JWSHeader h = JWSObject.parse(jws).getHeader();
        assertEquals(JWSAlgorithm.EdDSA, h.getAlgorithm());
        assertEquals("test-2025", h.getKeyID());
        assertEquals(new JOSEObjectType("license+jwt"), h.getType());
        VerifiedLicense v = LicenseFiles.verify(jws, publicKeys, IN_TERM, Duration.ofMinutes(5));
        assertEquals(doc, v.document());
        assertEquals(LicenseValidity.VALID, v.status());
        assertEquals(Duration.ZERO, v.graceRemaining());
        assertEquals("test-2025", v.kid());
        // public keys from their JSON, as a product would load /.well-known/jwks.json
        assertEquals(doc, LicenseFiles.verify(jws, JWKSet.parse(keys.publicJwkSetJson()), Fixtures.ISSUER, IN_TERM,
                null).document());
        assertEquals(Reason.WRONG_ISSUER, assertThrows(LicenseFileException.class,
                () -> LicenseFiles.verify(jws, publicKeys, "https://evil.test", IN_TERM, Duration.ZERO)).reason());
    }

    @Test
    void changingAnyCharacterOfTheJwsFails() {
        String jws = LicenseFiles.sign(Fixtures.document(), Fixtures.ISSUER, keys);
        int rejected = 0;
        for (int i = 0; i < jws.length(); i++) {
            char c = jws.charAt(i);
            // another base64url character, the neighbouring one in the alphabet, and a non-alphabet character
            char other = c == '.' ? 'A' : ALPHABET.charAt((ALPHABET.indexOf(c) + 32) % 64);
            char next = c == '.' ? '-' : ALPHABET.charAt((ALPHABET.indexOf(c) + 1) % 64);
            for (char r : new char[] {other, next, '*', '.'}) {
                if (r == c) {
                    continue;
                }
                String tampered = jws.substring(0, i) + r + jws.substring(i + 1);
                Reason reason = reasonOf(tampered, publicKeys);
                assertNotEquals(null, reason);
                rejected++;
            }
            // and deleting it
            reasonOf(jws.substring(0, i) + jws.substring(i + 1), publicKeys);
        }
        assertTrue(rejected > jws.length() * 3);
    }

    @Test
    void flippingAnyBitOfTheDecodedSignatureOrPayloadFails() {
        String jws = LicenseFiles.sign(Fixtures.document(), Fixtures.ISSUER, keys);
        String[] p = jws.split("\\.");
        for (int part = 1; part <= 2; part++) {
            byte[] raw = Base64URL.from(p[part]).decode();
            for (int i = 0; i < raw.length; i++) {
                for (int bit = 0; bit < 8; bit += 3) {
                    raw[i] ^= (byte) (1 << bit);
                    String[] q = p.clone();
                    q[part] = Base64URL.encode(raw).toString();
                    Reason r = reasonOf(String.join(".", q), publicKeys);
                    assertTrue(r == Reason.BAD_SIGNATURE || r == Reason.MALFORMED, r::toString);
                    raw[i] ^= (byte) (1 << bit);
                }
            }
        }
    }

    @Test
    void unknownKeysAndOtherAlgorithmsFail() throws Exception {
        LicenseDocument doc = Fixtures.document();
        String jws = LicenseFiles.sign(doc, Fixtures.ISSUER, keys);
        // a key set without that kid
        assertEquals(Reason.UNKNOWN_KEY, reasonOf(jws, SigningKeys.generate("other").publicJwkSet()));
        assertEquals(Reason.UNKNOWN_KEY, reasonOf(jws, new JWKSet()));
        // signed by another key under the same kid
        String forged = LicenseFiles.sign(doc, Fixtures.ISSUER, SigningKeys.generate("test-2025"));
        assertEquals(Reason.BAD_SIGNATURE, reasonOf(forged, publicKeys));
        // header kid rewritten to a kid that is unknown
        String[] p = jws.split("\\.");
        String otherKid = Base64URL.encode("{\"kid\":\"nope\",\"typ\":\"license+jwt\",\"alg\":\"EdDSA\"}") + "."
                + p[1] + "." + p[2];
        assertEquals(Reason.UNKNOWN_KEY, reasonOf(otherKid, publicKeys));

        JWTClaimsSet claims = doc.toClaims(Fixtures.ISSUER);
        // alg none
        String none = new PlainObject(new PlainHeader.Builder().type(new JOSEObjectType("license+jwt")).build(),
                new Payload(claims.toJSONObject())).serialize();
        assertEquals(Reason.UNSUPPORTED_ALGORITHM, reasonOf(none, publicKeys));
        // HS256 made with nimbus, with the real kid and typ
        JWSObject hs = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("test-2025")
                .type(new JOSEObjectType("license+jwt")).build(), new Payload(claims.toJSONObject()));
        hs.sign(new MACSigner(new byte[32]));
        assertEquals(Reason.UNSUPPORTED_ALGORITHM, reasonOf(hs.serialize(), publicKeys));
        // wrong typ (e.g. a receipt signed by the same key)
        assertEquals(Reason.WRONG_TYPE, reasonOf(keys.sign(claims, "receipt+jwt"), publicKeys));
        // correctly signed, but not a license document
        String notLicense = keys.sign(new JWTClaimsSet.Builder().subject("x").build(), LicenseFiles.TYP);
        assertEquals(Reason.INVALID_CLAIMS, reasonOf(notLicense, publicKeys));
        // garbage
        assertEquals(Reason.MALFORMED, reasonOf("not a jws", publicKeys));
        assertEquals(Reason.MALFORMED, reasonOf(null, publicKeys));
    }

    @Test
    void validityAtFixedClocks() {
        String jws = LicenseFiles.sign(Fixtures.document(UUID.randomUUID().toString(), 14), "i", keys);
        Duration noSkew = Duration.ZERO;
        Duration skew = Duration.ofMinutes(2);
        Instant nbf = Fixtures.NBF;
        Instant exp = Fixtures.EXP;
        Instant graceEnd = exp.plus(Duration.ofDays(14));

        assertEquals(LicenseValidity.NOT_YET_VALID, status(jws, nbf.minusSeconds(1), noSkew));
        assertEquals(LicenseValidity.VALID, status(jws, nbf.minusSeconds(60), skew));
        assertEquals(LicenseValidity.NOT_YET_VALID, status(jws, nbf.minusSeconds(121), skew));
        assertEquals(LicenseValidity.VALID, status(jws, nbf, noSkew));
        assertEquals(LicenseValidity.VALID, status(jws, exp.minusSeconds(1), noSkew));
        assertEquals(LicenseValidity.VALID, status(jws, exp.plusSeconds(60), skew));

        VerifiedLicense atExp = LicenseFiles.verify(jws, publicKeys, exp, noSkew);
        assertEquals(LicenseValidity.EXPIRED_IN_GRACE, atExp.status());
        assertEquals(Duration.ofDays(14), atExp.graceRemaining());
        assertTrue(atExp.status().usable());

        VerifiedLicense midGrace = LicenseFiles.verify(jws, publicKeys, exp.plus(Duration.ofDays(10)), noSkew);
        assertEquals(LicenseValidity.EXPIRED_IN_GRACE, midGrace.status());
        assertEquals(Duration.ofDays(4), midGrace.graceRemaining());

        assertEquals(LicenseValidity.EXPIRED, status(jws, graceEnd, noSkew));
        assertEquals(LicenseValidity.EXPIRED_IN_GRACE, status(jws, graceEnd.plusSeconds(60), skew));
        VerifiedLicense expired = LicenseFiles.verify(jws, publicKeys, graceEnd.plusSeconds(1), noSkew);
        assertEquals(LicenseValidity.EXPIRED, expired.status());
        assertEquals(Duration.ZERO, expired.graceRemaining());
        assertFalse(expired.status().usable());

        String noGrace = LicenseFiles.sign(Fixtures.document(UUID.randomUUID().toString(), 0), "i", keys);
        assertEquals(LicenseValidity.EXPIRED, status(noGrace, exp, noSkew));
        assertEquals(LicenseValidity.VALID, status(noGrace, exp.minusMillis(1), noSkew));

        assertThrows(IllegalArgumentException.class,
                () -> LicenseFiles.verify(jws, publicKeys, exp, Duration.ofSeconds(-1)));
    }

    private static LicenseValidity status(String jws, Instant now, Duration skew) {
        return LicenseFiles.verify(jws, publicKeys, now, skew).status();
    }

    @Test
    void rotationEitherLiveKeyVerifies() {
        SigningKeys old = SigningKeys.generate("2024");
        SigningKeys current = SigningKeys.generate("2025").plus(old);
        LicenseDocument doc = Fixtures.document();
        String byOld = LicenseFiles.sign(doc, "i", old);
        String byCurrent = LicenseFiles.sign(doc, "i", current);
        JWKSet live = current.publicJwkSet();
        assertEquals("2024", LicenseFiles.verify(byOld, live, IN_TERM, Duration.ZERO).kid());
        assertEquals("2025", LicenseFiles.verify(byCurrent, live, IN_TERM, Duration.ZERO).kid());
        assertEquals(Reason.UNKNOWN_KEY, reasonOf(byOld, current.without("2024").publicJwkSet()));
        assertEquals(Reason.UNKNOWN_KEY, reasonOf(byCurrent, old.publicJwkSet()));
    }

    @Test
    void encryptionRoundTrip() throws Exception {
        LicenseKey key = LicenseKey.generate(UUID.randomUUID());
        LicenseDocument doc = Fixtures.document(key.licenseId().toString(), 14);
        String jws = LicenseFiles.sign(doc, Fixtures.ISSUER, keys);
        String jwe = LicenseFiles.encryptFor(jws, key);
        JWEHeader h = JWEObject.parse(jwe).getHeader();
        assertEquals("dir", h.getAlgorithm().getName());
        assertEquals("A256GCM", h.getEncryptionMethod().getName());
        assertEquals("JWT", h.getContentType());
        assertEquals(key.licenseId().toString(), h.getKeyID());
        assertFalse(jwe.contains(jws.split("\\.")[1].substring(0, 20)));
        assertNotEquals(jwe, LicenseFiles.encryptFor(jws, key), "random IV");

        assertEquals(jws, LicenseFiles.decrypt(jwe, key));
        assertEquals(jws, LicenseFiles.decrypt(jwe, LicenseKey.parse(key.text().toLowerCase())));
        assertEquals(doc, LicenseFiles.verify(LicenseFiles.decrypt(jwe, key), publicKeys, IN_TERM, null).document());
        assertEquals(32, LicenseFiles.contentKey(key).length);
    }

    @Test
    void wrongKeyOrTamperedJweFails() {
        LicenseKey key = LicenseKey.generate(UUID.randomUUID());
        String jws = LicenseFiles.sign(Fixtures.document(key.licenseId().toString(), 0), "i", keys);
        String jwe = LicenseFiles.encryptFor(jws, key);

        // same license id, other secret (e.g. the key was re-issued)
        LicenseKey sameIdOtherSecret = LicenseKey.generate(key.licenseId());
        assertEquals(Reason.DECRYPTION_FAILED, assertThrows(LicenseFileException.class,
                () -> LicenseFiles.decrypt(jwe, sameIdOtherSecret)).reason());
        // another license
        assertEquals(Reason.DECRYPTION_FAILED, assertThrows(LicenseFileException.class,
                () -> LicenseFiles.decrypt(jwe, LicenseKey.generate(UUID.randomUUID()))).reason());

        // every character changed
        for (int i = 0; i < jwe.length(); i++) {
            char c = jwe.charAt(i);
            char other = c == '.' ? 'A' : ALPHABET.charAt((ALPHABET.indexOf(c) + 1) % 64);
            String tampered = jwe.substring(0, i) + other + jwe.substring(i + 1);
            LicenseFileException e = assertThrows(LicenseFileException.class,
                    () -> LicenseFiles.decrypt(tampered, key), () -> "position " + i(tampered, jwe));
            assertNotEquals(null, e.reason());
        }
        assertEquals(Reason.MALFORMED, assertThrows(LicenseFileException.class,
                () -> LicenseFiles.decrypt(jws, key)).reason());
        assertEquals(Reason.MALFORMED, assertThrows(LicenseFileException.class,
                () -> LicenseFiles.decrypt("", key)).reason());
    }

    private static int i(String a, String b) {
        for (int i = 0; i < a.length(); i++) {
            if (a.charAt(i) != b.charAt(i)) {
                return i;
            }
        }
        return -1;
    }
}
