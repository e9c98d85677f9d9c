package org.licensing.relay.http;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.key.LicenseKey;

/**
 * A fresh site for the HTTP tests: a test vendor key (private part kept in {@code target/relay-http-test/} for the
 * test to make checkouts with; the relay gets the public set), a license key, an admin token and an empty data
 * directory, handed to the relay as its configuration.
 */
public class RelayTestResource implements QuarkusTestResourceLifecycleManager {

    static final Path DIR = Path.of("target", "relay-http-test").toAbsolutePath();
    static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdef0123456789";
    static final String SITE = "host-" + "7".repeat(64);

    @Override
    public Map<String, String> start() {
        try {
            if (Files.exists(DIR)) {
                try (Stream<Path> s = Files.walk(DIR)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(DIR);
            SigningKeys vendor = SigningKeys.generate("vendor-1");
            Files.writeString(DIR.resolve("vendor-private.json"), vendor.privateJwkSetJson());
            Files.writeString(DIR.resolve("vendor-keys.json"), vendor.publicJwkSetJson());
            LicenseKey key = LicenseKey.generate(UUID.randomUUID());
            Files.writeString(DIR.resolve("license-key"), key.text() + "\n");
            Files.writeString(DIR.resolve("admin-token"), ADMIN_TOKEN + "\n", StandardCharsets.UTF_8);
            return Map.of(
                    "licensing.relay.data-dir", DIR.resolve("data").toString(),
                    "licensing.relay.license-key-file", DIR.resolve("license-key").toString(),
                    "licensing.relay.product", "gpu-cluster",
                    "licensing.relay.fingerprint.strategy", "supplied",
                    "licensing.relay.fingerprint.value", SITE,
                    "licensing.relay.vendor-keys-file", DIR.resolve("vendor-keys.json").toString(),
                    "licensing.relay.vendor-issuer", "https://issuer.licensing.test",
                    "licensing.relay.admin-token-file", DIR.resolve("admin-token").toString(),
                    "licensing.relay.tick-interval", "PT1S");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
    }

    static SigningKeys vendorKeys() throws IOException {
        return SigningKeys.fromJwkSet("vendor-1", Files.readString(DIR.resolve("vendor-private.json")));
    }

    static LicenseKey licenseKey() throws IOException {
        return LicenseKey.parse(Files.readString(DIR.resolve("license-key")).strip());
    }
}
