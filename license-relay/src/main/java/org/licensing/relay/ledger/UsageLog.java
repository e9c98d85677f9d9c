package org.licensing.relay.ledger;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.licensing.relay.site.AtomicFiles;
import org.licensing.relay.site.RelayKey;

/**
 * The append-only, hash-chained usage log ({@code usage.log}): one JSON record per line,
 * <pre>
 * {"seq":7,"prev":"&lt;hex SHA-256 of line 6&gt;","at":1765100000123,"type":"grant","lease":"…","node":"…",
 *  "q":{"cuda.device":"8"},"until":1765100120,"sig":"&lt;base64url Ed25519&gt;"}
 * </pre>
 * {@code sig} is the relay key's signature of the line without its {@code ,"sig":"…"} member (the bytes before it,
 * then {@code }}); a record's hash is the SHA-256 of its whole line. So a changed record breaks its signature and the
 * next record's {@code prev}, a removed or reordered one breaks {@code seq} and {@code prev}. Record 0 is the
 * genesis (prev: 64 zeros).
 *
 * <p>It is the relay's source of truth: leases are rebuilt from it on start. {@link #append} writes under the
 * relay's lock (so records are in decision order) without waiting for the disk; {@link #syncUpTo} forces it to disk
 * before the answer goes out, and one fsync covers every record written meanwhile (group commit). A last line
 * without its newline is a write a crash cut short, never answered: the writer drops it on open.
 */
public final class UsageLog implements AutoCloseable {

    public static final String FILE = "usage.log";
    public static final String FORMAT = "licensing.relay-log.v1";
    public static final String ZERO_HASH = "0".repeat(64);
    /** Longest line read back; records are a few hundred bytes. */
    private static final int MAX_LINE = 64 * 1024;

    private final Path file;
    private final RelayKey key;
    private final FileChannel channel;
    private final Object syncLock = new Object();
    private long nextSeq;
    private String lastHash;
    private long lastAt;
    private volatile long writtenSeq;
    private long durableSeq; // guarded by syncLock

    private UsageLog(Path file, RelayKey key, FileChannel channel, long nextSeq, String lastHash, long lastAt) {
        this.file = file;
        this.key = key;
        this.channel = channel;
        this.nextSeq = nextSeq;
        this.lastHash = lastHash;
        this.lastAt = lastAt;
        this.writtenSeq = nextSeq - 1;
        this.durableSeq = nextSeq - 1;
    }

    /**
     * A new log on {@code dataDir} holding only the genesis record (written atomically: a crash leaves no log or a
     * whole one).
     */
    public static UsageLog create(Path dataDir, RelayKey key, Map<String, Object> genesis, long atMillis)
            throws IOException {
        Path file = dataDir.resolve(FILE);
        if (Files.exists(file)) {
            throw new IOException(file + " already exists");
        }
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("format", FORMAT);
        members.put("relay_kid", key.kid());
        members.put("relay_x", Base64.getUrlEncoder().withoutPadding().encodeToString(key.x()));
        members.putAll(genesis);
        String line = line(key, 0, ZERO_HASH, atMillis, LogRecord.Type.GENESIS, members);
        AtomicFiles.write(file, (line + "\n").getBytes(StandardCharsets.UTF_8), false);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
        ch.position(ch.size());
        return new UsageLog(file, key, ch, 1, sha256(line), atMillis);
    }

    /**
     * Opens the log for appending after verifying every record ({@code visitor} sees each in order: the replay).
     * A torn last line (no newline) is cut off first.
     *
     * @throws LedgerTamperedException when a record is changed, missing, out of order or not signed by {@code key}
     */
    public static UsageLog open(Path dataDir, RelayKey key, Consumer<LogRecord> visitor)
            throws IOException, LedgerTamperedException {
        Path file = dataDir.resolve(FILE);
        Scan scan = scan(file, key, visitor);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
        if (scan.validBytes < ch.size()) {
            ch.truncate(scan.validBytes);
            ch.force(true);
        }
        ch.position(scan.validBytes);
        return new UsageLog(file, key, ch, scan.nextSeq, scan.lastHash, scan.lastAt);
    }

    /**
     * Reads and verifies the log without changing it (the report command, while the relay may be appending: a
     * torn last line is skipped).
     */
    public static void read(Path dataDir, RelayKey key, Consumer<LogRecord> visitor)
            throws IOException, LedgerTamperedException {
        scan(dataDir.resolve(FILE), key, visitor);
    }

    private record Scan(long nextSeq, String lastHash, long lastAt, long validBytes) {
    }

    private static Scan scan(Path file, RelayKey key, Consumer<LogRecord> visitor)
            throws IOException, LedgerTamperedException {
        if (!Files.exists(file)) {
            throw new LedgerTamperedException(file + " is missing: the usage log of this relay was removed");
        }
        long expected = 0;
        String prev = ZERO_HASH;
        long lastAt = Long.MIN_VALUE;
        long valid = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch),
                        StandardCharsets.UTF_8), 64 * 1024)) {
            StringBuilder sb = new StringBuilder(512);
            int c;
            while (true) {
                sb.setLength(0);
                boolean newline = false;
                while ((c = in.read()) >= 0) {
                    if (c == '\n') {
                        newline = true;
                        break;
                    }
                    if (sb.length() >= MAX_LINE) {
                        throw new LedgerTamperedException("Usage log record " + expected + " is longer than "
                                + MAX_LINE + " characters");
                    }
                    sb.append((char) c);
                }
                if (!newline) {
                    break; // end of file, or a torn last line a crash cut short (never answered)
                }
                String line = sb.toString();
                LogRecord r = verify(line, expected, prev, key);
                if (r.at() < lastAt) {
                    throw new LedgerTamperedException("Usage log record " + expected + " is dated before record "
                            + (expected - 1) + ": records were reordered");
                }
                if (expected == 0 && r.type() != LogRecord.Type.GENESIS) {
                    throw new LedgerTamperedException("Usage log does not start with its genesis record");
                }
                if (expected > 0 && r.type() == LogRecord.Type.GENESIS) {
                    throw new LedgerTamperedException("Usage log record " + expected + " is a second genesis");
                }
                visitor.accept(r);
                prev = r.hash();
                lastAt = r.at();
                expected++;
                valid += line.getBytes(StandardCharsets.UTF_8).length + 1;
            }
        }
        if (expected == 0) {
            throw new LedgerTamperedException(file + " holds no genesis record: the usage log was emptied");
        }
        return new Scan(expected, prev, lastAt, valid);
    }

    private static LogRecord verify(String line, long expected, String prev, RelayKey key)
            throws LedgerTamperedException {
        String where = "Usage log record " + expected;
        int idx = line.lastIndexOf(",\"sig\":\"");
        if (idx < 0 || !line.endsWith("\"}")) {
            throw new LedgerTamperedException(where + " has no signature");
        }
        byte[] signed = (line.substring(0, idx) + "}").getBytes(StandardCharsets.UTF_8);
        byte[] sig;
        try {
            sig = Base64.getUrlDecoder().decode(line.substring(idx + 8, line.length() - 2));
        } catch (IllegalArgumentException e) {
            throw new LedgerTamperedException(where + " has a malformed signature");
        }
        if (!key.verifyRaw(signed, sig)) {
            throw new LedgerTamperedException(where + " was changed, or not written by relay key " + key.kid()
                    + " (its signature does not match)");
        }
        Map<String, Object> json;
        try {
            json = JSONObjectUtils.parse(line);
        } catch (ParseException e) {
            throw new LedgerTamperedException(where + " is not JSON");
        }
        Object seq = json.remove("seq");
        Object p = json.remove("prev");
        Object at = json.remove("at");
        Object type = json.remove("type");
        json.remove("sig");
        if (!(seq instanceof Number n) || n.longValue() != expected) {
            throw new LedgerTamperedException(where + " is numbered " + seq + ": a record was removed or reordered");
        }
        if (!prev.equals(p)) {
            throw new LedgerTamperedException(where + " does not follow record " + (expected - 1)
                    + " (its prev hash differs): a record before it was changed, removed or reordered");
        }
        LogRecord.Type t = type instanceof String s ? LogRecord.Type.ofWire(s) : null;
        if (t == null || !(at instanceof Number atn)) {
            throw new LedgerTamperedException(where + " has no valid type or time");
        }
        return new LogRecord(expected, prev, atn.longValue(), t, json, sha256(line));
    }

    /**
     * Appends a record (not yet on disk: {@link #syncUpTo}); its time is {@code atMillis}, or the previous
     * record's when the clock went back. The caller serialises appends (the relay's lock).
     */
    public LogRecord append(LogRecord.Type type, Map<String, Object> members, long atMillis) throws IOException {
        long at = Math.max(atMillis, lastAt);
        long seq = nextSeq;
        String line = line(key, seq, lastHash, at, type, members);
        ByteBuffer buf = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        long start = channel.position();
        try {
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        } catch (IOException e) {
            // Leave no partial record behind a failed write, so the next append starts a clean line.
            channel.truncate(start);
            channel.position(start);
            throw e;
        }
        String hash = sha256(line);
        LogRecord r = new LogRecord(seq, lastHash, at, type, Map.copyOf(members), hash);
        lastHash = hash;
        lastAt = at;
        nextSeq = seq + 1;
        writtenSeq = seq;
        return r;
    }

    /** Returns once every record up to {@code seq} is on disk; one fsync serves all writers waiting meanwhile. */
    public void syncUpTo(long seq) throws IOException {
        synchronized (syncLock) {
            if (durableSeq >= seq) {
                return;
            }
            long target = writtenSeq;
            channel.force(false);
            durableSeq = target;
        }
    }

    /** Hash of the last record (what the next one names as prev). */
    public String headHash() {
        return lastHash;
    }

    /** Sequence number of the last record. */
    public long headSeq() {
        return nextSeq - 1;
    }

    public long lastAt() {
        return lastAt;
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Quantities as the log writes them: exact decimal strings. */
    public static Map<String, Object> decimals(Map<String, BigDecimal> q) {
        Map<String, Object> out = new TreeMap<>();
        q.forEach((k, v) -> out.put(k, v.toPlainString()));
        return out;
    }

    static String line(RelayKey key, long seq, String prev, long at, LogRecord.Type type,
            Map<String, Object> members) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("seq", seq);
        body.put("prev", prev);
        body.put("at", at);
        body.put("type", type.wire());
        members.forEach((k, v) -> {
            if (!body.containsKey(k) && !"sig".equals(k)) {
                body.put(k, v);
            }
        });
        String json = JSONObjectUtils.toJSONString(body);
        String sig = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(key.signRaw(json.getBytes(StandardCharsets.UTF_8)));
        return json.substring(0, json.length() - 1) + ",\"sig\":\"" + sig + "\"}";
    }

    /** Hex SHA-256 of the UTF-8 bytes of {@code s}. */
    public static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "UsageLog[" + file + ", head " + headSeq() + "]";
    }
}
