package org.licensing.examples.gpuagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.document.LicenseDocument;
import org.licensing.core.checkout.CheckoutDocument;
import org.licensing.core.checkout.CheckoutFiles;
import org.licensing.core.checkout.CheckoutRequest;
import org.licensing.core.checkout.CheckoutReturn;
import org.licensing.core.key.LicenseKey;

/**
 * The agent without any service: command-line and configuration errors, exit codes, an unreachable validator, and
 * the air-gapped mode with checkouts signed here by a test vendor key. The end-to-end tests (e2e's
 * {@code SdkStoryIT}) drive it against the packaged validator and issuer.
 */
class GpuAgentTest {

    private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");
    private static final SigningKeys VENDOR = SigningKeys.generate("vendor-test-1");
    private static final SigningKeys STRANGER = SigningKeys.generate("stranger-1");

    @TempDir
    Path dir;

    private final LicenseKey key = LicenseKey.generate(UUID.randomUUID());
    private Map<String, String> env;

    record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    @BeforeEach
    void environment() throws IOException {
        Path pinned = dir.resolve("vendor-jwks.json");
        Files.writeString(pinned, VENDOR.publicJwkSetJson());
        env = new HashMap<>(Map.of(
                "GPU_AGENT_LICENSE_KEY", key.text(),
                "GPU_AGENT_PINNED_KEYS", pinned.toString(),
                "GPU_AGENT_CACHE_DIR", dir.resolve("cache").toString(),
                "GPU_AGENT_FINGERPRINT", "supplied:gpu-node-1"));
    }

    private Run agent(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new GpuAgent(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Clock.fixed(NOW, ZoneOffset.UTC)).run(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpAndCommandLineErrors() {
        Run help = agent("help");
        assertEquals(ExitCodes.USABLE, help.code(), help.toString());
        assertTrue(help.out().contains("Exit codes"), help.out());

        env.put("GPU_AGENT_VALIDATOR_URL", "http://127.0.0.1:9");
        for (String[] args : new String[][] {
                {},
                {"frobnicate"},
                {"validate", "--colour", "red"},
                {"validate", "stray"},
                {"validate", "--usage"},
                {"validate", "--usage", "cuda.shares"},
                {"validate", "--usage", "cuda.shares=lots"},
                {"check", "--usage", "cuda.shares=-1"},
                {"activate", "--usage", "cuda.shares=1"},
                {"validate", "--heartbeat"},
                {"run", "--check-interval", "5"},
                {"run", "--check-interval", "0s"},
                {"validate", "--fingerprint", "serial-number"},
                {"validate", "--validator-url", "http://validator.vendor.example"}}) {
            Run r = agent(args);
            assertEquals(ExitCodes.USAGE, r.code(), String.join(" ", args) + ": " + r);
            assertTrue(r.err().startsWith("gpu-agent: "), r.toString());
        }
    }

    @Test
    void configurationErrorsAreUsageErrors() {
        Run neither = agent("validate");
        assertEquals(ExitCodes.USAGE, neither.code(), neither.toString());
        assertTrue(neither.err().contains("GPU_AGENT_VALIDATOR_URL"), neither.err());

        env.put("GPU_AGENT_VALIDATOR_URL", "http://127.0.0.1:9");
        env.put("GPU_AGENT_LICENSE_FILE", dir.resolve("acme.lic").toString());
        Run both = agent("validate");
        assertEquals(ExitCodes.USAGE, both.code(), both.toString());
        env.remove("GPU_AGENT_LICENSE_FILE");

        env.remove("GPU_AGENT_LICENSE_KEY");
        Run noKey = agent("validate");
        assertEquals(ExitCodes.USAGE, noKey.code(), noKey.toString());
        assertTrue(noKey.err().contains("GPU_AGENT_LICENSE_KEY"), noKey.err());
        env.put("GPU_AGENT_LICENSE_KEY", key.text());

        env.remove("GPU_AGENT_PINNED_KEYS");
        Run noPins = agent("validate");
        assertEquals(ExitCodes.USAGE, noPins.code(), noPins.toString());
        assertTrue(noPins.err().contains("pinned keys"), noPins.err());
    }

    @Test
    void privateKeysAreNeverPinned() throws IOException {
        Path leaked = dir.resolve("private-jwks.json");
        Files.writeString(leaked, VENDOR.privateJwkSetJson());
        env.put("GPU_AGENT_VALIDATOR_URL", "http://127.0.0.1:9");
        Run r = agent("validate", "--pinned-keys", leaked.toString());
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
    }

    @Test
    void unreachableValidatorWithoutLeaseCannotConfirm() {
        env.put("GPU_AGENT_VALIDATOR_URL", "http://127.0.0.1:" + closedPort());
        Run r = agent("validate", "--usage", "cuda.shares=2.5,cuda.device=1");
        assertEquals(ExitCodes.UNCONFIRMED, r.code(), r.toString());
        assertTrue(r.out().contains("code:        UNCONFIRMED (not usable)"), r.out());
        assertTrue(r.out().contains("source:      NONE"), r.out());

        Run offline = agent("check");
        assertEquals(ExitCodes.UNCONFIRMED, offline.code(), offline.toString());

        Run activate = agent("activate");
        assertEquals(ExitCodes.UNCONFIRMED, activate.code(), activate.toString());
        assertTrue(activate.out().contains("outcome:     UNAVAILABLE"), activate.out());
    }

    @Test
    void malformedKeyIsRefusedWithoutAsking() {
        env.put("GPU_AGENT_VALIDATOR_URL", "http://127.0.0.1:" + closedPort());
        env.put("GPU_AGENT_LICENSE_KEY", "LK1-NOT-A-REAL-KEY");
        Run r = agent("validate");
        assertEquals(ExitCodes.REFUSED, r.code(), r.toString());
        assertTrue(r.out().contains("MALFORMED_KEY"), r.out());
    }

    @Test
    void airGappedLicenseFileWithDecimalLimits() throws IOException {
        Path file = dir.resolve("acme.lic.jwe");
        Files.writeString(file, licenseFile(VENDOR, key, NOW.plus(365, ChronoUnit.DAYS)));
        env.put("GPU_AGENT_LICENSE_FILE", file.toString());

        Run status = agent("status");
        assertEquals(ExitCodes.USABLE, status.code(), status.toString());
        assertTrue(status.out().contains("source:      LICENSE_FILE"), status.out());
        assertTrue(status.out().contains("limits:      cuda.device=2 cuda.shares=16 nodes=4"), status.out());
        assertTrue(status.out().contains("features:    mig"), status.out());

        Run fits = agent("check", "--usage", "cuda.shares=15.5,cuda.device=1");
        assertEquals(ExitCodes.USABLE, fits.code(), fits.toString());
        Run exactly = agent("validate", "--usage", "cuda.shares=16.000");
        assertEquals(ExitCodes.USABLE, exactly.code(), exactly.toString());
        Run over = agent("check", "--usage", "cuda.shares=16.5");
        assertEquals(ExitCodes.LIMIT_EXCEEDED, over.code(), over.toString());
        assertTrue(over.out().contains("exceeded:    cuda.shares"), over.out());

        Run activate = agent("activate");
        assertEquals(ExitCodes.USAGE, activate.code(), "no seat to claim without a validator: " + activate);
    }

    @Test
    void licenseFileFromAnotherSignerOrExpiredIsNotUsable() throws IOException {
        Path file = dir.resolve("acme.lic.jwe");
        env.put("GPU_AGENT_LICENSE_FILE", file.toString());

        Files.writeString(file, licenseFile(STRANGER, key, NOW.plus(30, ChronoUnit.DAYS)));
        Run forged = agent("check");
        assertEquals(ExitCodes.UNCONFIRMED, forged.code(), forged.toString());
        assertTrue(forged.out().contains("INVALID_LICENSE_FILE"), forged.out());

        Files.writeString(file, licenseFile(VENDOR, key, NOW.minus(30, ChronoUnit.DAYS)));
        Run expired = agent("check");
        assertEquals(ExitCodes.REFUSED, expired.code(), expired.toString());
        assertTrue(expired.out().contains("code:        EXPIRED"), expired.out());
    }

    @Test
    void usageParsingIsExact() throws AgentOptions.UsageException {
        Map<String, BigDecimal> usage = AgentOptions.parsePairs("cuda.shares=2.5, cuda.device=1,mem=0.1", "usage");
        assertEquals(new BigDecimal("2.5"), usage.get("cuda.shares"));
        assertEquals(new BigDecimal("0.1"), usage.get("mem"));
        assertEquals(3, usage.size());
    }

    private static String licenseFile(SigningKeys signer, LicenseKey key, Instant expiresAt) {
        LicenseDocument doc = new LicenseDocument(key.licenseId().toString(), "cust-1", "Acme GPU Cloud",
                AgentOptions.DEFAULT_PRODUCT, Map.of("mig", true),
                Map.of("cuda.shares", new BigDecimal("16"), "cuda.device", new BigDecimal("2"),
                        "nodes", new BigDecimal("4")),
                1, expiresAt.minus(400, ChronoUnit.DAYS), expiresAt.minus(400, ChronoUnit.DAYS), expiresAt, 0);
        return checkout(doc, signer, key, "gpu-node-1", 1);
    }

    /** What the vendor's issuer answers a checkout request with: bound to {@code fp} and the key. */
    private static String checkout(LicenseDocument doc, SigningKeys signer, LicenseKey key, String fp, long seq) {
        CheckoutDocument c = new CheckoutDocument(UUID.randomUUID(), doc, fp, seq, doc.issuedAt(), doc.expiresAt(),
                null);
        return CheckoutFiles.encrypt(CheckoutFiles.sign(c, "https://licensing.dev/issuer", signer), key.licenseId(),
                key.secretHash(), fp);
    }

    @Test
    void airGappedCheckoutRequestInstallAndReturn() throws Exception {
        Path installed = dir.resolve("license.jwe");
        env.put("GPU_AGENT_LICENSE_FILE", installed.toString());
        Path request = dir.resolve("request.json");
        Run asked = agent("checkout-request", "--label", "dgx-a-01", "--out", request.toString());
        assertEquals(ExitCodes.USABLE, asked.code(), asked.toString());
        String requestText = Files.readString(request);
        CheckoutRequest r = CheckoutRequest.parse(requestText);
        assertEquals(key.licenseId(), r.licenseId());
        assertEquals("gpu-node-1", r.fingerprint());
        assertEquals(AgentOptions.DEFAULT_PRODUCT, r.productCode());
        assertTrue(!requestText.contains(key.text()), "no secret in the request");

        // The vendor answers the request: a checkout for the machine it names.
        LicenseDocument doc = new LicenseDocument(r.licenseId().toString(), "cust-1", null, r.productCode(),
                Map.of("mig", true), Map.of("cuda.shares", new BigDecimal("16")), 1, NOW.minus(1, ChronoUnit.DAYS),
                NOW.minus(1, ChronoUnit.DAYS), NOW.plus(90, ChronoUnit.DAYS), 0);
        Path incoming = Files.writeString(dir.resolve("from-vendor.jwe"), checkout(doc, VENDOR, key, r.fingerprint(), 1));
        Run install = agent("install-checkout", "--from", incoming.toString());
        assertEquals(ExitCodes.USABLE, install.code(), install.toString());
        assertTrue(Files.exists(installed));
        assertEquals(ExitCodes.USABLE, agent("check", "--usage", "cuda.shares=16").code());

        // A checkout for another machine is refused and leaves the installed one alone.
        Path other = Files.writeString(dir.resolve("other.jwe"), checkout(doc, VENDOR, key, "gpu-node-2", 2));
        Run refused = agent("install-checkout", "--from", other.toString());
        assertEquals(ExitCodes.UNCONFIRMED, refused.code(), refused.toString());
        assertTrue(refused.out().contains("another machine") && refused.out().contains("installed:   nothing"),
                refused.out());
        assertEquals(Files.readString(incoming), Files.readString(installed));

        Path returned = dir.resolve("return.json");
        Run ret = agent("return-checkout", "--out", returned.toString());
        assertEquals(ExitCodes.USABLE, ret.code(), ret.toString());
        assertTrue(!Files.exists(installed), "the checkout is deleted");
        assertTrue(CheckoutReturn.parse(Files.readString(returned)).verify(key.secretHash()));
        Files.copy(incoming, installed);
        Run copy = agent("check");
        assertEquals(ExitCodes.UNCONFIRMED, copy.code(), "a copy of the returned checkout: " + copy);

        env.remove("GPU_AGENT_LICENSE_FILE");
        env.put("GPU_AGENT_VALIDATOR_URL", "http://127.0.0.1:9");
        assertEquals(ExitCodes.USAGE, agent("checkout-request").code(), "where would the checkout go?");
        assertEquals(ExitCodes.USAGE, agent("validate", "--label", "x").code());
    }

    private static int closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
