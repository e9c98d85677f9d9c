package org.licensing.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import org.licensing.examples.gpuagent.ExitCodes;

import com.nimbusds.jose.jwk.JWKSet;

/**
 * An air-gapped machine running the example gpu-agent with its own command line: a directory of its own for the
 * installed checkout, the cache and the pinned vendor keys, a supplied fingerprint, and no validator URL at all (the
 * agent's air-gapped mode reaches no network). What a person carries between it and the vendor are files.
 */
final class AirGappedMachine {

    private final Path dir;
    private final String fingerprint;
    private final Map<String, String> env;

    AirGappedMachine(Path dir, String fingerprint, String productCode, String licenseKey, JWKSet vendorKeys) {
        this.dir = dir;
        this.fingerprint = fingerprint;
        try {
            Files.createDirectories(dir);
            // The product pins the vendor's public keys: the issuer's checkout keys (toString is the public set).
            Path pinned = Files.writeString(dir.resolve("vendor-jwks.json"), vendorKeys.toString());
            this.env = Map.of(
                    "GPU_AGENT_LICENSE_FILE", licenseFile().toString(),
                    "GPU_AGENT_PRODUCT", productCode,
                    "GPU_AGENT_LICENSE_KEY", licenseKey,
                    "GPU_AGENT_PINNED_KEYS", pinned.toString(),
                    "GPU_AGENT_CACHE_DIR", dir.resolve("cache").toString(),
                    "GPU_AGENT_FINGERPRINT", "supplied:" + fingerprint);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String fingerprint() {
        return fingerprint;
    }

    /** Where the agent installs the checkout (its license file). */
    Path licenseFile() {
        return dir.resolve("license.jwe");
    }

    /** {@code gpu-agent <args>} on this machine. */
    AgentRun agent(String... args) {
        return AgentRun.of(env, Clock.systemUTC(), args);
    }

    /** {@code checkout-request --label L --out FILE}: the request file a person carries to the vendor. */
    Path checkoutRequest(String label) {
        Path request = dir.resolve("checkout-request.json");
        AgentRun run = agent("checkout-request", "--label", label, "--out", request.toString());
        assertEquals(ExitCodes.USABLE, run.code(), run.toString());
        assertTrue(Files.isRegularFile(request), run.toString());
        return request;
    }

    /** {@code install-checkout --from FILE}: the agent's answer (installed only when usable here). */
    AgentRun install(Path checkoutFile) {
        return agent("install-checkout", "--from", checkoutFile.toString());
    }

    /** {@code check}: the installed checkout, no network. */
    AgentRun check() {
        return agent("check");
    }

    /**
     * {@code return-checkout --out FILE}: the machine stops using its checkout (the installed file is deleted) and
     * writes the return file a person carries back to the vendor.
     */
    Path returnCheckout() {
        Path returned = dir.resolve("checkout-return.json");
        AgentRun run = agent("return-checkout", "--out", returned.toString());
        assertEquals(ExitCodes.USABLE, run.code(), run.toString());
        assertFalse(Files.exists(licenseFile()), "the returned checkout is deleted on the machine");
        return returned;
    }

    /** Asserts the agent answers VALID from the installed checkout (source LICENSE_FILE) and returns that answer. */
    AgentRun assertValidOffline() {
        AgentRun check = check();
        assertEquals(ExitCodes.USABLE, check.code(), check.toString());
        assertEquals("VALID (usable)", check.field("code"), check.toString());
        assertEquals("LICENSE_FILE", check.field("source"), check.toString());
        return check;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
