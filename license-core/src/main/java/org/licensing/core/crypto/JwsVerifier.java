package org.licensing.core.crypto;

import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import org.licensing.core.json.Json;

/**
 * Verifies compact JWS made by {@link SigningKeys#sign}: only {@code EdDSA} (Ed25519) is accepted, the key is
 * chosen by the {@code kid} header from a given JWK Set (never from the token itself: {@code jwk}, {@code jku} and
 * {@code x5u} headers are ignored), every part must be canonical base64url (no malleable trailing bits, no stray
 * characters), and {@code crit} headers are refused. The signature is checked by the JDK's own Ed25519
 * ({@link java.security.Signature}), so verifying needs nothing beyond nimbus's parsing. Stateless and thread-safe.
 */
public final class JwsVerifier {

    /** Largest compact JWS accepted (characters). */
    public static final int MAX_LENGTH = 64 * 1024;

    private JwsVerifier() {
    }

    /** Verifies the signature and returns the claims; any {@code typ} is accepted. */
    public static JWTClaimsSet verify(String compact, JWKSet keys) throws JwsVerificationException {
        return verify(compact, keys, null).claims();
    }

    /**
     * Verifies the signature and, when {@code expectedTyp} is not null, that the {@code typ} header equals it
     * (case-insensitive, per RFC 7515).
     */
    public static Verified verify(String compact, JWKSet keys, String expectedTyp) throws JwsVerificationException {
        Objects.requireNonNull(keys, "keys");
        JWSObject jws = parse(compact);
        JWSHeader header = jws.getHeader();
        if (expectedTyp != null
                && (header.getType() == null || !expectedTyp.equalsIgnoreCase(header.getType().getType()))) {
            throw new JwsVerificationException(JwsVerificationException.Reason.WRONG_TYPE,
                    "JWS typ is " + (header.getType() == null ? "missing" : "\"" + header.getType() + "\"")
                            + ", expected \"" + expectedTyp + "\"");
        }
        String kid = header.getKeyID();
        if (kid == null) {
            throw new JwsVerificationException(JwsVerificationException.Reason.UNKNOWN_KEY, "JWS has no kid header");
        }
        OctetKeyPair key = findKey(keys, kid);
        boolean ok;
        try {
            ok = Ed25519Signatures.verify(key.getDecodedX(), jws.getSigningInput(), jws.getSignature().decode());
        } catch (RuntimeException e) {
            throw new JwsVerificationException(JwsVerificationException.Reason.BAD_SIGNATURE,
                    "JWS signature check failed: " + e.getMessage(), e);
        }
        if (!ok) {
            throw new JwsVerificationException(JwsVerificationException.Reason.BAD_SIGNATURE,
                    "JWS signature does not match (kid " + kid + ")");
        }
        // The exact payload the signature covers, read by the one strict reader (duplicate members refused, numbers
        // exact): nimbus's reader would take the last of two duplicates and turn 2.5 into a double.
        Map<String, Object> payload;
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(jws.getPayload().toBytes())).toString();
            payload = Collections.unmodifiableMap(Json.parseObject(text));
        } catch (CharacterCodingException | Json.JsonException e) {
            throw new JwsVerificationException(JwsVerificationException.Reason.MALFORMED,
                    "JWS payload is not a strict JSON object: " + e.getMessage(), e);
        }
        try {
            return new Verified(JWTClaimsSet.parse(jws.getPayload().toJSONObject()), header, payload);
        } catch (ParseException | RuntimeException e) {
            throw new JwsVerificationException(JwsVerificationException.Reason.MALFORMED,
                    "JWS payload is not a JWT claims set", e);
        }
    }

    /**
     * Verified claims plus the protected header they came with.
     *
     * @param payload the same claims as read by {@link Json} (numbers as exact {@link java.math.BigDecimal}s):
     *     read signed numbers from here, not from {@code claims}
     */
    public record Verified(JWTClaimsSet claims, JWSHeader header, Map<String, Object> payload) {
        public String kid() {
            return header.getKeyID();
        }
    }

    private static JWSObject parse(String compact) throws JwsVerificationException {
        if (compact == null || compact.isEmpty()) {
            throw malformed("JWS is empty");
        }
        if (compact.length() > MAX_LENGTH) {
            throw malformed("JWS is larger than " + MAX_LENGTH + " characters");
        }
        String s = compact.strip();
        String[] parts = s.split("\\.", -1);
        if (parts.length != 3) {
            throw malformed("Not a compact JWS: expected 3 dot-separated parts, got " + parts.length);
        }
        for (String p : parts) {
            if (!isCanonicalBase64Url(p)) {
                throw malformed("JWS part is not canonical base64url");
            }
        }
        Header generic;
        try {
            generic = Header.parse(new Base64URL(parts[0]));
        } catch (ParseException | RuntimeException e) {
            throw malformed("JWS header is not valid JSON with an alg");
        }
        if (!JWSAlgorithm.EdDSA.equals(generic.getAlgorithm())) {
            throw new JwsVerificationException(JwsVerificationException.Reason.UNSUPPORTED_ALGORITHM,
                    "JWS alg " + generic.getAlgorithm() + " is not accepted; only EdDSA");
        }
        if (generic.getCriticalParams() != null && !generic.getCriticalParams().isEmpty()) {
            throw new JwsVerificationException(JwsVerificationException.Reason.UNSUPPORTED_ALGORITHM,
                    "JWS crit header parameters are not supported: " + generic.getCriticalParams());
        }
        try {
            return JWSObject.parse(s);
        } catch (ParseException | RuntimeException e) {
            throw malformed("Not a compact JWS: " + e.getMessage());
        }
    }

    private static OctetKeyPair findKey(JWKSet keys, String kid) throws JwsVerificationException {
        JWK jwk = keys.getKeyByKeyId(kid);
        if (!(jwk instanceof OctetKeyPair okp) || !Curve.Ed25519.equals(okp.getCurve())) {
            throw new JwsVerificationException(JwsVerificationException.Reason.UNKNOWN_KEY,
                    "No Ed25519 key with kid \"" + kid + "\" in the key set");
        }
        if ((okp.getAlgorithm() != null && !JWSAlgorithm.EdDSA.equals(okp.getAlgorithm()))
                || (okp.getKeyUse() != null && !KeyUse.SIGNATURE.equals(okp.getKeyUse()))) {
            throw new JwsVerificationException(JwsVerificationException.Reason.UNKNOWN_KEY,
                    "Key \"" + kid + "\" is not an EdDSA signature key");
        }
        return okp.toPublicJWK();
    }

    /** Only {@code [A-Za-z0-9_-]}, no padding, and the encoding of the decoded bytes is the same string. */
    static boolean isCanonicalBase64Url(String s) {
        if (s.length() % 4 == 1) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_';
            if (!ok) {
                return false;
            }
        }
        try {
            byte[] raw = Base64.getUrlDecoder().decode(s);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw).equals(s);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static JwsVerificationException malformed(String msg) {
        return new JwsVerificationException(JwsVerificationException.Reason.MALFORMED, msg);
    }
}
