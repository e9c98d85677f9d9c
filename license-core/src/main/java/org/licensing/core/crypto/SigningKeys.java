package org.licensing.core.crypto;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Ed25519 signing keys identified by {@code kid}; one is active for signing, all are published for verification
 * (rotation: add the new key, make it active, keep the old one live until everything it signed has expired).
 * Immutable and thread-safe.
 *
 * <p>Signing uses one prepared, thread-safe signer for the active key ({@link Ed25519JwsSigner}, BouncyCastle's
 * Ed25519, the fastest measured), built when the instance is. BouncyCastle is an optional dependency of
 * license-core: a service that signs declares it; a product that only verifies ({@link JwsVerifier}, the JDK's
 * Ed25519) does not need it.
 *
 * <p>Keys come from PEM (PKCS#8, as {@code openssl genpkey -algorithm ed25519} writes) or a private JWK Set, from
 * config/env/files; {@link #generate(String)} is for tests and local runs only.
 */
public final class SigningKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern KID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern PEM_BODY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    /** DER prefix of a PKCS#8 v1 Ed25519 private key; the 32-byte seed follows. */
    private static final byte[] PKCS8_ED25519_PREFIX = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b,
        0x65, 0x70, 0x04, 0x22, 0x04, 0x20};

    private final String activeKid;
    private final Map<String, OctetKeyPair> keys; // insertion order, active first
    private final Ed25519JwsSigner activeSigner; // only the active key signs

    private SigningKeys(String activeKid, Map<String, OctetKeyPair> keys) {
        if (!keys.containsKey(activeKid)) {
            throw new IllegalArgumentException("Active kid \"" + activeKid + "\" is not among the keys " + keys.keySet());
        }
        Map<String, OctetKeyPair> ordered = new LinkedHashMap<>();
        ordered.put(activeKid, keys.get(activeKid));
        ordered.putAll(keys);
        this.activeKid = activeKid;
        this.keys = Collections.unmodifiableMap(ordered);
        this.activeSigner = new Ed25519JwsSigner(ordered.get(activeKid));
    }

    /** A fresh random key pair named {@code kid} (tests and local runs). */
    public static SigningKeys generate(String kid) {
        checkKid(kid);
        byte[] seed = new byte[32];
        RANDOM.nextBytes(seed);
        return new SigningKeys(kid, Map.of(kid, fromSeed(kid, seed)));
    }

    /**
     * Keys from PEM PKCS#8 Ed25519 private keys ({@code -----BEGIN PRIVATE KEY-----}) by kid.
     *
     * @throws IllegalArgumentException when a PEM is not an Ed25519 private key or {@code activeKid} is missing
     */
    public static SigningKeys fromPem(String activeKid, Map<String, String> pkcs8PemByKid) {
        Objects.requireNonNull(pkcs8PemByKid, "pkcs8PemByKid");
        Map<String, OctetKeyPair> keys = new LinkedHashMap<>();
        new TreeMap<>(pkcs8PemByKid).forEach((kid, pem) -> keys.put(kid, fromSeed(kid, seedFromPem(kid, pem))));
        checkKid(activeKid);
        return new SigningKeys(activeKid, keys);
    }

    /**
     * Keys from a directory holding one {@code <kid>.pem} file per key (PKCS#8 Ed25519).
     *
     * @throws UncheckedIOException when the directory cannot be read
     */
    public static SigningKeys fromPemDirectory(String activeKid, Path directory) {
        try {
            return fromPem(activeKid, readPemDirectory(directory));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read signing keys from " + directory, e);
        }
    }

    /**
     * The PEM text of each {@code <kid>.pem} regular file in {@code directory}, by kid; other entries (such as the
     * {@code ..data} links Kubernetes puts in a mounted secret) are ignored.
     */
    public static Map<String, String> readPemDirectory(Path directory) throws IOException {
        Map<String, String> pems = new TreeMap<>();
        try (var files = Files.list(directory)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (name.endsWith(".pem") && Files.isRegularFile(p)) {
                    pems.put(name.substring(0, name.length() - 4), Files.readString(p, StandardCharsets.US_ASCII));
                }
            }
        }
        return pems;
    }

    /**
     * Keys from a JWK Set JSON of private Ed25519 {@code OKP} keys, each with a {@code kid}.
     *
     * @throws IllegalArgumentException when the JSON is not such a set or {@code activeKid} is missing
     */
    public static SigningKeys fromJwkSet(String activeKid, String privateJwkSetJson) {
        JWKSet set;
        try {
            set = JWKSet.parse(Objects.requireNonNull(privateJwkSetJson, "privateJwkSetJson"));
        } catch (ParseException e) {
            throw new IllegalArgumentException("Not a JWK Set: " + e.getMessage(), e);
        }
        Map<String, OctetKeyPair> keys = new LinkedHashMap<>();
        for (JWK jwk : set.getKeys()) {
            if (!(jwk instanceof OctetKeyPair okp) || !Curve.Ed25519.equals(okp.getCurve()) || !okp.isPrivate()) {
                throw new IllegalArgumentException("JWK " + jwk.getKeyID() + " is not a private Ed25519 OKP key");
            }
            checkKid(okp.getKeyID());
            if (keys.containsKey(okp.getKeyID())) {
                throw new IllegalArgumentException("Duplicate kid " + okp.getKeyID());
            }
            // Re-derive the public part from the private seed: never trust an x that may not match d.
            keys.put(okp.getKeyID(), fromSeed(okp.getKeyID(), okp.getDecodedD()));
        }
        checkKid(activeKid);
        return new SigningKeys(activeKid, keys);
    }

    /** These keys plus {@code other}'s (this one's active kid stays active). The same kid twice must be the same key. */
    public SigningKeys plus(SigningKeys other) {
        Map<String, OctetKeyPair> merged = new LinkedHashMap<>(keys);
        other.keys.forEach((kid, k) -> {
            OctetKeyPair mine = merged.putIfAbsent(kid, k);
            if (mine != null && !mine.equals(k)) {
                throw new IllegalArgumentException("kid \"" + kid + "\" names two different keys");
            }
        });
        return new SigningKeys(activeKid, merged);
    }

    /** The same keys with {@code kid} active. */
    public SigningKeys withActive(String kid) {
        return new SigningKeys(kid, keys);
    }

    /** The same keys without {@code kid} (retire a key); the active key cannot be removed. */
    public SigningKeys without(String kid) {
        if (activeKid.equals(kid)) {
            throw new IllegalArgumentException("Cannot remove the active key " + kid);
        }
        Map<String, OctetKeyPair> rest = new LinkedHashMap<>(keys);
        rest.remove(kid);
        return new SigningKeys(activeKid, rest);
    }

    public String activeKid() {
        return activeKid;
    }

    /** All live kids, active first. */
    public Set<String> kids() {
        return keys.keySet();
    }

    /** Public keys only ({@code kty OKP, crv Ed25519, use sig, alg EdDSA, kid, x}), active first. */
    public JWKSet publicJwkSet() {
        List<JWK> pub = new ArrayList<>();
        keys.values().forEach(k -> pub.add(k.toPublicJWK()));
        return new JWKSet(pub);
    }

    /** {@link #publicJwkSet()} as JSON, what {@code /.well-known/jwks.json} serves. */
    public String publicJwkSetJson() {
        return publicJwkSet().toString(true);
    }

    /** The private keys as a JWK Set JSON (input of {@link #fromJwkSet}); secret material: never log it. */
    public String privateJwkSetJson() {
        return new JWKSet(new ArrayList<>(keys.values())).toString(false);
    }

    /** The private key {@code kid} as PEM PKCS#8 (input of {@link #fromPem}); secret material: never log it. */
    public String privatePem(String kid) {
        OctetKeyPair k = keys.get(kid);
        if (k == null) {
            throw new IllegalArgumentException("No key " + kid);
        }
        byte[] seed = k.getDecodedD();
        byte[] der = new byte[PKCS8_ED25519_PREFIX.length + seed.length];
        System.arraycopy(PKCS8_ED25519_PREFIX, 0, der, 0, PKCS8_ED25519_PREFIX.length);
        System.arraycopy(seed, 0, der, PKCS8_ED25519_PREFIX.length, seed.length);
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n";
    }

    /**
     * Signs {@code claims} with the active key: compact JWS, protected header {@code alg EdDSA}, {@code kid},
     * {@code typ} (when not null). Thread-safe; the signer is prepared once per instance (no per-call key setup).
     */
    public String sign(JWTClaimsSet claims, String typ) {
        Objects.requireNonNull(claims, "claims");
        JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(activeKid);
        if (typ != null) {
            header.type(new JOSEObjectType(typ));
        }
        SignedJWT jwt = new SignedJWT(header.build(), claims);
        try {
            jwt.sign(activeSigner);
        } catch (JOSEException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
        return jwt.serialize();
    }

    @Override
    public String toString() {
        return "SigningKeys[active=" + activeKid + ", kids=" + keys.keySet() + "]";
    }

    // --- helpers ---

    private static void checkKid(String kid) {
        if (kid == null || !KID.matcher(kid).matches()) {
            throw new IllegalArgumentException("kid must be 1-64 characters of A-Z a-z 0-9 . _ : -");
        }
    }

    private static OctetKeyPair fromSeed(String kid, byte[] seed) {
        checkKid(kid);
        if (seed == null || seed.length != 32) {
            throw new IllegalArgumentException("Ed25519 private key " + kid + " must be a 32-byte seed");
        }
        return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(Ed25519JwsSigner.publicKeyOf(seed)))
                .d(Base64URL.encode(seed))
                .keyID(kid)
                .keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.EdDSA)
                .build();
    }

    private static byte[] seedFromPem(String kid, String pem) {
        if (pem == null) {
            throw new IllegalArgumentException("PEM for " + kid + " is null");
        }
        var m = PEM_BODY.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException(
                    "Key " + kid + " is not a PEM PKCS#8 private key (-----BEGIN PRIVATE KEY-----)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Key " + kid + ": PEM body is not base64", e);
        }
        try {
            var pk = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
            if (!(pk instanceof EdECPrivateKey ed) || !"Ed25519".equalsIgnoreCase(ed.getParams().getName())) {
                throw new IllegalArgumentException("Key " + kid + " is not an Ed25519 private key");
            }
            return ed.getBytes().orElseThrow(() -> new IllegalArgumentException("Key " + kid + " has no seed"));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("Key " + kid + " is not an Ed25519 PKCS#8 private key", e);
        }
    }
}
