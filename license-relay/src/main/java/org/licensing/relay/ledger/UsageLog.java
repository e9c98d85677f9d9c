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
import java.util.List;
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
 *
 * <p><b>Compaction</b> ({@link #compact}): records a usage report already covers are folded into a signed
 * <em>checkpoint</em>, the first line of the compacted log,
 * <pre>
 * {"seq":N,"prev":"&lt;hash of record N&gt;","at":…,"type":"checkpoint","genesis":"&lt;line 0&gt;",
 *  "state":["&lt;line of the checkout record in force&gt;","&lt;grant line of each live lease&gt;","&lt;its last extend&gt;"…],
 *  "pins":{"&lt;seq&gt;":"&lt;hash&gt;"},"sig":"…"}
 * </pre>
 * followed by records N+1… unchanged (record N+1 names record N's hash as before, so the chain still verifies across
 * the checkpoint). Reading it gives the genesis, the state records (each verified with the key) and a
 * {@link LogRecord.Type#CHECKPOINT} record standing for N: the same pool and the same figures for any period after
 * the last report as the whole log gave. The new file is written beside the log, fsynced and renamed over it (then
 * the directory fsynced): a crash leaves the old log or the new one, both whole.
 */
public final class UsageLog implements AutoCloseable {

    public static final String FILE = "usage.log";
    public static final String FORMAT = "licensing.relay-log.v1";
    public static final String ZERO_HASH = "0".repeat(64);
    static final String CHECKPOINT = "checkpoint";
    /** Longest line read back; records are a few hundred bytes. */
    private static final int MAX_LINE = 64 * 1024;
    /** Longest checkpoint line: it holds a grant (and an extend) per live lease, some 600 bytes each. */
    private static final int MAX_CHECKPOINT_LINE = 64 * 1024 * 1024;

    private final Path file;
    private final RelayKey key;
    private final FileChannel channel;
    private final Object syncLock = new Object();
    private long nextSeq;
    private String lastHash;
    private long lastAt;
    private volatile long writtenSeq;
    private long durableSeq; // guarded by syncLock
    private long checkpointSeq; // 0: not compacted

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
        UsageLog log = new UsageLog(file, key, ch, scan.nextSeq, scan.lastHash, scan.lastAt);
        log.checkpointSeq = scan.checkpointSeq;
        return log;
    }

    /**
     * Reads and verifies the log without changing it (the report command, while the relay may be appending: a
     * torn last line is skipped).
     */
    public static void read(Path dataDir, RelayKey key, Consumer<LogRecord> visitor)
            throws IOException, LedgerTamperedException {
        scan(dataDir.resolve(FILE), key, visitor);
    }

    private record Scan(long nextSeq, String lastHash, long lastAt, long validBytes, long checkpointSeq) {
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
        long checkpointSeq = 0;
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
                    if (sb.length() >= (expected == 0 ? MAX_CHECKPOINT_LINE : MAX_LINE)) {
                        throw new LedgerTamperedException("Usage log record " + expected + " is longer than "
                                + MAX_LINE + " characters");
                    }
                    sb.append((char) c);
                }
                if (!newline) {
                    break; // end of file, or a torn last line a crash cut short (never answered)
                }
                String line = sb.toString();
                if (expected == 0 && isCheckpoint(line)) {
                    LogRecord cp = checkpoint(line, key, visitor);
                    checkpointSeq = cp.seq();
                    prev = cp.hash();
                    lastAt = cp.at();
                    expected = cp.seq() + 1;
                    valid += line.getBytes(StandardCharsets.UTF_8).length + 1;
                    continue;
                }
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
        return new Scan(expected, prev, lastAt, valid, checkpointSeq);
    }

    private static LogRecord verify(String line, long expected, String prev, RelayKey key)
            throws LedgerTamperedException {
        String where = "Usage log record " + expected;
        Map<String, Object> json = signed(line, where, key);
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
        if (t == null || t == LogRecord.Type.CHECKPOINT || !(at instanceof Number atn)) {
            throw new LedgerTamperedException(where + " has no valid type or time");
        }
        return new LogRecord(expected, prev, atn.longValue(), t, json, sha256(line));
    }

    /** The members of {@code line} once its signature by {@code key} verifies. */
    private static Map<String, Object> signed(String line, String where, RelayKey key)
            throws LedgerTamperedException {
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
        try {
            return JSONObjectUtils.parse(line);
        } catch (ParseException e) {
            throw new LedgerTamperedException(where + " is not JSON");
        }
    }

    /** Whether a first line is a checkpoint: its own (top-level) type; embedded lines are JSON strings. */
    private static boolean isCheckpoint(String line) {
        int genesis = line.indexOf(",\"genesis\":");
        return genesis > 0 && line.substring(0, genesis).endsWith(",\"type\":\"" + CHECKPOINT + "\"");
    }

    /**
     * A checkpoint line (a first line that is not the genesis): its signature, its embedded genesis (verified as
     * record 0) and state records (each verified with the key); {@code visitor} sees the genesis, the state records,
     * then the CHECKPOINT record. Returns that record (its seq and hash are where the chain continues).
     */
    private static LogRecord checkpoint(String line, RelayKey key, Consumer<LogRecord> visitor)
            throws LedgerTamperedException {
        String where = "The usage log's checkpoint";
        Map<String, Object> json = signed(line, where, key);
        if (!(json.get("seq") instanceof Number n) || n.longValue() < 1 || !(json.get("prev") instanceof String covers)
                || !(json.get("at") instanceof Number at) || !(json.get("genesis") instanceof String genesisLine)
                || !(json.get("state") instanceof List<?> state) || !(json.get("pins") instanceof Map<?, ?> pins)) {
            throw new LedgerTamperedException(where + " is incomplete");
        }
        long seq = n.longValue();
        LogRecord genesis = verify(genesisLine, 0, ZERO_HASH, key);
        if (genesis.type() != LogRecord.Type.GENESIS) {
            throw new LedgerTamperedException(where + " holds no genesis record");
        }
        visitor.accept(genesis);
        for (Object o : state) {
            if (!(o instanceof String stateLine)) {
                throw new LedgerTamperedException(where + " holds a state record that is not a line");
            }
            Map<String, Object> m = signed(stateLine, where + "'s state record", key);
            if (!(m.get("seq") instanceof Number s) || s.longValue() < 1 || s.longValue() > seq) {
                throw new LedgerTamperedException(where + " holds a record it does not cover");
            }
            visitor.accept(verify(stateLine, s.longValue(), (String) m.get("prev"), key));
        }
        Map<String, Object> members = new LinkedHashMap<>();
        Map<String, Object> pinned = new TreeMap<>();
        pins.forEach((k, v) -> pinned.put(String.valueOf(k), String.valueOf(v)));
        members.put("pins", pinned);
        LogRecord cp = new LogRecord(seq, covers, at.longValue(), LogRecord.Type.CHECKPOINT, members, covers);
        visitor.accept(cp);
        return cp;
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

    /** What a compaction did: records folded, the checkpoint's record number, the log's size before and after. */
    public record Compaction(long folded, long checkpointSeq, long bytesBefore, long bytesAfter) {
    }

    /**
     * Folds the records a usage report already covers into a checkpoint (the class comment has the format): every
     * record numbered at most {@code maxSeq} and dated before {@code beforeMillis} (the report's {@code log_seq}
     * and {@code to}: what a later report reads of them is exactly the state the checkpoint keeps). The caller holds
     * the relay's lock (no append meanwhile). The new log is written beside this one, fsynced, renamed over it and
     * the directory fsynced; this log is then closed and the returned one appends after the same head.
     *
     * @param pins the records usage reports pinned ({@code log_seq} to {@code log_hash}); those folded are kept in
     *     the checkpoint so the relay can still check them on start
     * @return the log to use from now on (this one when there was nothing to fold)
     */
    public UsageLog compact(long maxSeq, long beforeMillis, Map<Long, String> pins)
            throws IOException, LedgerTamperedException {
        syncUpTo(headSeq());
        long bytesBefore = channel.size();
        // The state after each record up to the fold point, as the lines that make it.
        String[] genesis = new String[1];
        String[] checkout = new String[1];
        Map<String, String> grants = new LinkedHashMap<>();
        Map<String, String> extendsOf = new LinkedHashMap<>();
        Map<String, Object> keptPins = new TreeMap<>();
        long[] upTo = {checkpointSeq};
        long[] upToAt = {0};
        String[] upToHash = {null};
        StringBuilder tail = new StringBuilder();
        forEachLine((line, r) -> {
            if (r.type() == LogRecord.Type.CHECKPOINT) {
                ((Map<?, ?>) r.members().get("pins")).forEach((k, v) -> keptPins.put(String.valueOf(k), v));
                upTo[0] = r.seq();
                upToAt[0] = r.at();
                upToHash[0] = r.hash();
                return;
            }
            boolean fold = r.seq() == 0 || r.seq() <= checkpointSeq
                    || r.seq() <= maxSeq && r.at() < beforeMillis && tail.length() == 0;
            if (!fold) {
                tail.append(line).append('\n');
                return;
            }
            switch (r.type()) {
                case GENESIS -> genesis[0] = line;
                case CHECKOUT -> checkout[0] = line;
                case GRANT -> {
                    String replaces = r.text("replaces");
                    if (replaces != null) {
                        grants.remove(replaces);
                        extendsOf.remove(replaces);
                    }
                    grants.put(r.text("lease"), line);
                }
                case EXTEND -> {
                    if (grants.containsKey(r.text("lease"))) {
                        extendsOf.put(r.text("lease"), line);
                    }
                }
                case RELEASE, EXPIRE -> {
                    grants.remove(r.text("lease"));
                    extendsOf.remove(r.text("lease"));
                }
                case CHECKPOINT -> {
                }
            }
            if (r.seq() > checkpointSeq && r.seq() > 0) {
                upTo[0] = r.seq();
                upToAt[0] = r.at();
                upToHash[0] = r.hash();
            }
        });
        long folded = upTo[0] - checkpointSeq;
        if (folded <= 0) {
            return this;
        }
        pins.forEach((seq, hash) -> {
            if (seq >= 1 && seq <= upTo[0]) {
                keptPins.put(Long.toString(seq), hash);
            }
        });
        List<String> state = new java.util.ArrayList<>();
        if (checkout[0] != null) {
            state.add(checkout[0]);
        }
        grants.forEach((lease, grant) -> {
            state.add(grant);
            if (extendsOf.containsKey(lease)) {
                state.add(extendsOf.get(lease));
            }
        });
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("genesis", genesis[0]);
        members.put("state", state);
        members.put("pins", keptPins);
        String checkpoint = line(key, upTo[0], upToHash[0], upToAt[0], CHECKPOINT, members);
        byte[] content = (checkpoint + "\n" + tail).getBytes(StandardCharsets.UTF_8);
        Path dir = file.toAbsolutePath().getParent();
        AtomicFiles.write(file, content, false); // beside, fsync, rename over, fsync the directory
        channel.close();
        UsageLog next = open(dir, key, r -> { });
        if (next.headSeq() != headSeq() || !next.headHash().equals(headHash())) {
            throw new IllegalStateException("The compacted log ends at record " + next.headSeq() + ", not at "
                    + headSeq());
        }
        compaction = new Compaction(folded, upTo[0], bytesBefore, content.length);
        next.compaction = compaction;
        return next;
    }

    private Compaction compaction;

    /** The compaction that made this log, or null. */
    public Compaction lastCompaction() {
        return compaction;
    }

    /** The record the checkpoint stands for (0: the log is not compacted). */
    public long checkpointSeq() {
        return checkpointSeq;
    }

    private interface LineVisitor {
        void accept(String line, LogRecord r);
    }

    /** Every complete line with its verified record; for a checkpoint line, only its CHECKPOINT record. */
    private void forEachLine(LineVisitor visitor) throws IOException, LedgerTamperedException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = in.readLine();
            long expected;
            String prev;
            if (first == null) {
                throw new LedgerTamperedException(file + " holds no genesis record: the usage log was emptied");
            }
            if (isCheckpoint(first)) {
                LogRecord[] cp = new LogRecord[1];
                List<String> embedded = new java.util.ArrayList<>();
                checkpoint(first, key, r -> {
                    if (r.type() == LogRecord.Type.CHECKPOINT) {
                        cp[0] = r;
                    }
                });
                // The genesis and state records again, as lines (they were verified just now).
                Map<String, Object> json = signed(first, "The usage log's checkpoint", key);
                embedded.add((String) json.get("genesis"));
                for (Object o : (List<?>) json.get("state")) {
                    embedded.add((String) o);
                }
                for (String line : embedded) {
                    Map<String, Object> m = signed(line, "The usage log's checkpoint", key);
                    visitor.accept(line, verify(line, ((Number) m.get("seq")).longValue(), (String) m.get("prev"),
                            key));
                }
                visitor.accept(first, cp[0]);
                expected = cp[0].seq() + 1;
                prev = cp[0].hash();
            } else {
                LogRecord g = verify(first, 0, ZERO_HASH, key);
                visitor.accept(first, g);
                expected = 1;
                prev = g.hash();
            }
            for (long seq = expected; seq <= headSeq(); seq++) {
                String line = in.readLine();
                if (line == null) {
                    throw new IOException("The usage log ends before record " + seq);
                }
                LogRecord r = verify(line, seq, prev, key);
                visitor.accept(line, r);
                prev = r.hash();
            }
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
        return line(key, seq, prev, at, type.wire(), members);
    }

    private static String line(RelayKey key, long seq, String prev, long at, String type,
            Map<String, Object> members) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("seq", seq);
        body.put("prev", prev);
        body.put("at", at);
        body.put("type", type);
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
