package org.licensing.relay.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensing.relay.site.RelayKey;

/** The hash chain: a changed, removed or reordered record is found, checked here and by an independent path. */
class UsageLogTest {

    @TempDir
    Path dir;
    RelayKey key;

    @BeforeEach
    void log() throws Exception {
        key = RelayKey.generate(dir);
        try (UsageLog log = UsageLog.create(dir, key, Map.of("license_id", "l", "product", "p", "fingerprint", "f"),
                1_000)) {
            for (int i = 1; i <= 5; i++) {
                LogRecord r = log.append(LogRecord.Type.GRANT, Map.of("lease", "00000000-0000-0000-0000-00000000000"
                        + i, "node", "n" + i, "q", Map.of("cuda.device", "1"), "until", 100L + i), 1_000 + i);
                log.syncUpTo(r.seq());
            }
        }
    }

    List<String> lines() throws IOException {
        return new ArrayList<>(Files.readAllLines(dir.resolve(UsageLog.FILE), StandardCharsets.UTF_8));
    }

    void write(List<String> lines) throws IOException {
        Files.writeString(dir.resolve(UsageLog.FILE), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    String verifyFails() {
        return assertThrows(LedgerTamperedException.class, () -> UsageLog.read(dir, key, r -> { })).getMessage();
    }

    @Test
    void anUntouchedLogVerifiesAndChainsIndependently() throws Exception {
        List<LogRecord> read = new ArrayList<>();
        UsageLog.read(dir, key, read::add);
        assertEquals(6, read.size());
        // Independent check: JDK SHA-256 of each line is the next record's prev; the JDK's Ed25519 verifies sig.
        List<String> lines = lines();
        String prev = "0".repeat(64);
        for (String line : lines) {
            assertTrue(line.contains("\"prev\":\"" + prev + "\""), line);
            int idx = line.lastIndexOf(",\"sig\":\"");
            byte[] signed = (line.substring(0, idx) + "}").getBytes(StandardCharsets.UTF_8);
            byte[] sig = Base64.getUrlDecoder().decode(line.substring(idx + 8, line.length() - 2));
            assertTrue(jdkVerify(key.x(), signed, sig), "record signature, JDK Ed25519");
            prev = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(line.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void aChangedRecordIsFound() throws Exception {
        List<String> lines = lines();
        lines.set(3, lines.get(3).replace("\"cuda.device\":\"1\"", "\"cuda.device\":\"0\""));
        write(lines);
        assertTrue(verifyFails().contains("record 3 was changed"));
    }

    @Test
    void aChangedRecordResignedWithTheKeyStillBreaksTheChain() throws Exception {
        // Whoever holds the key can re-sign a record, but not without changing its hash: the next prev breaks.
        List<String> lines = lines();
        String original = lines.get(2);
        String body = original.substring(0, original.lastIndexOf(",\"sig\":\"")) + "}";
        String changed = body.replace("\"cuda.device\":\"1\"", "\"cuda.device\":\"0.5\"");
        String sig = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(key.signRaw(changed.getBytes(StandardCharsets.UTF_8)));
        lines.set(2, changed.substring(0, changed.length() - 1) + ",\"sig\":\"" + sig + "\"}");
        write(lines);
        assertTrue(verifyFails().contains("record 3 does not follow record 2"));
    }

    @Test
    void aRemovedRecordIsFound() throws Exception {
        List<String> lines = lines();
        lines.remove(2);
        write(lines);
        assertTrue(verifyFails().contains("record 2 is numbered 3"));
    }

    @Test
    void reorderedRecordsAreFound() throws Exception {
        List<String> lines = lines();
        String third = lines.get(3);
        lines.set(3, lines.get(4));
        lines.set(4, third);
        write(lines);
        assertTrue(verifyFails().contains("record 3 is numbered 4"));
    }

    @Test
    void aLogByAnotherKeyOrWithoutGenesisIsFound() throws Exception {
        Path other = dir.resolve("other");
        RelayKey otherKey = RelayKey.generate(other);
        assertTrue(assertThrows(LedgerTamperedException.class, () -> UsageLog.read(dir, otherKey, r -> { }))
                .getMessage().contains("not written by relay key " + otherKey.kid()));
        List<String> lines = lines();
        write(lines.subList(1, lines.size()));
        assertTrue(verifyFails().contains("record 0"));
        Files.writeString(dir.resolve(UsageLog.FILE), "");
        assertTrue(verifyFails().contains("no genesis"));
        Files.delete(dir.resolve(UsageLog.FILE));
        assertTrue(verifyFails().contains("missing"));
    }

    @Test
    void aTornLastLineIsACrashNotTamperingAndIsCutOff() throws Exception {
        Files.writeString(dir.resolve(UsageLog.FILE), "{\"seq\":6,\"prev\":\"ab", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        List<LogRecord> read = new ArrayList<>();
        try (UsageLog log = UsageLog.open(dir, key, read::add)) {
            assertEquals(6, read.size());
            LogRecord r = log.append(LogRecord.Type.RELEASE, Map.of("lease", "00000000-0000-0000-0000-000000000001"),
                    2_000);
            log.syncUpTo(r.seq());
            assertEquals(6, r.seq());
        }
        List<LogRecord> again = new ArrayList<>();
        UsageLog.read(dir, key, again::add);
        assertEquals(7, again.size());
    }

    @Test
    void timesNeverGoBackwardsEvenWhenTheClockDoes() throws Exception {
        try (UsageLog log = UsageLog.open(dir, key, r -> { })) {
            LogRecord r = log.append(LogRecord.Type.RELEASE, Map.of("lease", "00000000-0000-0000-0000-000000000001"),
                    10);
            assertEquals(1_005, r.at());
        }
    }

    static boolean jdkVerify(byte[] x, byte[] message, byte[] sig) throws Exception {
        // RFC 8032 encoding: little-endian y with the x parity in the top bit.
        byte[] le = x.clone();
        boolean xOdd = (le[31] & 0x80) != 0;
        le[31] &= 0x7f;
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = le[31 - i];
        }
        var pub = KeyFactory.getInstance("Ed25519").generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519,
                new EdECPoint(xOdd, new java.math.BigInteger(1, be))));
        Signature v = Signature.getInstance("Ed25519");
        v.initVerify(pub);
        v.update(message);
        return v.verify(sig);
    }
}
