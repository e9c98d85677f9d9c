package org.licensing.relay.usage;

import static org.licensing.relay.TestSite.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensing.core.checkout.CheckoutFiles;
import org.licensing.core.usage.UsageReport;
import org.licensing.core.problem.ProblemType;
import org.licensing.relay.TestSite;
import org.licensing.relay.TestVendor;
import org.licensing.relay.engine.Relay;
import org.licensing.relay.engine.RelayStatus;
import org.licensing.relay.ledger.UsageLog;

/**
 * Usage reports from a scripted day on a controllable clock: exact GPU-seconds, the split at UTC midnight, peak use,
 * the chain (sequence, previous hash, contiguous periods), and signatures checked by jose4j with the relay key
 * taken from the vendor-signed checkout.
 */
class UsageReportTest {

    static final Duration TTL = Duration.ofHours(2);

    @TempDir
    Path dir;
    TestSite site;

    @AfterEach
    void stop() {
        site.stop();
    }

    Instant at(String time) {
        return Instant.parse(time);
    }

    /** 10:00 A takes 8 GPUs + 2.5 shares; 11:00 B takes 4 GPUs; 11:30 A released; B ends at 13:00 unrenewed. */
    Relay firstDay() {
        site = TestSite.create(dir); // clock at 2026-12-07T10:00:00Z
        Relay relay = site.start(TTL);
        site.installCheckout(TestVendor.gpuLimits(), 8, 1, Duration.ofDays(30));
        relay.tick();
        Relay.LeaseAnswer a = relay.lease("node-a", "n1", q("cuda.device", "8", "cuda.shares", "2.5"));
        site.clock.set(at("2026-12-07T11:00:00Z"));
        relay.lease("node-b", "n2", q("cuda.device", "4"));
        site.clock.set(at("2026-12-07T11:30:00Z"));
        relay.release(a.lease().id(), "node-a");
        site.clock.set(at("2026-12-07T14:00:00Z"));
        relay.tick();
        return relay;
    }

    @Test
    void totalsPerQuantityAndDayAndPeakAreExact() throws Exception {
        Relay relay = firstDay();
        UsageReport r = relay.report(null, null).report();
        assertEquals(1, r.sequence());
        assertEquals(UsageLog.ZERO_HASH, r.previousHash());
        assertEquals(TestSite.T0, r.from(), "the first report starts at the log's genesis");
        assertEquals(at("2026-12-07T14:00:00Z"), r.to());
        // 8 x 5400 s + 4 x 7200 s; 2.5 x 5400 s; node-seconds 5400 + 7200
        assertEquals(q("cuda.device", "72000", "cuda.shares", "13500", "nodes", "12600"), r.totals());
        assertEquals(Map.of(LocalDate.parse("2026-12-07"), r.totals()), r.days());
        assertEquals(q("cuda.device", "12", "cuda.shares", "2.5", "nodes", "2"), r.peak());
        assertEquals(TestVendor.PRODUCT, r.product());
        assertEquals(TestSite.SITE, r.fingerprint());
        assertEquals(relay.served().document().checkoutId().toString(), r.checkoutId());

        // Across midnight: C holds 2 GPUs 23:00 -> 01:00 (a heartbeat at 00:30, released at 01:00).
        site.clock.set(at("2026-12-07T23:00:00Z"));
        Relay.LeaseAnswer c = relay.lease("node-c", "n3", q("cuda.device", "2"));
        site.clock.set(at("2026-12-08T00:30:00Z"));
        relay.heartbeat(c.lease().id(), "node-c", "n4");
        site.clock.set(at("2026-12-08T01:00:00Z"));
        relay.release(c.lease().id(), "node-c");
        site.clock.set(at("2026-12-08T02:00:00Z"));
        ReportChain.Stored second = relay.report(null, null);
        UsageReport r2 = second.report();
        assertEquals(2, r2.sequence());
        assertEquals(r.to(), r2.from());
        assertEquals(q("cuda.device", "14400", "nodes", "7200"), r2.totals());
        assertEquals(q("cuda.device", "7200", "nodes", "3600"), r2.days().get(LocalDate.parse("2026-12-07")));
        assertEquals(q("cuda.device", "7200", "nodes", "3600"), r2.days().get(LocalDate.parse("2026-12-08")));
        assertEquals(q("cuda.device", "2", "nodes", "1"), r2.peak());
    }

    @Test
    void reportsAreSignedByTheCertifiedRelayKeyAndChainedAsJose4jSeesThem() throws Exception {
        Relay relay = firstDay();
        ReportChain.Stored first = relay.report(null, at("2026-12-07T12:00:00Z"));
        ReportChain.Stored second = relay.report(null, null);
        // The relay key the vendor certified, read from the checkout the vendor signed (nimbus only opens the JWE).
        var checkout = CheckoutFiles.verify(relay.served().jws(), site.vendor.keys.publicJwkSet(), TestVendor.ISSUER,
                site.clock.instant(), Duration.ZERO);
        String relayJwks = "{\"keys\":[" + checkout.document().relayKey().toJSONString() + "]}";
        JwtClaims c1 = jose4j(first.jws(), relayJwks);
        JwtClaims c2 = jose4j(second.jws(), relayJwks);
        assertEquals(1L, c1.getClaimValue("report_seq"));
        assertEquals(2L, c2.getClaimValue("report_seq"));
        assertEquals(UsageLog.sha256(first.jws()), c2.getClaimValue("prev_report"));
        assertEquals(c1.getClaimValue("to"), c2.getClaimValue("from"));
        // 10:00-12:00: A 8 x 1.5 h (released 11:30), B 4 x 1 h
        assertEquals(Map.of("cuda.device", "57600", "cuda.shares", "13500", "nodes", "9000"),
                c1.getClaimValue("totals"));
        // A report signed by anyone else does not verify with the certified key.
        TestSite other = new TestSite(site.vendor, dir.resolve("other"), site.clock, TestSite.SITE);
        try {
            Relay impostor = other.start(TTL);
            String forged = impostor.key().sign(first.report().toClaims(), UsageReport.TYP);
            assertThrows(Exception.class, () -> jose4j(forged, relayJwks));
        } finally {
            other.stop();
        }
    }

    @Test
    void aPeriodThatLeavesAGapOrAnOverlapOrEndsInTheFutureIsRefusedAndARepeatAnswersTheSameReport()
            throws Exception {
        Relay relay = firstDay();
        ReportChain.Stored first = relay.report(null, at("2026-12-07T12:00:00Z"));
        assertEquals(first.jws(), relay.report(TestSite.T0, at("2026-12-07T12:00:00Z")).jws(), "a retried request");
        ReportSequenceException overlap = assertThrows(ReportSequenceException.class,
                () -> relay.report(at("2026-12-07T11:00:00Z"), at("2026-12-07T13:00:00Z")));
        assertTrue(overlap.getMessage().contains("an overlap"));
        assertEquals(ProblemType.USAGE_REPORT_OVERLAP, overlap.type(), "the issuer's type for the same fault");
        ReportSequenceException gap = assertThrows(ReportSequenceException.class,
                () -> relay.report(at("2026-12-07T12:30:00Z"), at("2026-12-07T13:00:00Z")));
        assertTrue(gap.getMessage().contains("a gap"));
        assertEquals(ProblemType.USAGE_REPORT_GAP, gap.type());
        assertEquals(ProblemType.INVALID_REQUEST, assertThrows(ReportSequenceException.class,
                () -> relay.report(null, at("2026-12-07T15:00:00Z"))).type(), "a period ending in the future");
        assertEquals(2, relay.report(at("2026-12-07T12:00:00Z"), null).report().sequence());
    }

    @Test
    void aChangedOrRemovedReportOrALogCutBehindAReportStopsTheRelay() throws Exception {
        Relay relay = firstDay();
        relay.report(null, at("2026-12-07T12:00:00Z"));
        relay.report(null, null);
        site.stop();
        Path reports = dir.resolve(ReportChain.DIRECTORY);
        Path first = reports.resolve("000001.jws");
        String original = Files.readString(first);
        Files.writeString(first, original.replace('A', 'B'));
        assertEquals(RelayStatus.Code.DATA_TAMPERED, site.start(TTL).status().code());
        site.stop();
        Files.writeString(first, original);
        Files.move(first, dir.resolve("000001.jws.bak"));
        assertEquals(RelayStatus.Code.DATA_TAMPERED, site.start(TTL).status().code(), "a removed report");
        site.stop();
        Files.move(dir.resolve("000001.jws.bak"), first);
        assertTrue(site.start(TTL).status().serving());
        site.stop();
        // Cut the log's tail back behind what report 2 pinned.
        Path log = dir.resolve(UsageLog.FILE);
        List<String> lines = Files.readAllLines(log);
        Files.writeString(log, String.join("\n", lines.subList(0, lines.size() - 1)) + "\n");
        RelayStatus s = site.start(TTL).status();
        assertEquals(RelayStatus.Code.DATA_TAMPERED, s.code());
        assertTrue(s.message().contains("pinned"), s.message());
    }

    @Test
    void theReportCommandContinuesTheChainBesideARunningRelay() throws Exception {
        Relay relay = firstDay();
        relay.report(null, at("2026-12-07T12:00:00Z"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = ReportCommand.run(new String[] {"report", "--to", "2026-12-07T13:00:00Z"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("LICENSING_RELAY_DATA_DIR", dir.toString()), site.clock);
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        String jws = out.toString(StandardCharsets.UTF_8).strip();
        assertEquals(jws, Files.readString(dir.resolve("reports/000002.jws")).strip());
        assertEquals(3, relay.report(null, null).report().sequence());
        rc = ReportCommand.run(new String[] {"report", "--data-dir", dir.toString(), "--from", "2026-12-07"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(), site.clock);
        assertEquals(3, rc, "out of sequence");
        assertNotEquals(0, ReportCommand.run(new String[] {"report", "--bogus", "x"}, new PrintStream(out),
                new PrintStream(err), Map.of(), site.clock));
    }

    static JwtClaims jose4j(String jws, String jwks) throws Exception {
        JsonWebSignature sig = new JsonWebSignature();
        sig.setAlgorithmConstraints(new AlgorithmConstraints(ConstraintType.PERMIT, AlgorithmIdentifiers.EDDSA));
        sig.setCompactSerialization(jws);
        JsonWebKey key = new VerificationJwkSelector().select(sig, new JsonWebKeySet(jwks).getJsonWebKeys());
        if (key == null) {
            throw new IllegalStateException("no key for kid " + sig.getKeyIdHeaderValue());
        }
        sig.setKey(key.getKey());
        if (!sig.verifySignature()) {
            throw new IllegalStateException("bad signature");
        }
        assertEquals(UsageReport.TYP, sig.getHeader("typ"));
        return JwtClaims.parse(sig.getPayload());
    }
}
