package org.licensing.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.key.LicenseKey;

/** License-file mode on its own: the 128 KiB bound on the file, and a replaced file read again. */
class LicenseFileModeTest {

    @TempDir
    Path tmp;
    final TestClock clock = new TestClock();
    final LicenseKey key = LicenseKey.generate(UUID.randomUUID());
    final SigningKeys issuer = SigningKeys.generate("issuer-1");

    LicenseFileMode mode(Path file) {
        CacheStore store = CacheStore.inMemory();
        return new LicenseFileMode(file, null, FakeValidator.PRODUCT, key,
                new Fingerprints(FingerprintStrategy.supplied("host-1"), FakeValidator.PRODUCT),
                Trust.pinned(issuer.publicJwkSetJson()), new TrustedClock(store, clock, Duration.ofHours(1)),
                new Returns(store));
    }

    @Test
    void aFileOfExactly128KiBIsReadAndOneByteMoreIsNot() throws Exception {
        Path file = tmp.resolve("license.jwe");
        Files.writeString(file, "x".repeat(LicenseFileMode.MAX_LICENSE_FILE));
        LicenseAnswer read = mode(file).answer(Map.of());
        assertEquals(LicenseCode.INVALID_LICENSE_FILE, read.code(), "read, then refused as no JWS: " + read.detail());
        Files.writeString(file, "x".repeat(LicenseFileMode.MAX_LICENSE_FILE + 1));
        LicenseAnswer big = mode(file).answer(Map.of());
        assertEquals(LicenseCode.UNCONFIRMED, big.code());
        assertTrue(big.detail().contains("larger than 131072 bytes"), big.detail());
    }
}
