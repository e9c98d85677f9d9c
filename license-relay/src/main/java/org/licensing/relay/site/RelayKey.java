package org.licensing.relay.site;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.JWTClaimsSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.licensing.core.crypto.SigningKeys;

/**
 * The relay's own Ed25519 key: generated on the first start, kept as a private JWK Set in {@code relay-key.jwk}
 * (mode 0600) on the data directory, and certified by the vendor inside the relay checkout. It signs lease answers,
 * usage log records and usage reports.
 */
public final class RelayKey {

    public static final String FILE = "relay-key.jwk";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SigningKeys keys;
    private final OctetKeyPair publicKey;
    private final byte[] seed;
    private final byte[] x;

    private RelayKey(SigningKeys keys) {
        this.keys = keys;
        this.publicKey = (OctetKeyPair) keys.publicJwkSet().getKeys().get(0);
        try {
            OctetKeyPair priv = (OctetKeyPair) JWKSet.parse(keys.privateJwkSetJson()).getKeys().get(0);
            this.seed = priv.getDecodedD();
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
        this.x = publicKey.getDecodedX();
    }

    /** Whether the data directory holds a key. */
    public static boolean exists(Path dataDir) {
        return Files.exists(dataDir.resolve(FILE));
    }

    /** A new key named {@code relay-<yyyymmdd>-<8 hex>}, written 0600 to the data directory. */
    public static RelayKey generate(Path dataDir) throws IOException {
        byte[] tag = new byte[4];
        RANDOM.nextBytes(tag);
        String kid = "relay-" + LocalDate.now(ZoneOffset.UTC).toString().replace("-", "") + "-"
                + HexFormat.of().formatHex(tag);
        SigningKeys keys = SigningKeys.generate(kid);
        AtomicFiles.write(dataDir.resolve(FILE), keys.privateJwkSetJson().getBytes(StandardCharsets.UTF_8), true);
        return new RelayKey(keys);
    }

    /**
     * The key on the data directory.
     *
     * @throws IOException when it cannot be read, or others than the owner may read it
     */
    public static RelayKey load(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (!AtomicFiles.ownerOnly(file)) {
            throw new IOException(file + " may be read by others than its owner: chmod 600 it");
        }
        String json = Files.readString(file, StandardCharsets.UTF_8);
        JWKSet set;
        try {
            set = JWKSet.parse(json);
        } catch (ParseException e) {
            throw new IOException(file + " is not a JWK Set: " + e.getMessage(), e);
        }
        if (set.getKeys().size() != 1) {
            throw new IOException(file + " must hold exactly one key");
        }
        try {
            return new RelayKey(SigningKeys.fromJwkSet(set.getKeys().get(0).getKeyID(), json));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    public String kid() {
        return keys.activeKid();
    }

    /** The public JWK ({@code kty OKP, crv Ed25519, kid, x}): what the checkout request carries. */
    public OctetKeyPair publicJwk() {
        return publicKey;
    }

    public JWKSet publicJwkSet() {
        return new JWKSet(publicKey);
    }

    /** The raw 32-byte public key. */
    public byte[] x() {
        return x.clone();
    }

    /** Whether {@code certified} (the checkout's {@code relay_key}) is this key: same kid and same public key. */
    public boolean is(OctetKeyPair certified) {
        return certified != null && kid().equals(certified.getKeyID())
                && java.security.MessageDigest.isEqual(x, certified.getDecodedX());
    }

    /** A compact JWS of {@code claims}, {@code typ} as given, signed with this key. */
    public String sign(JWTClaimsSet claims, String typ) {
        return keys.sign(claims, typ);
    }

    /** A raw Ed25519 signature (RFC 8032) of {@code message}: the usage log's record signatures. */
    public byte[] signRaw(byte[] message) {
        byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(seed, 0, message, 0, message.length, sig, 0);
        return sig;
    }

    /** Whether {@code sig} is this key's signature of {@code message}. */
    public boolean verifyRaw(byte[] message, byte[] sig) {
        return sig.length == Ed25519.SIGNATURE_SIZE && Ed25519.verify(sig, 0, x, 0, message, 0, message.length);
    }

    @Override
    public String toString() {
        return "RelayKey[" + kid() + "]";
    }
}
