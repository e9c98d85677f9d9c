package org.licensing.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.PlainObject;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {

    private static final JWTClaimsSet CLAIMS = new JWTClaimsSet.Builder().subject("s").claim("n", 1).build();

    /** RFC 8032 section 7.1 test 1: public seed and key, not a secret. */
    private static final String RFC8032_SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    private static final String RFC8032_PUB = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

    private static String pem(byte[] der) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END PRIVATE KEY-----\n";
    }

    private static JwsVerificationException.Reason reasonOf(String jws, JWKSet keys) {
        return assertThrows(JwsVerificationException.class, () -> JwsVerifier.verify(jws, keys)).reason();
    }

    @Test
    void generatedKeysSignAndVerify() {
        SigningKeys keys = SigningKeys.generate("k1");
        assertEquals("k1", keys.activeKid());
        String jws = keys.sign(CLAIMS, "test+jwt");
        JwsVerifier.Verified v = JwsVerifier.verify(jws, keys.publicJwkSet(), "test+jwt");
        assertEquals("s", v.claims().getSubject());
        assertEquals("k1", v.kid());
        assertEquals(JWSAlgorithm.EdDSA, v.header().getAlgorithm());
        assertEquals(new JOSEObjectType("test+jwt"), v.header().getType());
        assertEquals(JwsVerificationException.Reason.WRONG_TYPE, assertThrows(JwsVerificationException.class,
                () -> JwsVerifier.verify(jws, keys.publicJwkSet(), "other+jwt")).reason());
        String untyped = keys.sign(CLAIMS, null);
        assertEquals(JwsVerificationException.Reason.WRONG_TYPE, assertThrows(JwsVerificationException.class,
                () -> JwsVerifier.verify(untyped, keys.publicJwkSet(), "test+jwt")).reason());
    }

    @Test
    void signatureIsByteForByteNimbusTinks() throws Exception {
        // Ed25519 is deterministic: the prepared BouncyCastle signer must give exactly nimbus's own (Tink) JWS
        SigningKeys keys = SigningKeys.generate("k").plus(SigningKeys.generate("old"));
        OctetKeyPair okp = (OctetKeyPair) JWKSet.parse(keys.privateJwkSetJson()).getKeyByKeyId("k");
        for (String typ : new String[] {"test+jwt", null}) {
            JWTClaimsSet claims = new JWTClaimsSet.Builder(CLAIMS).claim("nonce", "n-" + typ).build();
            JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID("k");
            if (typ != null) {
                header.type(new JOSEObjectType(typ));
            }
            SignedJWT reference = new SignedJWT(header.build(), claims);
            reference.sign(new Ed25519Signer(okp));
            assertEquals(reference.serialize(), keys.sign(claims, typ));
        }
        // and for the published RFC 8032 key
        byte[] der = HexFormat.of().parseHex("302e020100300506032b657004220420" + RFC8032_SEED);
        SigningKeys rfc = SigningKeys.fromPem("rfc", Map.of("rfc", pem(der)));
        SignedJWT reference = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID("rfc").build(), CLAIMS);
        reference.sign(new Ed25519Signer((OctetKeyPair) JWKSet.parse(rfc.privateJwkSetJson()).getKeyByKeyId("rfc")));
        assertEquals(reference.serialize(), rfc.sign(CLAIMS, null));
    }

    @Test
    void concurrentSigningGivesTheSequentialResults() throws Exception {
        SigningKeys keys = SigningKeys.generate("k");
        int threads = 4;
        int perThread = 150;
        String[] expected = new String[threads * perThread];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = keys.sign(new JWTClaimsSet.Builder(CLAIMS).claim("i", i).build(), "test+jwt");
        }
        String[] actual = new String[expected.length];
        var pool = Executors.newFixedThreadPool(threads);
        try {
            var start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t * perThread;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = first; i < first + perThread; i++) {
                        actual[i] = keys.sign(new JWTClaimsSet.Builder(CLAIMS).claim("i", i).build(), "test+jwt");
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertArrayEquals(expected, actual);
        JWKSet pub = keys.publicJwkSet();
        for (int i = 0; i < actual.length; i += 37) {
            assertEquals(Long.valueOf(i), JwsVerifier.verify(actual[i], pub, "test+jwt").claims().getLongClaim("i"));
        }
    }

    @Test
    void preparedSignerRefusesAMismatchedPublicPartAndOtherAlgorithms() throws Exception {
        OctetKeyPair a = (OctetKeyPair) JWKSet.parse(SigningKeys.generate("a").privateJwkSetJson()).getKeyByKeyId("a");
        OctetKeyPair b = (OctetKeyPair) JWKSet.parse(SigningKeys.generate("b").privateJwkSetJson()).getKeyByKeyId("b");
        OctetKeyPair mixed = new OctetKeyPair.Builder(Curve.Ed25519, b.getX()).d(a.getD()).keyID("a").build();
        assertThrows(IllegalArgumentException.class, () -> new Ed25519JwsSigner(mixed));
        assertThrows(IllegalArgumentException.class, () -> new Ed25519JwsSigner(a.toPublicJWK()));
        Ed25519JwsSigner signer = new Ed25519JwsSigner(a);
        assertEquals(java.util.Set.of(JWSAlgorithm.EdDSA), signer.supportedJWSAlgorithms());
        assertThrows(com.nimbusds.jose.JOSEException.class,
                () -> signer.sign(new JWSHeader(JWSAlgorithm.ES256), new byte[] {1}));
    }

    @Test
    void publicJwkSetHasOnlyPublicParts() throws Exception {
        SigningKeys keys = SigningKeys.generate("a").plus(SigningKeys.generate("b"));
        String json = keys.publicJwkSetJson();
        Map<String, Object> parsed = JSONObjectUtils.parse(json);
        List<Object> list = JSONObjectUtils.getJSONArray(parsed, "keys");
        assertEquals(2, list.size());
        for (Object o : list) {
            @SuppressWarnings("unchecked")
            Map<String, Object> k = (Map<String, Object>) o;
            assertEquals("OKP", k.get("kty"));
            assertEquals("Ed25519", k.get("crv"));
            assertEquals("sig", k.get("use"));
            assertEquals("EdDSA", k.get("alg"));
            assertTrue(k.containsKey("kid"));
            assertTrue(k.containsKey("x"));
            assertFalse(k.containsKey("d"), json);
        }
        assertFalse(json.contains("\"d\""));
        assertTrue(keys.privateJwkSetJson().contains("\"d\""));
        assertFalse(keys.toString().contains(keys.privatePem("a").substring(30, 50)));
    }

    @Test
    void pemRoundTripAndRfc8032Vector() {
        byte[] der = HexFormat.of().parseHex("302e020100300506032b657004220420" + RFC8032_SEED);
        SigningKeys keys = SigningKeys.fromPem("rfc", Map.of("rfc", pem(der)));
        OctetKeyPair pub = (OctetKeyPair) keys.publicJwkSet().getKeyByKeyId("rfc");
        assertEquals(RFC8032_PUB, HexFormat.of().formatHex(pub.getDecodedX()));
        assertEquals(pem(der).replace("\r", ""), keys.privatePem("rfc").replace("\r", "").replace("\n", "\n"),
                "export is the same PKCS#8");

        SigningKeys gen = SigningKeys.generate("g");
        SigningKeys back = SigningKeys.fromPem("g", Map.of("g", gen.privatePem("g")));
        assertEquals(gen.publicJwkSetJson(), back.publicJwkSetJson());
        String jws = back.sign(CLAIMS, null);
        assertEquals("s", JwsVerifier.verify(jws, gen.publicJwkSet()).getSubject());
    }

    @Test
    void pemFromJdkEncodingAndFromDirectory(@TempDir Path dir) throws Exception {
        var kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Files.writeString(dir.resolve("jdk.pem"), pem(kp.getPrivate().getEncoded()));
        Files.writeString(dir.resolve("other.pem"), SigningKeys.generate("other").privatePem("other"));
        Files.writeString(dir.resolve("README.txt"), "not a key");
        SigningKeys keys = SigningKeys.fromPemDirectory("jdk", dir);
        assertEquals("jdk", keys.activeKid());
        assertEquals(List.of("jdk", "other"), List.copyOf(keys.kids()));
        // the JDK's own Ed25519 verifies what we signed: same key pair
        String jws = keys.sign(CLAIMS, null);
        String[] p = jws.split("\\.");
        var sig = java.security.Signature.getInstance("Ed25519");
        sig.initVerify(kp.getPublic());
        sig.update((p[0] + "." + p[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(sig.verify(Base64URL.from(p[2]).decode()));
    }

    @Test
    void opensslGeneratedPem(@TempDir Path dir) throws Exception {
        Path pemFile = dir.resolve("k.pem");
        // The runbook generates signing keys with exactly this command (infra/README.md), so openssl is a prerequisite
        // here: missing, too old for Ed25519 (before 1.1.1) or failing, the test fails and says which.
        Process p;
        try {
            p = new ProcessBuilder("openssl", "genpkey", "-algorithm", "ed25519", "-out", pemFile.toString())
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("openssl is not on PATH (the key-rotation runbook uses `openssl genpkey "
                    + "-algorithm ed25519`): install OpenSSL 1.1.1 or newer", e);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "openssl genpkey did not finish within 60 s");
        int exit = p.exitValue();
        assertEquals(0, exit, () -> "openssl genpkey -algorithm ed25519 failed (exit " + exit
                + "; Ed25519 needs OpenSSL 1.1.1 or newer): " + output);
        SigningKeys keys = SigningKeys.fromPem("o", Map.of("o", Files.readString(pemFile)));
        assertEquals("s", JwsVerifier.verify(keys.sign(CLAIMS, null), keys.publicJwkSet()).getSubject());
    }

    @Test
    void badPemsAreRejected() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> SigningKeys.fromPem("k", Map.of("k", "garbage")));
        assertThrows(IllegalArgumentException.class,
                () -> SigningKeys.fromPem("k", Map.of("k", pem(new byte[] {1, 2, 3}))));
        var ec = KeyPairGenerator.getInstance("EC").generateKeyPair();
        assertThrows(IllegalArgumentException.class,
                () -> SigningKeys.fromPem("k", Map.of("k", pem(ec.getPrivate().getEncoded()))));
        var ed448 = KeyPairGenerator.getInstance("Ed448").generateKeyPair();
        assertThrows(IllegalArgumentException.class,
                () -> SigningKeys.fromPem("k", Map.of("k", pem(ed448.getPrivate().getEncoded()))));
        String good = SigningKeys.generate("k").privatePem("k");
        assertThrows(IllegalArgumentException.class, () -> SigningKeys.fromPem("missing", Map.of("k", good)));
        assertThrows(IllegalArgumentException.class, () -> SigningKeys.fromPem("bad kid!", Map.of("bad kid!", good)));
    }

    @Test
    void jwkSetRoundTripAndRejections() throws Exception {
        SigningKeys keys = SigningKeys.generate("a").plus(SigningKeys.generate("b")).withActive("b");
        SigningKeys back = SigningKeys.fromJwkSet("b", keys.privateJwkSetJson());
        assertEquals(keys.publicJwkSetJson(), back.publicJwkSetJson());
        assertEquals("b", back.activeKid());
        assertThrows(IllegalArgumentException.class, () -> SigningKeys.fromJwkSet("b", keys.publicJwkSetJson()));
        assertThrows(IllegalArgumentException.class, () -> SigningKeys.fromJwkSet("c", keys.privateJwkSetJson()));
        assertThrows(IllegalArgumentException.class, () -> SigningKeys.fromJwkSet("b", "{not json"));
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("e").generate();
        assertThrows(IllegalArgumentException.class,
                () -> SigningKeys.fromJwkSet("e", new JWKSet(ec).toString(false)));
    }

    @Test
    void rotationCombinesAndRetires() throws Exception {
        SigningKeys old = SigningKeys.generate("2024");
        SigningKeys next = SigningKeys.generate("2025");
        String byOld = old.sign(CLAIMS, null);
        SigningKeys both = next.plus(old);
        assertEquals("2025", both.activeKid());
        assertEquals(List.of("2025", "2024"), List.copyOf(both.kids()));
        String byNew = both.sign(CLAIMS, null);
        assertEquals("2025", JWSObject.parse(byNew).getHeader().getKeyID(), "active key signs");
        JWKSet live = both.publicJwkSet();
        JwsVerifier.verify(byOld, live);
        JwsVerifier.verify(byNew, live);
        JWKSet retired = both.without("2024").publicJwkSet();
        assertEquals(JwsVerificationException.Reason.UNKNOWN_KEY, reasonOf(byOld, retired));
        assertThrows(IllegalArgumentException.class, () -> both.without("2025"));
        assertThrows(IllegalArgumentException.class, () -> both.withActive("nope"));
        assertThrows(IllegalArgumentException.class, () -> old.plus(SigningKeys.generate("2024")));
        assertEquals(old.publicJwkSetJson(), old.plus(old).publicJwkSetJson());
    }

    @Test
    void verifierRejectsOtherAlgorithmsKidsAndSignatures() throws Exception {
        SigningKeys keys = SigningKeys.generate("k");
        JWKSet set = keys.publicJwkSet();
        String good = keys.sign(CLAIMS, null);

        // alg none
        String none = new PlainObject(new PlainHeader(), new Payload(CLAIMS.toJSONObject())).serialize();
        assertEquals(JwsVerificationException.Reason.UNSUPPORTED_ALGORITHM, reasonOf(none, set));
        String noneWithKid = Base64URL.encode("{\"alg\":\"none\",\"kid\":\"k\"}") + "." + good.split("\\.")[1] + ".";
        assertEquals(JwsVerificationException.Reason.UNSUPPORTED_ALGORITHM, reasonOf(noneWithKid, set));
        String noneWithSig = Base64URL.encode("{\"alg\":\"none\",\"kid\":\"k\"}") + "." + good.split("\\.")[1] + "."
                + good.split("\\.")[2];
        assertEquals(JwsVerificationException.Reason.UNSUPPORTED_ALGORITHM, reasonOf(noneWithSig, set));

        // HS256, keyed with the public key bytes (algorithm confusion) and kid of the real key
        OctetKeyPair pub = (OctetKeyPair) set.getKeyByKeyId("k");
        byte[] hmacKey = new byte[32];
        System.arraycopy(pub.getDecodedX(), 0, hmacKey, 0, 32);
        JWSObject hs = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k").build(),
                new Payload(CLAIMS.toJSONObject()));
        hs.sign(new MACSigner(hmacKey));
        assertEquals(JwsVerificationException.Reason.UNSUPPORTED_ALGORITHM, reasonOf(hs.serialize(), set));

        // ES256 with its own key in the set under the same kid
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("k").keyUse(KeyUse.SIGNATURE).generate();
        JWSObject es = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k").build(),
                new Payload(CLAIMS.toJSONObject()));
        es.sign(new ECDSASigner(ec));
        assertEquals(JwsVerificationException.Reason.UNSUPPORTED_ALGORITHM,
                reasonOf(es.serialize(), new JWKSet(ec.toPublicJWK())));
        // an EdDSA token whose kid names an EC key
        assertEquals(JwsVerificationException.Reason.UNKNOWN_KEY, reasonOf(good, new JWKSet(ec.toPublicJWK())));

        // unknown / missing kid, other key, bad signature
        assertEquals(JwsVerificationException.Reason.UNKNOWN_KEY,
                reasonOf(good, SigningKeys.generate("x").publicJwkSet()));
        String otherSameKid = SigningKeys.generate("k").sign(CLAIMS, null);
        assertEquals(JwsVerificationException.Reason.BAD_SIGNATURE, reasonOf(otherSameKid, set));
        JWSObject noKid = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.EdDSA).build(),
                new Payload(CLAIMS.toJSONObject()));
        String noKidJws = noKid.getHeader().toBase64URL() + "." + noKid.getPayload().toBase64URL() + "."
                + good.split("\\.")[2];
        assertEquals(JwsVerificationException.Reason.UNKNOWN_KEY, reasonOf(noKidJws, set));

        // crit header
        String crit = Base64URL.encode("{\"alg\":\"EdDSA\",\"kid\":\"k\",\"crit\":[\"exp\"],\"exp\":1}") + "."
                + good.split("\\.")[1] + "." + good.split("\\.")[2];
        assertEquals(JwsVerificationException.Reason.UNSUPPORTED_ALGORITHM, reasonOf(crit, set));

        // structure
        for (String bad : new String[] {"", "a", "a.b", "a.b.c.d", "a.b.c.d.e", good + ".", "." + good,
                good.replace('.', ',')}) {
            assertEquals(JwsVerificationException.Reason.MALFORMED, reasonOf(bad, set), bad);
        }
        assertEquals(JwsVerificationException.Reason.MALFORMED, reasonOf("a".repeat(70_000), set));
        assertEquals(JwsVerificationException.Reason.MALFORMED, reasonOf(null, set));
    }

    @Test
    void nonCanonicalBase64IsRejected() {
        SigningKeys keys = SigningKeys.generate("k");
        String good = keys.sign(CLAIMS, null);
        // a 64-byte signature is 86 base64url characters; the last one carries 2 data bits and 4 unused bits
        String sig = good.split("\\.")[2];
        assertEquals(86, sig.length());
        char last = sig.charAt(85);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int v = alphabet.indexOf(last);
        char sameBits = alphabet.charAt(v ^ 1); // differs only in unused bits
        String malleated = good.substring(0, good.length() - 1) + sameBits;
        assertEquals(JwsVerificationException.Reason.MALFORMED, reasonOf(malleated, keys.publicJwkSet()));
        assertTrue(JwsVerifier.isCanonicalBase64Url(sig));
        assertFalse(JwsVerifier.isCanonicalBase64Url(sig + "="));
        assertFalse(JwsVerifier.isCanonicalBase64Url(sig.substring(0, 85) + sameBits));
        assertNull(null);
    }
}
