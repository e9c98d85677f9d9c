package org.licensing.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensing.cli.StandInIssuer.Reply;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.usage.UsageReport;

/** usage-reports submit/list and licenses usage against the scripted stand-in issuer. */
class UsageCommandsTest {

    @TempDir
    Path dir;

    private StandInIssuer issuer;
    private Map<String, String> env;
    private final UUID licenseId = UUID.randomUUID();

    @BeforeEach
    void start() throws IOException {
        issuer = new StandInIssuer();
        env = Map.of("LICENSECTL_CONFIG", dir.resolve("cfg/config.json").toString(), "LICENSECTL_URL", issuer.url(),
                "LICENSECTL_TOKEN", "eyJhbGciOiJFUzI1NiJ9.e30.c2ln");
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    private String report() {
        Instant from = Instant.parse("2026-12-06T00:00:00Z");
        Instant to = Instant.parse("2026-12-07T00:00:00Z");
        UsageReport r = new UsageReport(UUID.randomUUID(), to, licenseId.toString(), "gpu-cluster", "k8s-site", null,
                1, UsageReport.NO_PREVIOUS, from, to, Map.of("cuda.device", new BigDecimal("576000")),
                Map.of(LocalDate.parse("2026-12-06"), Map.of("cuda.device", new BigDecimal("576000"))),
                Map.of("cuda.device", new BigDecimal("8")), 7, "ab".repeat(32));
        return SigningKeys.generate("relay-20261201-0badcafe").sign(r.toClaims(), UsageReport.TYP);
    }

    @Test
    void submitSendsTheReportAsItIsToTheLicenseItNames() throws Exception {
        String jws = report();
        Path file = Files.writeString(dir.resolve("report.jws"), jws + "\n");
        issuer.on("POST /v1/licenses/" + licenseId + "/usage-reports", new Reply(201, "application/json",
                "{\"licenseId\":\"" + licenseId + "\",\"sequence\":1,\"relayKid\":\"relay-20261201-0badcafe\","
                        + "\"fingerprint\":\"k8s-site\",\"from\":\"2026-12-06T00:00:00Z\","
                        + "\"to\":\"2026-12-07T00:00:00Z\"}"));
        Run r = Run.of(env, "usage-reports", "submit", file.toString(), "--idempotency-key", "report-1");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("Accepted report 1 of relay key relay-20261201-0badcafe"), r::toString);
        StandInIssuer.Seen sent = issuer.last();
        assertEquals(jws, sent.body());
        assertTrue(sent.header("Content-Type").startsWith("application/jwt"), sent.header("Content-Type"));
        assertEquals("report-1", sent.header("Idempotency-Key"));

        // The issuer's refusal is the command's exit code (409: conflict) with its detail.
        issuer.on("POST /v1/licenses/" + licenseId + "/usage-reports", Reply.problem(409, "usage-report-gap",
                "Usage report leaves a gap", "Report 2 starts after report 1 ended"));
        Run gap = Run.of(env, "usage-reports", "submit", file.toString());
        assertEquals(ExitCodes.CONFLICT, gap.code(), gap::toString);
        assertTrue(gap.err().contains("starts after report 1 ended"), gap::toString);

        // Not a report: told before anything is sent.
        int before = issuer.seen().size();
        Path notAReport = Files.writeString(dir.resolve("request.json"), "{\"typ\":\"licensing.checkout-request.v1\"}");
        Run bad = Run.of(env, "usage-reports", "submit", notAReport.toString());
        assertEquals(ExitCodes.USAGE, bad.code(), bad::toString);
        assertEquals(before, issuer.seen().size());
    }

    @Test
    void listAndUsagePrintTablesAndPassTheRange() {
        issuer.on("GET /v1/licenses/" + licenseId + "/usage-reports", Reply.json("{\"licenseId\":\"" + licenseId
                + "\",\"chains\":[{\"relayKid\":\"relay-k\",\"fingerprint\":\"k8s-site\",\"lastSequence\":3,"
                + "\"coveredUntil\":\"2026-12-07T00:00:00Z\",\"nextSequence\":4}],\"reports\":[{\"sequence\":3,"
                + "\"relayKid\":\"relay-k\",\"from\":\"2026-12-06T00:00:00Z\",\"to\":\"2026-12-07T00:00:00Z\","
                + "\"receivedAt\":\"2026-12-08T09:00:00Z\",\"totals\":{\"cuda.device\":\"576000\"}}]}"));
        Run list = Run.of(env, "usage-reports", "list", licenseId.toString(), "--limit", "5");
        assertEquals(0, list.code(), list::toString);
        assertTrue(list.out().startsWith("RELAY KEY") && list.out().contains("cuda.device=576000"), list::toString);
        assertEquals("5", issuer.last().param("limit"));

        issuer.on("GET /v1/licenses/" + licenseId + "/usage", Reply.json("{\"licenseId\":\"" + licenseId
                + "\",\"from\":\"2026-12-01\",\"to\":\"2026-12-07\",\"quantities\":[{\"quantity\":\"cuda.device\","
                + "\"limit\":\"8\",\"quantitySeconds\":\"576000\",\"days\":[{\"day\":\"2026-12-06\","
                + "\"quantitySeconds\":\"576000\",\"averageInUse\":\"6.666667\"}]}]}"));
        Run usage = Run.of(env, "licenses", "usage", licenseId.toString(), "--from", "2026-12-01", "--to",
                "2026-12-07");
        assertEquals(0, usage.code(), usage::toString);
        assertTrue(usage.out().contains("6.666667") && usage.out().contains("total"), usage::toString);
        assertEquals(List.of("2026-12-01"), issuer.last().params("from"));
        assertEquals(List.of("2026-12-07"), issuer.last().params("to"));

        Run backwards = Run.of(env, "licenses", "usage", licenseId.toString(), "--from", "2026-12-08", "--to",
                "2026-12-07");
        assertEquals(ExitCodes.USAGE, backwards.code(), backwards::toString);
    }

    @Test
    void aGroupWithoutItsSubcommandAsksForOne() {
        for (String group : List.of("usage-reports", "licenses", "checkouts")) {
            Run r = Run.of(env, group);
            assertEquals(ExitCodes.USAGE, r.code(), r::toString);
            assertTrue(r.err().contains("Missing subcommand"), r::toString);
        }
    }
}
