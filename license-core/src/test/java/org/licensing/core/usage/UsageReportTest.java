package org.licensing.core.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.licensing.core.crypto.JwsVerificationException;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.usage.UsageReportChain.Break;
import org.licensing.core.usage.UsageReportChain.Link;

class UsageReportTest {

    static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");
    static final Instant T1 = Instant.parse("2026-12-08T00:00:00Z");
    static final Instant T2 = Instant.parse("2026-12-09T00:00:00Z");

    static UsageReport report(long seq, String prev, Instant from, Instant to) {
        return new UsageReport(UUID.randomUUID(), to, "8f4c7a2e-0b7e-4c55-9f0a-2d6c3b1e9a10", "gpu-platform",
                "k8s-site", "3b1c0e9a-0000-4000-8000-000000000001", seq, prev, from, to,
                Map.of("cuda.device", new BigDecimal("57600.5"), "nodes", new BigDecimal("86400")),
                Map.of(LocalDate.of(2026, 12, 7), Map.of("cuda.device", new BigDecimal("57600.5"))),
                Map.of("cuda.device", new BigDecimal("2.5")), 42, "ab".repeat(32));
    }

    @Test
    void signedReportReadsBackExactlyWithTheRelayKeyOnly() throws Exception {
        SigningKeys relay = SigningKeys.generate("relay-20261207-0badcafe");
        UsageReport r = report(1, UsageReport.NO_PREVIOUS, T0, T1);
        String jws = relay.sign(r.toClaims(), UsageReport.TYP);

        UsageReport back = UsageReport.verify(jws, relay.publicJwkSet());
        assertEquals(r, back);
        assertEquals(new BigDecimal("57600.5"), back.totals().get("cuda.device"));

        SigningKeys other = SigningKeys.generate("relay-20261207-0badcafe");
        assertThrows(JwsVerificationException.class, () -> UsageReport.verify(jws, other.publicJwkSet()));
        // Another type signed by the same key is not a report.
        String receipt = relay.sign(r.toClaims(), "lease+jwt");
        assertThrows(JwsVerificationException.class, () -> UsageReport.verify(receipt, relay.publicJwkSet()));
    }

    @Test
    void theHashIsSha256OfTheJwsText() throws Exception {
        String text = "eyJhbGciOiJFZERTQSJ9.e30.c2ln";
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.US_ASCII)));
        assertEquals(expected, UsageReport.hashOf(text));
        assertEquals(64, UsageReport.NO_PREVIOUS.length());
    }

    @Test
    void claimsThatCannotBeAReportAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> report(0, UsageReport.NO_PREVIOUS, T0, T1));
        assertThrows(IllegalArgumentException.class, () -> report(2, UsageReport.NO_PREVIOUS, T0, T1));
        assertThrows(IllegalArgumentException.class, () -> report(1, "ab".repeat(32), T0, T1));
        assertThrows(IllegalArgumentException.class, () -> report(2, "AB".repeat(32), T0, T1));
        assertThrows(IllegalArgumentException.class, () -> report(1, UsageReport.NO_PREVIOUS, T1, T1));
        assertThrows(IllegalArgumentException.class, () -> new UsageReport(UUID.randomUUID(), T1, "l", "p", "f",
                null, 1, UsageReport.NO_PREVIOUS, T0, T1, Map.of("cpu", new BigDecimal("-1")), Map.of(), Map.of(), 1,
                "x"));
    }

    @Test
    void theChainTakesOnlyTheNextReport() {
        assertEquals(Optional.empty(), UsageReportChain.check(null, report(1, UsageReport.NO_PREVIOUS, T0, T1)));
        assertEquals(Optional.of(Break.OUT_OF_SEQUENCE),
                UsageReportChain.check(null, report(2, "cd".repeat(32), T0, T1)));

        Link first = new Link(1, "cd".repeat(32), T1);
        assertEquals(2, UsageReportChain.nextSequence(first));
        assertEquals(Optional.of(T1), UsageReportChain.nextFrom(first));
        assertEquals(Optional.empty(), UsageReportChain.check(first, report(2, "cd".repeat(32), T1, T2)));
        assertEquals(Optional.of(Break.OUT_OF_SEQUENCE),
                UsageReportChain.check(first, report(3, "cd".repeat(32), T1, T2)));
        assertEquals(Optional.of(Break.OUT_OF_SEQUENCE),
                UsageReportChain.check(first, report(1, UsageReport.NO_PREVIOUS, T0, T1)));
        assertEquals(Optional.of(Break.WRONG_PREVIOUS),
                UsageReportChain.check(first, report(2, "ef".repeat(32), T1, T2)));
        assertEquals(Optional.of(Break.GAP),
                UsageReportChain.check(first, report(2, "cd".repeat(32), T1.plusSeconds(1), T2)));
        assertEquals(Optional.of(Break.OVERLAP),
                UsageReportChain.check(first, report(2, "cd".repeat(32), T1.minusSeconds(1), T2)));
        String gap = UsageReportChain.describe(Break.GAP, first, 2, T1.plusSeconds(1));
        assertTrue(gap.contains(T1.toString()) && gap.contains("report 1"), gap);
    }

    @Test
    void aLinkNamesTheReportItCameFrom() throws Exception {
        SigningKeys relay = SigningKeys.generate("relay-k");
        UsageReport r = report(1, UsageReport.NO_PREVIOUS, T0, T1);
        String jws = relay.sign(r.toClaims(), UsageReport.TYP);
        Link link = Link.of(jws, r);
        UsageReport next = report(2, UsageReport.hashOf(jws), T1, T2);
        assertEquals(Optional.empty(), UsageReportChain.check(link, next));
    }
}
