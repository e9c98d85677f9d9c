package org.licensing.core.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.licensing.core.checkout.CheckoutDocument;
import org.licensing.core.checkout.CheckoutFiles;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.document.LicenseDocument;
import org.licensing.core.key.LicenseKey;
import org.licensing.core.relay.LeaseRejectedException.Reason;

/** Every link of lease -> relay key -> relay checkout -> pinned vendor key, intact and broken one at a time. */
class LeaseVerifierTest {

    static final String ISSUER = "https://issuer.licensing.test";
    static final String PRODUCT = "gpu-cluster";
    static final String SITE = "k8s-" + "5".repeat(64);
    static final String NODE = "host-" + "a".repeat(64);
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final Instant CHECKOUT_END = NOW.plus(Duration.ofDays(30));

    final SigningKeys vendor = SigningKeys.generate("vendor-1");
    final SigningKeys relay = SigningKeys.generate("relay-1");
    final LicenseKey key = LicenseKey.generate(UUID.randomUUID());
    final UUID checkoutId = UUID.randomUUID();
    final LeaseVerifier verifier = new LeaseVerifier(key, vendor.publicJwkSet(), ISSUER, PRODUCT, Duration.ZERO);

    static OctetKeyPair publicKey(SigningKeys keys) {
        return (OctetKeyPair) keys.publicJwkSet().getKeys().get(0);
    }

    LicenseDocument license(String licenseId, String product) {
        return new LicenseDocument(licenseId, "cust-1", "Acme GPU", product, Map.of(),
                Map.of("cuda.device", new BigDecimal("64"), "cuda.shares", new BigDecimal("128.5")), 8,
                NOW.minus(Duration.ofDays(10)), NOW.minus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(300)), 7);
    }

    /** The issuer's relay checkout: signed by {@code signer}, encrypted for {@code holder} on the site. */
    String checkout(SigningKeys signer, LicenseKey holder, LicenseDocument license, OctetKeyPair relayKey,
            Instant until) {
        CheckoutDocument doc = new CheckoutDocument(checkoutId, license, SITE, 3, NOW.minus(Duration.ofHours(1)), until,
                relayKey);
        return CheckoutFiles.encrypt(CheckoutFiles.sign(doc, ISSUER, signer), holder.licenseId(), holder.secretHash(),
                SITE);
    }

    String goodCheckout() {
        return checkout(vendor, key, license(key.licenseId().toString(), PRODUCT), publicKey(relay), CHECKOUT_END);
    }

    LeaseClaims lease(String nonce, String node, Instant until) {
        return new LeaseClaims(UUID.randomUUID(), NOW, until, nonce, node,
                Map.of("cuda.device", new BigDecimal("8"), "cuda.shares", new BigDecimal("2.5")),
                key.licenseId().toString(), PRODUCT, checkoutId, SITE);
    }

    String signed(LeaseClaims lease, SigningKeys with) {
        return with.sign(lease.toClaims(), LeaseClaims.TYP);
    }

    Reason refused(String leaseJws, String checkoutFile) {
        return assertThrows(LeaseRejectedException.class,
                () -> verifier.verify(leaseJws, checkoutFile, "nonce-1", NODE, NOW)).reason();
    }

    @Test
    void theWholeChainVerifiesAndTheQuantitiesReadBackExactly() {
        LeaseClaims sent = lease("nonce-1", NODE, NOW.plus(Duration.ofMinutes(2)));
        VerifiedLease v = verifier.verify(signed(sent, relay), goodCheckout(), "nonce-1", NODE, NOW);
        assertEquals(sent, v.lease());
        assertEquals(new BigDecimal("2.5"), v.lease().quantities().get("cuda.shares"));
        assertEquals(checkoutId, v.checkout().document().checkoutId());
        assertEquals("vendor-1", v.checkout().kid());
    }

    @Test
    void aLeaseSignedByAnotherKeyUnderTheCertifiedKidIsRefused() {
        SigningKeys forger = SigningKeys.generate("relay-1");
        assertEquals(Reason.BAD_SIGNATURE, refused(signed(lease("nonce-1", NODE, CHECKOUT_END), forger), goodCheckout()));
    }

    @Test
    void aLeaseSignedByARelayKeyTheCheckoutDoesNotCertifyIsRefused() {
        // Another relay (its own key, its own kid): its leases do not ride on this site's checkout.
        SigningKeys other = SigningKeys.generate("relay-2");
        assertEquals(Reason.NOT_CERTIFIED_KEY, refused(signed(lease("nonce-1", NODE, CHECKOUT_END), other),
                goodCheckout()));
        // A checkout certifying that other key does not make this relay's lease good either.
        String otherCheckout = checkout(vendor, key, license(key.licenseId().toString(), PRODUCT), publicKey(other),
                CHECKOUT_END);
        assertEquals(Reason.NOT_CERTIFIED_KEY, refused(signed(lease("nonce-1", NODE, CHECKOUT_END), relay),
                otherCheckout));
    }

    @Test
    void aCheckoutSignedByAnUnpinnedVendorKeyIsRefused() {
        SigningKeys forger = SigningKeys.generate("vendor-1");
        String forged = checkout(forger, key, license(key.licenseId().toString(), PRODUCT), publicKey(relay),
                CHECKOUT_END);
        LeaseRejectedException e = assertThrows(LeaseRejectedException.class, () -> verifier.verify(
                signed(lease("nonce-1", NODE, CHECKOUT_END), relay), forged, "nonce-1", NODE, NOW));
        assertEquals(Reason.CHECKOUT_INVALID, e.reason());
        assertTrue(e.getMessage().contains("BAD_SIGNATURE"), e.getMessage());
    }

    @Test
    void aCheckoutForAnotherLicenseOrAnotherKeyOfThisLicenseIsRefused() {
        LicenseKey otherLicense = LicenseKey.generate(UUID.randomUUID());
        String foreign = checkout(vendor, otherLicense, license(otherLicense.licenseId().toString(), PRODUCT),
                publicKey(relay), CHECKOUT_END);
        LeaseRejectedException e = assertThrows(LeaseRejectedException.class, () -> verifier.verify(
                signed(lease("nonce-1", NODE, CHECKOUT_END), relay), foreign, "nonce-1", NODE, NOW));
        assertEquals(Reason.CHECKOUT_INVALID, e.reason());
        assertTrue(e.getMessage().contains("another license"), e.getMessage());
        // The same license id with another secret (a regenerated key): the checkout was not made for this holder.
        LicenseKey regenerated = LicenseKey.generate(key.licenseId());
        String forOtherHolder = checkout(vendor, regenerated, license(key.licenseId().toString(), PRODUCT),
                publicKey(relay), CHECKOUT_END);
        e = assertThrows(LeaseRejectedException.class, () -> verifier.verify(
                signed(lease("nonce-1", NODE, CHECKOUT_END), relay), forOtherHolder, "nonce-1", NODE, NOW));
        assertEquals(Reason.CHECKOUT_INVALID, e.reason());
        assertTrue(e.getMessage().contains("DECRYPTION_FAILED"), e.getMessage());
    }

    @Test
    void anEndedCheckoutIsRefusedAndNoLeaseRunsPastItsCheckout() {
        LeaseClaims l = lease("nonce-1", NODE, CHECKOUT_END);
        assertEquals(Reason.CHECKOUT_EXPIRED, assertThrows(LeaseRejectedException.class, () -> verifier.verify(
                signed(l, relay), goodCheckout(), "nonce-1", NODE, CHECKOUT_END)).reason());
        assertEquals(Reason.CHECKOUT_EXPIRED,
                refused(signed(lease("nonce-1", NODE, CHECKOUT_END.plusSeconds(1)), relay), goodCheckout()));
    }

    @Test
    void aCheckoutOfAnotherProductOrWithoutARelayKeyIsRefused() {
        String otherProduct = checkout(vendor, key, license(key.licenseId().toString(), "other-product"),
                publicKey(relay), CHECKOUT_END);
        assertEquals(Reason.WRONG_PRODUCT, refused(signed(lease("nonce-1", NODE, CHECKOUT_END), relay), otherProduct));
        String machineCheckout = checkout(vendor, key, license(key.licenseId().toString(), PRODUCT), null,
                CHECKOUT_END);
        assertEquals(Reason.NOT_A_RELAY_CHECKOUT,
                refused(signed(lease("nonce-1", NODE, CHECKOUT_END), relay), machineCheckout));
    }

    @Test
    void aLeaseForAnotherNonceOrAnotherNodeIsRefused() {
        assertEquals(Reason.WRONG_NONCE, refused(signed(lease("nonce-0", NODE, CHECKOUT_END), relay), goodCheckout()));
        assertEquals(Reason.WRONG_FINGERPRINT,
                refused(signed(lease("nonce-1", "host-" + "b".repeat(64), CHECKOUT_END), relay), goodCheckout()));
    }

    @Test
    void aLeaseNamingAnotherCheckoutOrSignedBeforeItsCheckoutIsRefused() {
        LeaseClaims l = lease("nonce-1", NODE, CHECKOUT_END);
        LeaseClaims otherCheckout = new LeaseClaims(l.leaseId(), l.issuedAt(), l.leaseUntil(), l.nonce(),
                l.fingerprint(), l.quantities(), l.licenseId(), l.productCode(), UUID.randomUUID(), l.site());
        assertEquals(Reason.WRONG_CHECKOUT, refused(signed(otherCheckout, relay), goodCheckout()));
        LeaseClaims early = new LeaseClaims(l.leaseId(), NOW.minus(Duration.ofDays(1)), l.leaseUntil(), l.nonce(),
                l.fingerprint(), l.quantities(), l.licenseId(), l.productCode(), l.checkoutId(), l.site());
        assertEquals(Reason.LEASE_TIME, refused(signed(early, relay), goodCheckout()));
    }

    @Test
    void algNoneAndHmacLeasesAreRefused() throws Exception {
        JWTClaimsSet claims = lease("nonce-1", NODE, CHECKOUT_END).toClaims();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String none = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"lease+jwt\",\"kid\":\"relay-1\"}"
                .getBytes(StandardCharsets.UTF_8)) + "." + b64.encodeToString(claims.toString()
                .getBytes(StandardCharsets.UTF_8)) + ".";
        assertEquals(Reason.UNSUPPORTED_ALGORITHM, refused(none, goodCheckout()));
        // HS256 keyed with the relay's public key bytes: the classic key-confusion forgery.
        SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("relay-1")
                .type(new JOSEObjectType(LeaseClaims.TYP)).build(), claims);
        hs.sign(new MACSigner(publicKey(relay).getX().toString().getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Reason.UNSUPPORTED_ALGORITHM, refused(hs.serialize(), goodCheckout()));
    }

    @Test
    void aReceiptOrACheckoutPresentedAsALeaseIsRefused() {
        String receiptTyped = relay.sign(lease("nonce-1", NODE, CHECKOUT_END).toClaims(), "validation-receipt+jwt");
        assertEquals(Reason.MALFORMED, refused(receiptTyped, goodCheckout()));
        assertEquals(Reason.CHECKOUT_INVALID,
                refused(signed(lease("nonce-1", NODE, CHECKOUT_END), relay), "not.a.checkout"));
    }
}
