package org.licensing.relay.ledger;

import static org.licensing.relay.TestSite.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensing.core.usage.UsageReport;
import org.licensing.relay.TestSite;
import org.licensing.relay.TestVendor;
import org.licensing.relay.engine.Relay;
import org.licensing.relay.engine.RelayStatus;
import org.licensing.relay.pool.Lease;

/**
 * Compaction of the usage log: records a usage report covers are folded into a signed checkpoint; the pool, the
 * next report's figures and the hash chain come out the same as from the whole log (an uncompacted copy of the same
 * data directory is the reference); a changed checkpoint is refused; a compaction cut short by a crash leaves a log
 * the relay opens as if it had not started.
 */
class LogCompactionTest {

    static final Duration TTL = Duration.ofHours(2);

    @TempDir
    Path dir;
    TestSite site;
    TestSite reference;

    @AfterEach
    void stop() {
        site.stop();
        if (reference != null) {
            reference.stop();
        }
    }

    static Instant at(String time) {
        return Instant.parse(time);
    }

    /**
     * A morning of leases, report 1 up to 12:00 (made at 12:20), more leases after it: A (8 GPUs) released before
     * noon, B (4 GPUs) heartbeating across noon, C replaced by its node's new lease before noon, F (1 GPU) granted
     * before noon and released at 12:15 (after the report's end, before the report was made), D granted after noon.
     */
    Relay morningThenReport() throws Exception {
        site = TestSite.create(dir.resolve("site")); // 10:00
        Relay relay = site.start(TTL);
        site.installCheckout(TestVendor.gpuLimits(), 8, 1, Duration.ofDays(30));
        relay.tick();
        Relay.LeaseAnswer a = relay.lease("node-a", "n1", q("cuda.device", "8", "cuda.shares", "2.5"));
        site.clock.set(at("2026-12-07T10:30:00Z"));
        Relay.LeaseAnswer b = relay.lease("node-b", "n2", q("cuda.device", "4"));
        relay.lease("node-c", "n3", q("cuda.shares", "1"));
        site.clock.set(at("2026-12-07T11:00:00Z"));
        relay.lease("node-c", "n4", q("cuda.shares", "2")); // replaces C's first lease
        relay.heartbeat(b.lease().id(), "node-b", "n5");
        site.clock.set(at("2026-12-07T11:30:00Z"));
        relay.release(a.lease().id(), "node-a");
        site.clock.set(at("2026-12-07T11:45:00Z"));
        Relay.LeaseAnswer f = relay.lease("node-f", "n8", q("cuda.device", "1"));
        site.clock.set(at("2026-12-07T12:10:00Z"));
        relay.heartbeat(b.lease().id(), "node-b", "n6");
        relay.lease("node-d", "n7", q("cuda.device", "2"));
        site.clock.set(at("2026-12-07T12:15:00Z"));
        relay.release(f.lease().id(), "node-f");
        site.clock.set(at("2026-12-07T12:20:00Z"));
        UsageReport first = relay.report(null, at("2026-12-07T12:00:00Z")).report();
        assertEquals(1, first.sequence());
        return relay;
    }

    /** A copy of the data directory as it is now (the relay flushed every record), opened by a relay of its own. */
    Relay referenceCopy() throws IOException {
        Path copy = dir.resolve("reference");
        try (Stream<Path> files = Files.walk(site.dataDir)) {
            for (Path p : files.toList()) {
                if (!p.getFileName().toString().equals("relay.lock")) {
                    Path target = copy.resolve(site.dataDir.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
        reference = new TestSite(site.vendor, copy, site.clock, site.fingerprint);
        return reference.start(TTL);
    }

    /** The live leases by node (lease ids differ only for leases the two directories granted separately). */
    static Map<String, String> pool(Relay relay) {
        return relay.leases().stream().collect(Collectors.toMap(Lease::node,
                (Lease l) -> l.quantities() + " from " + l.grantedAt() + " until " + l.until(), (x, y) -> x,
                TreeMap::new));
    }

    Path log() {
        return site.dataDir.resolve(UsageLog.FILE);
    }

    @Test
    void theCompactedLogGivesTheSamePoolFiguresAndChainAsTheWholeLog() throws Exception {
        Relay relay = morningThenReport();
        long linesBefore = Files.readAllLines(log()).size();
        long bytesBefore = Files.size(log());
        Relay whole = referenceCopy();

        UsageLog.Compaction c = relay.compact();
        assertNotNull(c, "report 1 covers records");
        // Before noon: the checkout, A, B, C, C's replacement, B's heartbeat, A's release, F. Not F's release at 12:15:
        // report 2 starts at noon and counts F until then.
        assertEquals(8, c.folded(), "folded " + c);
        List<String> lines = Files.readAllLines(log());
        assertTrue(lines.get(0).contains("\"type\":\"checkpoint\""), lines.get(0));
        assertEquals(linesBefore - c.folded(), lines.size(), "the checkpoint and the records after noon");
        assertTrue(Files.size(log()) < bytesBefore, Files.size(log()) + " bytes");
        assertNull(relay.compact(), "nothing more to fold until the next report");
        assertEquals(pool(whole), pool(relay), "the live leases");

        // The relay keeps going on the compacted log, and both directories record the same afternoon.
        for (Relay r : List.of(relay, whole)) {
            site.clock.set(at("2026-12-07T12:40:00Z"));
            r.lease("node-e", "n9", q("cuda.device", "1"));
            site.clock.set(at("2026-12-07T13:00:00Z"));
        }
        // A restart replays the checkpoint and what follows it to the same pool.
        site.stop();
        relay = site.start(TTL);
        assertTrue(relay.status().serving(), relay.status().toString());
        assertEquals(pool(whole), pool(relay));
        UsageReport compacted = relay.report(null, null).report();
        UsageReport reference = whole.report(null, null).report();
        assertEquals(2, compacted.sequence());
        assertEquals(reference.from(), compacted.from());
        assertEquals(reference.totals(), compacted.totals());
        assertEquals(reference.days(), compacted.days());
        assertEquals(reference.peak(), compacted.peak());
        assertEquals(reference.checkoutId(), compacted.checkoutId());
        assertEquals(reference.logSeq(), compacted.logSeq(), "the same number of records behind it");
        List<String> tail = Files.readAllLines(log());
        assertEquals(UsageLog.sha256(tail.get(tail.size() - 1)), compacted.logHash(), "it pins the log's last line");
        // 12:00-13:00: B across noon (4 x 1 h), C's second lease (2 shares x 1 h), D (2 x 50 min), E (1 x 20 min),
        // F until its release (1 x 15 min).
        assertEquals(q("cuda.device", "22500", "cuda.shares", "7200", "nodes", "12300"), compacted.totals());

        // A second compaction folds onto the first checkpoint.
        UsageLog.Compaction again = relay.compact();
        assertNotNull(again);
        assertTrue(Files.readAllLines(log()).get(0).contains("\"type\":\"checkpoint\""));
        site.stop();
        relay = site.start(TTL);
        assertEquals(pool(whole), pool(relay));
        assertFalse(relay.status().code() == RelayStatus.Code.DATA_TAMPERED, relay.status().toString());
    }

    @Test
    void aCheckpointHoldingManyLiveLeasesOpens() throws Exception {
        site = TestSite.create(dir.resolve("big"));
        Relay relay = site.start(TTL);
        // No machine limit (maxActivations 0, no nodes limit): 400 nodes, a checkpoint line far over one record's size.
        site.installCheckout(Map.of("cuda.shares", new BigDecimal("10000")), 0, 1, Duration.ofDays(30));
        relay.tick();
        for (int i = 0; i < 400; i++) {
            relay.lease("node-" + i, "n" + i, q("cuda.shares", "0.5"));
        }
        site.clock.set(at("2026-12-07T10:30:00Z"));
        relay.report(null, null);
        assertNotNull(relay.compact());
        int checkpointLength = Files.readAllLines(log()).get(0).length();
        assertTrue(checkpointLength > 2 * 64 * 1024, "longer than a record may be: " + checkpointLength);
        site.stop();
        relay = site.start(TTL);
        assertTrue(relay.status().serving(), relay.status().toString());
        assertEquals(400, relay.leases().size());
    }

    @Test
    void aChangedCheckpointIsRefused() throws Exception {
        Relay relay = morningThenReport();
        relay.compact();
        site.stop();
        List<String> lines = Files.readAllLines(log());
        String checkpoint = lines.get(0);
        // Hiding B's lease (and its GPU-hours) in the checkpoint: the relay key's signature no longer matches.
        assertTrue(checkpoint.contains("node-b"), checkpoint);
        lines.set(0, checkpoint.replace("node-b", "node-x"));
        Files.write(log(), lines);
        relay = site.start(TTL);
        assertEquals(RelayStatus.Code.DATA_TAMPERED, relay.status().code());
        assertTrue(relay.status().message().contains("checkpoint"), relay.status().message());
        // B's lease left out of the checkpoint (each state line still signed): the checkpoint's own signature.
        site.stop();
        Map<String, Object> json = com.nimbusds.jose.util.JSONObjectUtils.parse(checkpoint);
        List<Object> state = new java.util.ArrayList<>((List<?>) json.get("state"));
        assertTrue(state.removeIf(line -> String.valueOf(line).contains("\"node-b\"")), state.toString());
        json.put("state", state);
        lines.set(0, com.nimbusds.jose.util.JSONObjectUtils.toJSONString(json));
        Files.write(log(), lines);
        relay = site.start(TTL);
        assertEquals(RelayStatus.Code.DATA_TAMPERED, relay.status().code());
        assertTrue(relay.status().message().contains("checkpoint was changed"), relay.status().message());
        // Restored, it serves again; a record after the checkpoint removed breaks the chain as before.
        site.stop();
        lines.set(0, checkpoint);
        Files.write(log(), lines);
        assertTrue(site.start(TTL).status().serving());
        site.stop();
        lines.set(0, checkpoint);
        lines.remove(1);
        Files.write(log(), lines);
        relay = site.start(TTL);
        assertEquals(RelayStatus.Code.DATA_TAMPERED, relay.status().code(), relay.status().message());
    }

    @Test
    void aCompactionCutShortByACrashLeavesALogTheRelayOpens() throws Exception {
        Relay relay = morningThenReport();
        Map<String, String> before = pool(relay);
        byte[] whole = Files.readAllBytes(log());
        // What the compaction writes before its rename, cut short: the crash came before the rename.
        Relay copy = referenceCopy();
        copy.compact();
        byte[] compacted = Files.readAllBytes(reference.dataDir.resolve(UsageLog.FILE));
        site.stop();
        Files.write(site.dataDir.resolve("." + UsageLog.FILE + ".tmp"), java.util.Arrays.copyOf(compacted,
                compacted.length / 2));
        relay = site.start(TTL);
        assertTrue(relay.status().serving(), relay.status().toString());
        assertEquals(before, pool(relay));
        assertEquals(new String(whole), new String(Files.readAllBytes(log())), "the log as it was");
        // The compaction runs again and leaves no temporary file behind.
        assertNotNull(relay.compact());
        assertFalse(Files.exists(site.dataDir.resolve("." + UsageLog.FILE + ".tmp")));
        // The crash after the rename: the new log, whole (the rename is atomic), opens as compacted.
        site.stop();
        relay = site.start(TTL);
        assertTrue(relay.status().serving(), relay.status().toString());
        assertEquals(before, pool(relay));
    }
}
