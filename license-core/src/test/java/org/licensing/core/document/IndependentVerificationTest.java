package org.licensing.core.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.AesKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.key.LicenseKey;

/**
 * License files made here verify and decrypt with implementations that share no code with nimbus: jose4j, and
 * Node's built-in crypto (which also parses the license key text on its own).
 */
class IndependentVerificationTest {

    static SigningKeys keys;
    static LicenseKey licenseKey;
    static LicenseDocument doc;
    static String jws;
    static String jwe;

    @BeforeAll
    static void makeFile() {
        keys = SigningKeys.generate("old").plus(SigningKeys.generate("current")).withActive("current");
        licenseKey = LicenseKey.generate(UUID.randomUUID());
        doc = Fixtures.document(licenseKey.licenseId().toString(), 30);
        jws = LicenseFiles.sign(doc, Fixtures.ISSUER, keys);
        jwe = LicenseFiles.encryptFor(jws, licenseKey);
    }

    private static String tampered() {
        String[] p = jws.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(p[1]), StandardCharsets.UTF_8)
                .replace("\"gpus\":64", "\"gpus\":640");
        assertTrue(payload.contains("640"));
        return p[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + p[2];
    }

    @Test
    void jose4jVerifiesTheSignatureWithThePublishedJwkSet() throws Exception {
        JsonWebKeySet set = new JsonWebKeySet(keys.publicJwkSetJson());
        JsonWebSignature sig = new JsonWebSignature();
        sig.setAlgorithmConstraints(new AlgorithmConstraints(ConstraintType.PERMIT, AlgorithmIdentifiers.EDDSA));
        sig.setCompactSerialization(jws);
        JsonWebKey key = new VerificationJwkSelector().select(sig, set.getJsonWebKeys());
        assertEquals("current", key.getKeyId());
        sig.setKey(key.getKey());
        assertTrue(sig.verifySignature());
        assertEquals("license+jwt", sig.getHeader("typ"));

        JwtClaims claims = JwtClaims.parse(sig.getPayload());
        assertEquals(doc.licenseId(), claims.getJwtId());
        assertEquals("cust-42", claims.getSubject());
        assertEquals(Fixtures.ISSUER, claims.getIssuer());
        assertEquals(Fixtures.EXP.getEpochSecond(), claims.getExpirationTime().getValue());
        @SuppressWarnings("unchecked")
        Map<String, Object> lic = (Map<String, Object>) claims.getClaimValue("lic");
        assertEquals("gpu-cluster", lic.get("product"));
        assertEquals(30L, ((Number) lic.get("grace_days")).longValue());
        assertEquals(64L, ((Number) ((Map<?, ?>) lic.get("limits")).get("gpus")).longValue());
        assertEquals(2.5, ((Number) ((Map<?, ?>) lic.get("limits")).get("cuda.shares")).doubleValue(),
                "a decimal limit reads as the number it is in any JOSE library");

        JsonWebSignature bad = new JsonWebSignature();
        bad.setAlgorithmConstraints(new AlgorithmConstraints(ConstraintType.PERMIT, AlgorithmIdentifiers.EDDSA));
        bad.setCompactSerialization(tampered());
        bad.setKey(key.getKey());
        assertFalse(bad.verifySignature());
    }

    @Test
    void jose4jDecryptsWithTheHkdfDerivedKey() throws Exception {
        JsonWebEncryption enc = new JsonWebEncryption();
        enc.setAlgorithmConstraints(new AlgorithmConstraints(ConstraintType.PERMIT,
                KeyManagementAlgorithmIdentifiers.DIRECT));
        enc.setContentEncryptionAlgorithmConstraints(new AlgorithmConstraints(ConstraintType.PERMIT,
                ContentEncryptionAlgorithmIdentifiers.AES_256_GCM));
        enc.setCompactSerialization(jwe);
        assertEquals(licenseKey.licenseId().toString(), enc.getKeyIdHeaderValue());
        assertEquals("JWT", enc.getContentTypeHeaderValue());
        enc.setKey(new AesKey(LicenseFiles.contentKey(licenseKey)));
        assertEquals(jws, enc.getPayload());

        JsonWebEncryption wrong = new JsonWebEncryption();
        wrong.setCompactSerialization(jwe);
        wrong.setKey(new AesKey(LicenseFiles.contentKey(LicenseKey.generate(licenseKey.licenseId()))));
        assertThrows(Exception.class, wrong::getPayload);
    }

    @Test
    void nodeBuiltInCryptoVerifiesAndDecrypts(@TempDir Path dir) throws Exception {
        // Node.js is a prerequisite of the build (README, "Prerequisites": the emulators run on it), so its absence
        // is a broken machine, not a reason to skip the one check with a second, library-free implementation.
        String node = findOnPath("node");
        assertTrue(node != null, "node is not on PATH: this check verifies license files with Node.js' built-in "
                + "crypto (an implementation independent of ours); install Node.js 20 or newer (README, Prerequisites)");
        Path script = dir.resolve("verify-license.mjs");
        try (InputStream in = IndependentVerificationTest.class.getResourceAsStream("/interop/verify-license.mjs")) {
            Files.write(script, in.readAllBytes());
        }
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("jwks", JSONObjectUtils.parse(keys.publicJwkSetJson()));
        input.put("jws", jws);
        input.put("jwe", jwe);
        input.put("key", licenseKey.text().toLowerCase()); // as a customer might type it
        input.put("tampered", tampered());

        Process p = new ProcessBuilder(node, script.toString()).redirectError(dir.resolve("err.txt").toFile())
                .start();
        try (OutputStream out = p.getOutputStream()) {
            out.write(JSONObjectUtils.toJSONString(input).getBytes(StandardCharsets.UTF_8));
        }
        byte[] stdout = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "node did not finish");
        assertEquals(0, p.exitValue(), () -> "node failed: " + readQuietly(dir.resolve("err.txt")));

        Map<String, Object> result = JSONObjectUtils.parse(new String(stdout, StandardCharsets.UTF_8));
        assertEquals(Boolean.TRUE, result.get("signatureValid"));
        assertEquals(Boolean.FALSE, result.get("tamperedValid"));
        assertEquals(Boolean.TRUE, result.get("decryptedValid"));
        assertEquals(jws, result.get("decrypted"));
        assertEquals(licenseKey.licenseId().toString(), result.get("licenseId"), "node parsed the key text itself");
        Map<String, Object> header = JSONObjectUtils.getJSONObject(result, "header");
        assertEquals(Map.of("alg", "EdDSA", "kid", "current", "typ", "license+jwt"), header);
        Map<String, Object> jweHeader = JSONObjectUtils.getJSONObject(result, "jweHeader");
        assertEquals(Map.of("alg", "dir", "enc", "A256GCM", "cty", "JWT", "kid", licenseKey.licenseId().toString()),
                jweHeader);
        Map<String, Object> claims = JSONObjectUtils.getJSONObject(result, "claims");
        assertEquals(doc.licenseId(), claims.get("jti"));
        assertEquals(Fixtures.NBF.getEpochSecond(), ((Number) claims.get("nbf")).longValue());
        @SuppressWarnings("unchecked")
        Map<String, Object> lic = (Map<String, Object>) claims.get("lic");
        assertEquals("Acme GPU Clusters Ltd. — Zürich", lic.get("customer_name"));
        assertEquals(List.of("fabric-manager", "mig"), List.copyOf(((Map<?, ?>) lic.get("features")).keySet()));
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "(no stderr)";
        }
    }

    private static String findOnPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(File.pathSeparator)) {
            Path candidate = Path.of(d, exe);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
