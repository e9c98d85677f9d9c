package org.licensing.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.licensing.core.document.LicenseDocument;

/** Every signed payload is read by the one strict reader: exact numbers, and no duplicate member names. */
class StrictPayloadTest {

    final SigningKeys keys = SigningKeys.generate("k1");

    String signRaw(String payload) throws Exception {
        OctetKeyPair okp = (OctetKeyPair) JWKSet.parse(keys.privateJwkSetJson()).getKeys().get(0);
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID("k1")
                .type(new JOSEObjectType("license+jwt")).build(), new Payload(payload));
        jws.sign(new Ed25519Signer(okp));
        return jws.serialize();
    }

    @Test
    void aSignedPayloadWithADuplicateMemberIsRefused() throws Exception {
        // Two readers could take different values from one signed text (nimbus keeps the last, another the first).
        String jws = signRaw("{\"jti\":\"a\",\"sub\":\"c\",\"lic\":{\"product\":\"p\",\"limits\":{\"gpu\":1,\"gpu\":64}}}");
        JwsVerificationException e = assertThrows(JwsVerificationException.class,
                () -> JwsVerifier.verify(jws, keys.publicJwkSet(), "license+jwt"));
        assertEquals(JwsVerificationException.Reason.MALFORMED, e.reason());
        assertTrue(e.getMessage().contains("duplicate"), e.getMessage());
    }

    @Test
    void signedNumbersAreReadExactly() throws Exception {
        String jws = signRaw("{\"jti\":\"a\",\"sub\":\"c\",\"iat\":1767225600,\"nbf\":1767225600,\"exp\":1798761600,"
                + "\"lic\":{\"product\":\"p\",\"limits\":{\"cuda.shares\":2.5,\"mem\":9223372036854775807}}}");
        JwsVerifier.Verified v = JwsVerifier.verify(jws, keys.publicJwkSet(), "license+jwt");
        LicenseDocument d = LicenseDocument.fromPayload(v.payload());
        assertEquals(new BigDecimal("2.5"), d.limits().get("cuda.shares"));
        assertEquals(new BigDecimal("9223372036854775807"), d.limits().get("mem"), "beyond a double's 53 bits");
        assertEquals(Map.of(), d.features());
    }
}
