package org.licensing.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensing.core.checkout.CheckoutDocument;
import org.licensing.core.checkout.CheckoutFiles;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.document.LicenseDocument;
import org.licensing.core.key.LicenseKey;

/** {@code checkouts verify}: a checkout file opened offline with the license key, against a JWK Set or one key. */
class CheckoutVerifyTest {

    private static final Map<String, String> ENV = Map.of("LICENSECTL_CONFIG", "/nonexistent/licensectl.json");
    private static final Instant ISSUED = Instant.parse("2026-12-07T10:00:00Z");
    private static final Instant UNTIL = Instant.parse("2027-01-06T10:00:00Z");

    @TempDir
    Path dir;

    private final SigningKeys vendor = SigningKeys.generate("issuer-2026");
    private final UUID licenseId = UUID.randomUUID();
    private final LicenseKey key = LicenseKey.generate(licenseId);
    private Path file;
    private Path jwks;

    @BeforeEach
    void checkOut() throws Exception {
        LicenseDocument license = new LicenseDocument(licenseId.toString(), UUID.randomUUID().toString(), "Acme",
                "gpu-cluster", Map.of("sso", true), Map.of("cuda.device", new BigDecimal("8"),
                        "cuda.shares", new BigDecimal("2.5")), 3, Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-06-01T00:00:00Z"), 14);
        CheckoutDocument doc = new CheckoutDocument(UUID.randomUUID(), license, "k8s-site-a", 7, ISSUED, UNTIL, null);
        String jwe = CheckoutFiles.encrypt(CheckoutFiles.sign(doc, "https://issuer.test", vendor), licenseId,
                key.secretHash(), "k8s-site-a");
        file = Files.writeString(dir.resolve("site.checkout"), jwe + "\n");
        jwks = Files.writeString(dir.resolve("jwks.json"), vendor.publicJwkSetJson());
    }

    private Run verify(String... extra) {
        String[] args = new String[5 + extra.length];
        args[0] = "checkouts";
        args[1] = "verify";
        args[2] = file.toString();
        args[3] = "--key";
        args[4] = key.text();
        System.arraycopy(extra, 0, args, 5, extra.length);
        return Run.of(ENV, args);
    }

    @Test
    void aGenuineCheckoutPrintsItsMachineValidityAndLimits() throws Exception {
        Run r = verify("--jwks", jwks.toString(), "--at", "2026-12-20T00:00:00Z");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("VALID") && r.out().contains("k8s-site-a") && r.out().contains("cuda.shares=2.5")
                && r.out().contains("seq 7"), r::toString);

        // One pinned public key instead of the JWK Set.
        Path pinned = Files.writeString(dir.resolve("issuer.jwk"),
                vendor.publicJwkSet().getKeys().get(0).toJSONString());
        Run p = verify("--jwks", pinned.toString(), "--at", "2026-12-20T00:00:00Z", "--json");
        assertEquals(0, p.code(), p::toString);
        assertTrue(p.out().contains("\"fingerprint\" : \"k8s-site-a\"") && p.out().contains("\"usable\" : true"),
                p::toString);

        Run ended = verify("--jwks", jwks.toString(), "--at", "2027-02-01T00:00:00Z");
        assertEquals(ExitCodes.NOT_USABLE, ended.code(), ended::toString);
    }

    @Test
    void aCheckoutThatCannotBeTrustedExitsSeven() throws Exception {
        Path other = Files.writeString(dir.resolve("other.json"),
                SigningKeys.generate("issuer-2026").publicJwkSetJson());
        Run wrongVendor = verify("--jwks", other.toString());
        assertEquals(ExitCodes.REJECTED, wrongVendor.code(), wrongVendor::toString);

        Run otherMachine = verify("--jwks", jwks.toString(), "--fingerprint", "k8s-site-b");
        assertEquals(ExitCodes.REJECTED, otherMachine.code(), otherMachine::toString);

        String forged = LicenseKey.generate(licenseId).text();
        Run otherKey = Run.of(ENV, "checkouts", "verify", file.toString(), "--key", forged, "--jwks", jwks.toString());
        assertEquals(ExitCodes.REJECTED, otherKey.code(), otherKey::toString);

        Path secret = Files.writeString(dir.resolve("private.json"), vendor.privateJwkSetJson());
        Run privateKeys = verify("--jwks", secret.toString());
        assertEquals(ExitCodes.USAGE, privateKeys.code(), privateKeys::toString);
    }
}
