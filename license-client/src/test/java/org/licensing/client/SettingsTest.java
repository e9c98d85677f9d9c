package org.licensing.client;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The builder's checks on their own. */
class SettingsTest {

    static Settings online(String url, Path file, Duration tolerance) {
        return new Settings(url == null ? null : URI.create(url), null, null, "p", "LK1-x", "{}", null,
                FingerprintStrategy.none(), Duration.ofSeconds(1), Duration.ofSeconds(1), Clock.systemUTC(), tolerance,
                null, file, null, null, null);
    }

    static Settings relay(String url, FingerprintStrategy fp, Map<String, BigDecimal> quantities) {
        return new Settings(null, URI.create(url), quantities, "p", "LK1-x", "{}", null, fp, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Clock.systemUTC(), Duration.ZERO, null, null, null, null, null);
    }

    @Test
    void relayModeNeedsANodeAndWhatItLeasesAndAllowsPlainHttpOnTheSite() {
        FingerprintStrategy node = FingerprintStrategy.supplied("node-1");
        Map<String, BigDecimal> gpus = Map.of("cuda.device", new BigDecimal("2"));
        // No secret travels to a relay (its answers are checked against the pinned keys): http on the site is fine.
        assertTrue(relay("http://license-relay.license-relay.svc:8080", node, gpus).checked().relayUrl() != null);
        assertThrows(LicenseClientException.class, () -> relay("http://relay:8080", null, gpus).checked());
        assertThrows(LicenseClientException.class, () -> relay("http://relay:8080", node, Map.of()).checked());
        assertThrows(LicenseClientException.class, () -> relay("http://relay:8080", node,
                Map.of("cuda.shares", new BigDecimal("0.0000001"))).checked(), "at most 6 decimal places");
        assertThrows(LicenseClientException.class, () -> relay("ftp://relay", node, gpus).checked());
        assertThrows(LicenseClientException.class, () -> new Settings(URI.create("https://v.example"),
                URI.create("http://relay:8080"), gpus, "p", "LK1-x", "{}", null, node, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Clock.systemUTC(), Duration.ZERO, null, null, null, null, null).checked(),
                "a validator and a relay at once");
    }

    @Test
    void exactlyOneSourceAndASafeUrl() {
        assertTrue(online("https://validator.example", null, Duration.ZERO).checked().validatorUrl() != null);
        assertTrue(online(null, Path.of("license.jwe"), Duration.ZERO).checked().fileMode());
        assertThrows(LicenseClientException.class, () -> online(null, null, Duration.ZERO).checked());
        assertThrows(LicenseClientException.class,
                () -> online("https://v.example", Path.of("license.jwe"), Duration.ZERO).checked());
        assertThrows(LicenseClientException.class, () -> online("http://v.example", null, Duration.ZERO).checked(),
                "the key must not travel in clear text");
        assertTrue(online("http://127.0.0.1:8080", null, Duration.ZERO).checked().validatorUrl() != null);
        assertThrows(LicenseClientException.class, () -> online("https://v.example/?q=1", null, Duration.ZERO)
                .checked());
        assertThrows(LicenseClientException.class,
                () -> online("https://v.example", null, Duration.ofSeconds(-1)).checked());
    }
}
