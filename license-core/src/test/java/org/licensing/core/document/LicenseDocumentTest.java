package org.licensing.core.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LicenseDocumentTest {

    @Test
    void claimsRoundTripWithSnakeCaseNames() {
        LicenseDocument d = Fixtures.document();
        JWTClaimsSet c = d.toClaims(Fixtures.ISSUER);
        assertEquals(Fixtures.ISSUER, c.getIssuer());
        assertEquals(d.licenseId(), c.getJWTID());
        assertEquals("cust-42", c.getSubject());
        assertEquals(Date.from(Fixtures.EXP), c.getExpirationTime());
        @SuppressWarnings("unchecked")
        Map<String, Object> lic = (Map<String, Object>) c.getClaim("lic");
        assertEquals("gpu-cluster", lic.get("product"));
        assertEquals(10L, lic.get("max_activations"));
        assertEquals(14L, lic.get("grace_days"));
        assertEquals("Acme GPU Clusters Ltd. — Zürich", lic.get("customer_name"));
        assertEquals(d, LicenseDocument.fromClaims(c));
        assertNull(d.toClaims(null).getIssuer());
    }

    @Test
    void nullCustomerNameAndEmptyEntitlements() {
        LicenseDocument d = new LicenseDocument("l", "c", null, "p", null, null, 0, Fixtures.ISSUED, Fixtures.NBF,
                Fixtures.EXP, 0);
        assertEquals(d, LicenseDocument.fromClaims(d.toClaims("i")));
        assertEquals(Map.of(), d.features());
    }

    @Test
    void badClaimsAreRejected() {
        JWTClaimsSet good = Fixtures.document().toClaims("i");
        assertThrows(IllegalArgumentException.class,
                () -> LicenseDocument.fromClaims(new JWTClaimsSet.Builder(good).claim("lic", null).build()));
        assertThrows(IllegalArgumentException.class,
                () -> LicenseDocument.fromClaims(new JWTClaimsSet.Builder(good).claim("lic", "x").build()));
        assertThrows(IllegalArgumentException.class,
                () -> LicenseDocument.fromClaims(new JWTClaimsSet.Builder(good).jwtID(null).build()));
        assertThrows(IllegalArgumentException.class,
                () -> LicenseDocument.fromClaims(new JWTClaimsSet.Builder(good).expirationTime(null).build()));
        // Limits are exact decimals (fractional GPUs): 1.5 is a limit; a negative or non-numeric one is not.
        assertEquals(new java.math.BigDecimal("1.5"), LicenseDocument.fromClaims(new JWTClaimsSet.Builder(good)
                .claim("lic", Map.of("product", "p", "limits", Map.of("cuda.shares", 1.5))).build()).limits()
                .get("cuda.shares"));
        assertThrows(IllegalArgumentException.class, () -> LicenseDocument.fromClaims(new JWTClaimsSet.Builder(good)
                .claim("lic", Map.of("product", "p", "limits", Map.of("gpus", -1.5))).build()));
        assertThrows(IllegalArgumentException.class, () -> LicenseDocument.fromClaims(new JWTClaimsSet.Builder(good)
                .claim("lic", Map.of("product", "p", "limits", Map.of("gpus", "8"))).build()));
        assertThrows(IllegalArgumentException.class, () -> LicenseDocument.fromClaims(new JWTClaimsSet.Builder(good)
                .claim("lic", Map.of("product", "p", "features", Map.of("f", "yes"))).build()));
        assertThrows(IllegalArgumentException.class, () -> LicenseDocument.fromClaims(new JWTClaimsSet.Builder(good)
                .claim("lic", Map.of("product", "p", "max_activations", -1)).build()));
        assertThrows(IllegalArgumentException.class, () -> LicenseDocument.fromClaims(new JWTClaimsSet.Builder(good)
                .claim("lic", Map.of("features", Map.of())).build()));
        assertThrows(IllegalArgumentException.class, () -> new LicenseDocument(UUID.randomUUID().toString(), " ",
                null, "p", null, null, 0, Fixtures.ISSUED, Fixtures.NBF, Fixtures.EXP, 0));
    }
}
