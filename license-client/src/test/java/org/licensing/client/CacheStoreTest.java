package org.licensing.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache files on their own: the 128 KiB read bound, exactly, and the trusted-time format. */
class CacheStoreTest {

    @TempDir
    Path tmp;

    @Test
    void aCacheFileOfExactly128KiBIsReadAndOneByteMoreIsRefused() throws Exception {
        assertEquals(128 * 1024, CacheStore.MAX_FILE);
        CacheStore store = CacheStore.inDirectory(tmp);
        Files.writeString(tmp.resolve(CacheStore.RECEIPT), "r".repeat(CacheStore.MAX_FILE));
        assertEquals(CacheStore.MAX_FILE, store.readReceipt().length());
        Files.writeString(tmp.resolve(CacheStore.RECEIPT), "r".repeat(CacheStore.MAX_FILE + 1));
        IOException e = assertThrows(IOException.class, store::readReceipt);
        assertTrue(e.getMessage().contains("larger than 131072"), e.getMessage());
        Files.writeString(tmp.resolve(CacheStore.KEY_SET), "k".repeat(CacheStore.MAX_FILE + 1));
        assertThrows(IOException.class, store::readKeySet);
    }

    @Test
    void trustedTimeRoundTripsAndAnUnreadableOneIsNone() throws Exception {
        CacheStore store = CacheStore.inDirectory(tmp);
        assertNull(store.readTrustedTime());
        Instant t = Instant.parse("2026-03-01T12:00:00Z");
        store.writeTrustedTime(t);
        assertEquals(t, CacheStore.inDirectory(tmp).readTrustedTime());
        Files.writeString(tmp.resolve(CacheStore.CLOCK), "{\"v\":1,\"trusted_time\":1,\"trusted_time\":2}");
        assertNull(store.readTrustedTime(), "duplicate members: not believed");
    }
}
