package org.licensing.client;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.licensing.core.json.Json;

/**
 * What the client keeps between runs, in the cache directory (or in memory when there is none):
 * <ul>
 *   <li>{@value #RECEIPT}: the latest verified receipt, exactly as signed (re-verified whenever it is read);</li>
 *   <li>{@value #CLOCK}: the latest trusted time and the highest checkout sequence seen,
 *       {@code {"v":1,"trusted_time":<epoch seconds>,"checkout_seq":<n>}} (not signed: it only ever raises the floor
 *       that the signed {@code iat} already sets);</li>
 *   <li>{@value #KEY_SET}: the latest accepted signed key set (re-verified against the pinned keys when read);</li>
 *   <li>{@value #RETURNED}: the highest checkout sequence number this machine returned,
 *       {@code {"v":1,"returned_seq":<n>}}: that checkout and older ones are not used again;</li>
 *   <li>{@value #LEASE}: relay mode's held lease, exactly as the relay answered it,
 *       {@code {"v":1,"lease":"<JWS>","checkout_file":"<JWE>","nonce":"…"}} (re-verified through the whole chain
 *       when read), so a restarted product answers from it while the relay is away.</li>
 * </ul>
 * Files are written atomically (temp file in the same directory, fsync, atomic move), mode 0600 and the directory
 * 0700 where POSIX permissions exist. Not thread-safe on its own: each file has one owner that serializes its
 * access ({@link ReceiptCache}, {@link TrustedClock}, {@link KeyRefresh}).
 */
final class CacheStore {

    static final String RECEIPT = "receipt.jws";
    static final String CLOCK = "clock.json";
    static final String KEY_SET = "keys.jws";
    static final String RETURNED = "returned.json";
    static final String LEASE = "lease.json";
    /** Largest file read back (a receipt is well under 2 KiB; a JWS is at most 64 Ki characters). */
    static final int MAX_FILE = 128 * 1024;

    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

    private final Path dir; // null: memory only
    private final boolean posix;
    private final Map<String, String> memory = new ConcurrentHashMap<>();

    private CacheStore(Path dir) {
        this.dir = dir;
        this.posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    static CacheStore inMemory() {
        return new CacheStore(null);
    }

    /**
     * The store in {@code dir}, created (mode 0700) when missing.
     *
     * @throws LicenseClientException when it is not a directory, or cannot be created, read or written
     */
    static CacheStore inDirectory(Path dir) {
        CacheStore store = new CacheStore(dir.toAbsolutePath().normalize());
        store.prepare();
        return store;
    }

    Path directory() {
        return dir;
    }

    private void prepare() {
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(dir)) {
                if (posix) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
                    Files.setPosixFilePermissions(dir, DIR_MODE); // the umask may have narrowed it further; never wider
                } else {
                    Files.createDirectories(dir);
                }
            }
            if (!Files.isDirectory(dir)) {
                throw new LicenseClientException("Cache directory " + dir + " is not a directory");
            }
            if (!Files.isReadable(dir) || !Files.isWritable(dir) || !Files.isExecutable(dir)) {
                throw new LicenseClientException("Cache directory " + dir + " cannot be read and written");
            }
            // Prove it is writable (permission bits say nothing for root or read-only file systems).
            Path probe = Files.createTempFile(dir, ".probe-", ".tmp", fileAttributes());
            Files.delete(probe);
        } catch (IOException e) {
            throw new LicenseClientException("Cache directory " + dir + " is not usable: " + e, e);
        }
    }

    /** The receipt text, or null when there is none. */
    String readReceipt() throws IOException {
        return read(RECEIPT);
    }

    void writeReceipt(String compact) throws IOException {
        write(RECEIPT, compact);
    }

    String readKeySet() throws IOException {
        return read(KEY_SET);
    }

    void writeKeySet(String jws) throws IOException {
        write(KEY_SET, jws);
    }

    /** Relay mode's held lease file, or null when there is none. */
    String readLease() throws IOException {
        return read(LEASE);
    }

    void writeLease(String json) throws IOException {
        write(LEASE, json);
    }

    /** Forgets the held lease (released, ended, or lost on the relay's side). */
    void deleteLease() throws IOException {
        if (dir == null) {
            memory.remove(LEASE);
        } else {
            Files.deleteIfExists(dir.resolve(LEASE));
        }
    }

    /** The highest checkout sequence returned from this machine (0: none, or unreadable). */
    long readReturnedSeq() {
        try {
            String text = read(RETURNED);
            return text != null && Json.parseObject(text).get("returned_seq") instanceof BigDecimal d
                    ? d.longValueExact() : 0;
        } catch (IOException | Json.JsonException | ArithmeticException e) {
            return 0;
        }
    }

    void writeReturnedSeq(long seq) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", 1);
        m.put("returned_seq", seq);
        write(RETURNED, Json.write(m));
    }

    /** The stored trusted time, or null when there is none or it cannot be read (the signed iat still applies). */
    Instant readTrustedTime() {
        return readClock().trusted();
    }

    /**
     * The stored clock state; {@link ClockState#NONE} when there is none or it cannot be read (the signed iat still
     * applies, and every checkout counts as newer).
     */
    ClockState readClock() {
        try {
            String text = read(CLOCK);
            if (text == null) {
                return ClockState.NONE;
            }
            Map<String, Object> json = Json.parseObject(text);
            Object t = json.get("trusted_time");
            Object seq = json.get("checkout_seq");
            return new ClockState(t instanceof BigDecimal d ? Instant.ofEpochSecond(d.longValueExact()) : null,
                    seq instanceof BigDecimal q ? q.longValueExact() : 0);
        } catch (IOException | Json.JsonException | ArithmeticException | java.time.DateTimeException e) {
            return ClockState.NONE;
        }
    }

    void writeTrustedTime(Instant t) throws IOException {
        writeClock(new ClockState(t, readClock().checkoutSeq()));
    }

    void writeClock(ClockState state) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", 1);
        if (state.trusted() != null) {
            m.put("trusted_time", state.trusted().getEpochSecond());
        }
        if (state.checkoutSeq() > 0) {
            m.put("checkout_seq", state.checkoutSeq());
        }
        write(CLOCK, Json.write(m));
    }

    /**
     * What {@value #CLOCK} holds.
     *
     * @param trusted the latest trusted time, or null
     * @param checkoutSeq the highest checkout sequence number seen (0: none): only a higher one resets the time
     */
    record ClockState(Instant trusted, long checkoutSeq) {
        static final ClockState NONE = new ClockState(null, 0);
    }

    private String read(String name) throws IOException {
        if (dir == null) {
            return memory.get(name);
        }
        Path p = dir.resolve(name);
        byte[] bytes;
        try (InputStream in = Files.newInputStream(p)) {
            bytes = in.readNBytes(MAX_FILE + 1);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (bytes.length > MAX_FILE) {
            throw new IOException("Cache file " + p + " is larger than " + MAX_FILE + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private void write(String name, String content) throws IOException {
        if (dir == null) {
            memory.put(name, content);
            return;
        }
        Path target = dir.resolve(name);
        Path tmp = Files.createTempFile(dir, "." + name + ".", ".tmp", fileAttributes());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private FileAttribute<?>[] fileAttributes() {
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)} : new FileAttribute<?>[0];
    }
}
