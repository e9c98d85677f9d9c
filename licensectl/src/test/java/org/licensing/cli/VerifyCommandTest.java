package org.licensing.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.document.LicenseDocument;
import org.licensing.core.document.LicenseFiles;
import org.licensing.core.key.LicenseKey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Offline verification: no issuer, files signed here with a generated key. */
class VerifyCommandTest {

    private static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant EXPIRES = Instant.parse("2027-01-01T00:00:00Z");
    private static final Map<String, String> ENV = Map.of("LICENSECTL_CONFIG", "/nonexistent/licensectl.json");

    @TempDir
    Path dir;

    private final SigningKeys keys = SigningKeys.generate("test-1");
    private final UUID licenseId = UUID.randomUUID();
    private Path jwks;
    private Path file;
    private String jws;

    @BeforeEach
    void sign() throws Exception {
        LicenseDocument doc = new LicenseDocument(licenseId.toString(), UUID.randomUUID().toString(),
                "Acme GPU Cloud", "gpu-cluster", Map.of("sso", true), Map.of("gpus", new java.math.BigDecimal("8")), 3, ISSUED, ISSUED,
                EXPIRES, 14);
        jws = LicenseFiles.sign(doc, "https://issuer.test", keys);
        jwks = Files.writeString(dir.resolve("jwks.json"), keys.publicJwkSetJson());
        file = Files.writeString(dir.resolve("license.lic"), jws + "\n");
    }

    @Test
    void validFileExitsZeroAndPrintsClaims() {
        Run r = Run.of(ENV, "verify", file.toString(), "--jwks", jwks.toString(), "--at", "2026-06-01");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("VALID"), r::toString);
        assertTrue(r.out().contains(licenseId.toString()), r::toString);
        assertTrue(r.out().contains("gpus=8"), r::toString);
        assertTrue(r.out().contains("kid test-1"), r::toString);
    }

    @Test
    void statusFollowsTheInstant() {
        Run grace = Run.of(ENV, "verify", file.toString(), "--jwks", jwks.toString(), "--at", "2027-01-05T00:00:00Z");
        assertEquals(0, grace.code(), grace::toString);
        assertTrue(grace.out().contains("EXPIRED_IN_GRACE"), grace::toString);

        Run expired = Run.of(ENV, "verify", file.toString(), "--jwks", jwks.toString(), "--at", "2027-02-01");
        assertEquals(ExitCodes.NOT_USABLE, expired.code(), expired::toString);
        assertTrue(expired.out().contains("EXPIRED (not usable)"), expired::toString);

        Run early = Run.of(ENV, "verify", file.toString(), "--jwks", jwks.toString(), "--at", "2025-12-31");
        assertEquals(ExitCodes.NOT_USABLE, early.code(), early::toString);
        assertTrue(early.out().contains("NOT_YET_VALID"), early::toString);
    }

    @Test
    void jsonOutputCarriesStatusAndClaims() throws Exception {
        Run r = Run.of(ENV, "verify", file.toString(), "--jwks", jwks.toString(), "--at", "2026-06-01", "--json");
        assertEquals(0, r.code(), r::toString);
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertEquals("VALID", o.path("status").asText());
        assertTrue(o.path("usable").asBoolean());
        assertEquals(licenseId.toString(), o.path("license").path("licenseId").asText());
        assertEquals(8, o.path("license").path("limits").path("gpus").asLong());
    }

    @Test
    void tamperedFileIsRejected() throws Exception {
        String[] parts = jws.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"gpus\":8", "\"gpus\":800");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        Path tampered = Files.writeString(dir.resolve("tampered.lic"), forged);
        Run r = Run.of(ENV, "verify", tampered.toString(), "--jwks", jwks.toString(), "--at", "2026-06-01");
        assertEquals(ExitCodes.REJECTED, r.code(), r::toString);
        assertTrue(r.err().contains("BAD_SIGNATURE"), r::toString);
        assertFalse(r.out().contains("VALID"), r::toString);
    }

    @Test
    void fileSignedByAnotherKeyIsRejected() throws Exception {
        Path other = Files.writeString(dir.resolve("other.json"), SigningKeys.generate("test-2").publicJwkSetJson());
        Run r = Run.of(ENV, "verify", file.toString(), "--jwks", other.toString(), "--json");
        assertEquals(ExitCodes.REJECTED, r.code(), r::toString);
        assertEquals("UNKNOWN_KEY", new ObjectMapper().readTree(r.out()).path("reason").asText(), r::toString);
    }

    @Test
    void encryptedFileNeedsTheRightLicenseKey() throws Exception {
        LicenseKey key = LicenseKey.generate(licenseId);
        Path jwe = Files.writeString(dir.resolve("license.lic.jwe"), LicenseFiles.encryptFor(jws, key));

        Run noKey = Run.of(ENV, "verify", jwe.toString(), "--jwks", jwks.toString());
        assertEquals(ExitCodes.USAGE, noKey.code(), noKey::toString);

        Run ok = Run.of(ENV, "verify", jwe.toString(), "--jwks", jwks.toString(), "--at", "2026-06-01",
                "--license-key", key.text());
        assertEquals(0, ok.code(), ok::toString);
        assertFalse(ok.out().contains(key.text()), "never echoes the key");

        Run fromStdin = Run.withStdin(ENV, key.text() + "\n", "verify", jwe.toString(), "--jwks", jwks.toString(),
                "--at", "2026-06-01", "--license-key", "-");
        assertEquals(0, fromStdin.code(), fromStdin::toString);

        LicenseKey wrong = LicenseKey.generate(licenseId);
        Run bad = Run.of(ENV, "verify", jwe.toString(), "--jwks", jwks.toString(), "--license-key", wrong.text());
        assertEquals(ExitCodes.REJECTED, bad.code(), bad::toString);
        assertTrue(bad.err().contains("DECRYPTION_FAILED"), bad::toString);
    }

    @Test
    void wrongIssuerIsRejected() {
        Run r = Run.of(ENV, "verify", file.toString(), "--jwks", jwks.toString(), "--issuer", "https://other.test");
        assertEquals(ExitCodes.REJECTED, r.code(), r::toString);
        assertTrue(r.err().contains("WRONG_ISSUER"), r::toString);
    }

    @Test
    void unreadableInputsAreUsageErrors() throws Exception {
        Run missing = Run.of(ENV, "verify", dir.resolve("nope.lic").toString(), "--jwks", jwks.toString());
        assertEquals(ExitCodes.USAGE, missing.code(), missing::toString);

        Path notJwks = Files.writeString(dir.resolve("bad.json"), "{\"hello\":1}");
        Run badJwks = Run.of(ENV, "verify", file.toString(), "--jwks", notJwks.toString());
        assertEquals(ExitCodes.USAGE, badJwks.code(), badJwks::toString);

        Path garbage = Files.writeString(dir.resolve("garbage.lic"), "not-a-license");
        Run malformed = Run.of(ENV, "verify", garbage.toString(), "--jwks", jwks.toString());
        assertEquals(ExitCodes.REJECTED, malformed.code(), malformed::toString);

        Run noJwks = Run.of(ENV, "verify", file.toString());
        assertEquals(ExitCodes.USAGE, noJwks.code(), noJwks::toString);
    }
}
