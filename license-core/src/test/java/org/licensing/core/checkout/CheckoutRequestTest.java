package org.licensing.core.checkout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CheckoutRequestTest {

    static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    static final String FP = "k8s-" + "c".repeat(64);

    @Test
    void roundTripsAsJsonWithoutASecret() {
        CheckoutRequest r = CheckoutRequest.of(UUID.randomUUID(), "gpu-cluster", FP, NOW, "dgx-a-01");
        String json = r.toJson();
        assertEquals(r, CheckoutRequest.parse(json));
        assertTrue(json.startsWith("{\"typ\":\"licensing.checkout-request.v1\""), json);
    }

    @Test
    void carriesARelaysPublicKeyButNeverAPrivateOne() throws Exception {
        OctetKeyPair relay = new OctetKeyPairGenerator(Curve.Ed25519).keyID("relay-1").generate();
        CheckoutRequest r = new CheckoutRequest(UUID.randomUUID(), "gpu-cluster", FP, NOW, null,
                relay.toPublicJWK());
        CheckoutRequest back = CheckoutRequest.parse(r.toJson());
        assertEquals(relay.toPublicJWK(), back.relayKey());
        String withPrivate = r.toJson().replace("\"kid\":\"relay-1\"",
                "\"kid\":\"relay-1\",\"d\":\"" + relay.getD() + "\"");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CheckoutRequest.parse(withPrivate));
        assertTrue(e.getMessage().contains("public"), e.getMessage());
    }

    @Test
    void refusesWhatAPersonMightGetWrong() {
        String ok = CheckoutRequest.of(UUID.randomUUID(), "gpu-cluster", FP, NOW, null).toJson();
        assertRefused(ok.replace("checkout-request.v1", "checkout-request.v9"), "typ");
        assertRefused(ok.replace("\"product\"", "\"extra\":1,\"product\""), "unknown member \"extra\"");
        assertRefused(ok.replace(FP, "has space"), "fingerprint");
        assertRefused(ok.replace(FP, "x".repeat(129)), "fingerprint");
        assertRefused(ok.replace("\"product\":\"gpu-cluster\"", "\"product\":\"a\",\"product\":\"b\""), "JSON");
        assertRefused("{\"typ\":\"licensing.checkout-request.v1\",\"pad\":\"" + "x".repeat(20_000) + "\"}",
                "larger than");
        assertRefused("not json", "JSON");
        assertRefused(ok.replace("2026-12-07T10:00:00Z", "yesterday"), "created_at");
        assertRefused(ok.replaceFirst("\"license_id\":\"[^\"]+\"", "\"license_id\":\"42\""), "license_id");
    }

    private static void assertRefused(String text, String mentions) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CheckoutRequest.parse(text));
        assertTrue(e.getMessage().contains(mentions), () -> e.getMessage() + " should mention " + mentions);
    }
}
