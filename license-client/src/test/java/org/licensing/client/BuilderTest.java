package org.licensing.client;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuilderTest {

    @TempDir
    Path tmp;

    @Test
    void incompleteOrInvalidConfigurationIsMisuse() throws Exception {
        try (Fixture f = new Fixture(tmp)) {
            assertDoesNotThrow(() -> f.builder().build().close());
            assertThrows(LicenseClientException.class, () -> f.builder().productCode(null).build());
            assertThrows(LicenseClientException.class, () -> f.builder().productCode("x".repeat(65)).build());
            assertThrows(LicenseClientException.class, () -> f.builder().licenseKey(null).build());
            assertThrows(LicenseClientException.class, () -> f.builder().fingerprint(null).build());
            assertThrows(LicenseClientException.class, () -> f.builder().connectTimeout(Duration.ZERO).build());
            assertThrows(LicenseClientException.class, () -> f.builder().requestTimeout(Duration.ofSeconds(-1)).build());
            assertThrows(LicenseClientException.class, () -> f.builder().clockTolerance(Duration.ofSeconds(-1)).build());
            assertThrows(LicenseClientException.class, () -> f.builder().heartbeatInterval(Duration.ZERO).build());
            assertThrows(LicenseClientException.class, () -> f.builder().licenseFileText("x").build(),
                    "a validator URL and a license file");
        }
    }

    @Test
    void theKeyNeverTravelsInPlainHttpOffTheMachine() throws Exception {
        try (Fixture f = new Fixture(tmp)) {
            LicenseClientException e = assertThrows(LicenseClientException.class,
                    () -> f.builder().validatorUrl("http://validator.example.com").build());
            assertTrue(e.getMessage().contains("https"), e.getMessage());
            assertThrows(LicenseClientException.class, () -> f.builder().validatorUrl("ftp://127.0.0.1").build());
            assertThrows(LicenseClientException.class, () -> f.builder().validatorUrl("https://v.example?x=1").build());
            assertDoesNotThrow(() -> f.builder().validatorUrl("https://validator.example.com/licensing/").build().close());
            assertDoesNotThrow(() -> f.builder().validatorUrl("http://localhost:8081").build().close());
        }
    }

    @Test
    void aValidatorUnderAPathPrefixIsReachable() throws Exception {
        try (Fixture f = new Fixture(tmp);
                LicenseClient client = f.builder().validatorUrl(f.validator.url() + "/").build()) {
            assertTrue(client.validate().usable());
            assertTrue(client.toString().contains("online"));
        }
    }
}
