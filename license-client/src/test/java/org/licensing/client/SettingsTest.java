package org.licensing.client;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builder's checks on their own. */
class SettingsTest {

    static Settings online(String url, Path file, Duration tolerance) {
        return new Settings(url == null ? null : URI.create(url), "p", "LK1-x", "{}", null, FingerprintStrategy.none(),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Clock.systemUTC(), tolerance, null, file, null, null, null);
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
