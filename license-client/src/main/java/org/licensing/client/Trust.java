package org.licensing.client;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.JWTClaimsSet;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.licensing.core.crypto.JwsVerificationException;
import org.licensing.core.crypto.JwsVerifier;

/**
 * The keys the client believes: the vendor's pinned JWK Set, plus the keys of a signed key set
 * ({@code typ jwk-set+jwt}) that a <em>pinned</em> key signed. Signatures are checked by license-core's
 * {@link JwsVerifier} (EdDSA only, key by {@code kid}, canonical base64url, no {@code crit}, expected {@code typ}).
 * Thread-safe.
 */
final class Trust {

    /** {@code typ} of a signed key set. */
    static final String KEY_SET_TYP = "jwk-set+jwt";

    private final JWKSet pinned;
    private volatile JWKSet receiptKeys;
    private volatile Instant keySetIssuedAt;
    private volatile Instant keySetExpires; // null: no exp
    private volatile int generation; // changes whenever the receipt keys change

    private Trust(JWKSet pinned) {
        this.pinned = pinned;
        this.receiptKeys = pinned;
    }

    /**
     * Trust built from the pinned JWK Set JSON: public Ed25519 ({@code OKP}) keys, each with a distinct {@code kid}.
     *
     * @throws LicenseClientException when it is not such a set (including any private key material)
     */
    static Trust pinned(String jwkSetJson) {
        if (jwkSetJson == null || jwkSetJson.isBlank()) {
            throw new LicenseClientException("The pinned JWK Set is empty");
        }
        JWKSet set;
        try {
            set = JWKSet.parse(jwkSetJson);
        } catch (ParseException e) {
            throw new LicenseClientException("The pinned keys are not a JWK Set: " + e.getMessage(), e);
        }
        List<JWK> keys = publicEd25519(set, true);
        if (keys.isEmpty()) {
            throw new LicenseClientException("The pinned JWK Set holds no key");
        }
        return new Trust(new JWKSet(keys));
    }

    /** Kids of the keys that may sign receipts at {@code now}, pinned first. */
    Set<String> kids(Instant now) {
        Set<String> kids = new LinkedHashSet<>();
        receiptKeys(now).getKeys().forEach(k -> kids.add(k.getKeyID()));
        return Collections.unmodifiableSet(kids);
    }

    /**
     * Identifies the receipt keys in force at {@code now}: a verification remembered under another value must be
     * done again (a set was accepted, or its {@code exp} passed).
     */
    long keysVersion(Instant now) {
        Instant exp = keySetExpires;
        return exp != null && !now.isBefore(exp) ? -1 : generation;
    }

    /** Whether a signed key set was accepted (the client then refreshes it now and then). */
    boolean hasKeySet() {
        return keySetIssuedAt != null;
    }

    /** A receipt: pinned keys, and the keys of an accepted signed key set until that set's {@code exp}. */
    JwsVerifier.Verified verifyReceipt(String compact, String typ, Instant now) throws Untrusted {
        return verify(compact, receiptKeys(now), typ);
    }

    private JWKSet receiptKeys(Instant now) {
        Instant exp = keySetExpires;
        return exp != null && !now.isBefore(exp) ? pinned : receiptKeys;
    }

    /** The pinned keys (license files and checkouts verify with these only). */
    JWKSet pinnedKeys() {
        return pinned;
    }

    /** A license file or a key set: pinned keys only. */
    JwsVerifier.Verified verifyPinned(String compact, String typ) throws Untrusted {
        return verify(compact, pinned, typ);
    }

    /**
     * Accepts a signed key set: a compact JWS, {@code typ jwk-set+jwt}, signed by a pinned key, claims {@code iat},
     * optional {@code exp} and {@code keys} (public Ed25519 JWKs). It must not be older than the one already
     * accepted, nor expired at {@code now}. A kid that is pinned keeps its pinned key.
     *
     * @return whether the set was accepted (false when it is the one already accepted, or older)
     * @throws Untrusted when it does not verify or is malformed or expired
     */
    boolean acceptKeySet(String jws, Instant now) throws Untrusted {
        JWTClaimsSet claims = verifyPinned(jws, KEY_SET_TYP).claims();
        Date iat = claims.getIssueTime();
        if (iat == null) {
            throw new Untrusted("Signed key set has no iat");
        }
        Date exp = claims.getExpirationTime();
        if (exp != null && !now.isBefore(exp.toInstant())) {
            throw new Untrusted("Signed key set expired at " + exp.toInstant());
        }
        Object keys = claims.getClaim("keys");
        if (!(keys instanceof List<?>)) {
            throw new Untrusted("Signed key set has no keys array");
        }
        JWKSet set;
        try {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("keys", keys);
            set = JWKSet.parse(json);
        } catch (ParseException | RuntimeException e) {
            throw new Untrusted("Signed key set keys are not JWKs: " + e.getMessage());
        }
        List<JWK> fetched;
        try {
            fetched = publicEd25519(set, false);
        } catch (LicenseClientException e) {
            throw new Untrusted("Signed key set: " + e.getMessage());
        }
        synchronized (this) {
            Instant issued = iat.toInstant();
            if (keySetIssuedAt != null && !issued.isAfter(keySetIssuedAt)) {
                return false;
            }
            List<JWK> merged = new ArrayList<>(pinned.getKeys());
            for (JWK k : fetched) {
                if (pinned.getKeyByKeyId(k.getKeyID()) == null) {
                    merged.add(k);
                }
            }
            receiptKeys = new JWKSet(merged);
            keySetIssuedAt = issued;
            keySetExpires = exp == null ? null : exp.toInstant();
            generation++;
            return true;
        }
    }

    private static JwsVerifier.Verified verify(String compact, JWKSet keys, String typ) throws Untrusted {
        if (compact == null || compact.isBlank()) {
            throw new Untrusted("empty");
        }
        JwsVerifier.Verified verified;
        try {
            verified = JwsVerifier.verify(compact, keys, typ);
        } catch (JwsVerificationException e) {
            throw new Untrusted(e.reason() + ": " + e.getMessage(),
                    e.reason() == JwsVerificationException.Reason.UNKNOWN_KEY, e);
        } catch (RuntimeException e) {
            throw new Untrusted("not a verifiable JWS: " + e.getMessage(), false, e);
        }
        return verified;
    }

    /** The keys of {@code set} as public JWKs; every key must be an Ed25519 signature key with a unique kid. */
    private static List<JWK> publicEd25519(JWKSet set, boolean refusePrivate) {
        List<JWK> out = new ArrayList<>();
        Set<String> kids = new LinkedHashSet<>();
        for (JWK jwk : set.getKeys()) {
            if (!(jwk instanceof OctetKeyPair okp) || !Curve.Ed25519.equals(okp.getCurve())) {
                throw new LicenseClientException("Key " + jwk.getKeyID() + " is not an Ed25519 (OKP) key");
            }
            if (okp.getKeyID() == null || okp.getKeyID().isBlank()) {
                throw new LicenseClientException("A key has no kid");
            }
            if (okp.isPrivate() && refusePrivate) {
                throw new LicenseClientException("Key " + okp.getKeyID()
                        + " holds private key material: pin only the public JWK Set (never ship a private key)");
            }
            if ((okp.getAlgorithm() != null && !JWSAlgorithm.EdDSA.equals(okp.getAlgorithm()))
                    || (okp.getKeyUse() != null && !KeyUse.SIGNATURE.equals(okp.getKeyUse()))) {
                throw new LicenseClientException("Key " + okp.getKeyID() + " is not an EdDSA signature key");
            }
            if (!kids.add(okp.getKeyID())) {
                throw new LicenseClientException("Duplicate kid " + okp.getKeyID());
            }
            out.add(okp.toPublicJWK());
        }
        return out;
    }

}
