package org.licensing.client;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.licensing.core.key.LicenseKey;

/** One license, one fake validator, one test clock and a cache directory: what most tests start from. */
final class Fixture implements AutoCloseable {

    static final String FINGERPRINT = "host-test-machine-1";

    final TestClock clock = new TestClock();
    final LicenseKey key = LicenseKey.generate(UUID.randomUUID());
    final FakeValidator validator;
    final Path cacheDir;

    Fixture(Path tempDir) throws IOException {
        this.validator = new FakeValidator(clock);
        this.cacheDir = tempDir.resolve("cache");
    }

    String licenseId() {
        return key.licenseId().toString();
    }

    /** A builder against the fake validator with the pinned receipt keys, cache, test clock and short timeouts. */
    LicenseClient.Builder builder() {
        return LicenseClient.builder()
                .validatorUrl(validator.url())
                .productCode(FakeValidator.PRODUCT)
                .licenseKey(key.text())
                .pinnedKeys(validator.pinnedJwks())
                .cacheDirectory(cacheDir)
                .fingerprint(FingerprintStrategy.supplied(FINGERPRINT))
                .connectTimeout(Duration.ofMillis(500))
                .requestTimeout(Duration.ofMillis(700))
                .clock(clock);
    }

    LicenseClient client() {
        return builder().build();
    }

    static BigDecimal dec(String s) {
        return new BigDecimal(s);
    }

    @Override
    public void close() {
        validator.close();
    }
}
