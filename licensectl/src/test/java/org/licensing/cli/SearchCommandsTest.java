package org.licensing.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensing.cli.StandInIssuer.Reply;
import org.licensing.cli.StandInIssuer.Seen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** list, search, stats and the CSV export: the flags as the issuer's search parameters, paging, output. */
class SearchCommandsTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-12-01T10:00:00.750Z"), ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private StandInIssuer issuer;
    private Map<String, String> env;

    @BeforeEach
    void start() throws IOException {
        issuer = new StandInIssuer();
        env = Map.of("LICENSECTL_CONFIG", dir.resolve("none.json").toString(), "LICENSECTL_URL", issuer.url(),
                "LICENSECTL_TOKEN", "t.t.t");
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    private Run run(String... args) {
        return Run.at(NOW, env, "", args);
    }

    private Run ok(String... args) {
        Run r = run(args);
        assertEquals(0, r.code(), r::toString);
        return r;
    }

    private static String summary(String id, String customer) {
        return "{\"licenseId\":\"" + id + "\",\"customerId\":\"C-" + id + "\",\"customerName\":" + JSON.valueToTree(
                customer) + ",\"customerExternalId\":\"crm-1\",\"productCode\":\"gpu-cluster\",\"productName\":\"GPU"
                + " Cluster Manager\",\"policyId\":\"P1\",\"status\":\"ACTIVE\",\"issuedAt\":\"2026-01-01T00:00:00Z\","
                + "\"notBefore\":\"2026-01-01T00:00:00Z\",\"expiresAt\":\"2027-01-01T00:00:00.123456Z\",\"graceDays\":14,"
                + "\"entitlements\":{\"features\":{\"sso\":true},\"limits\":{\"cuda.device\":8,\"cuda.shares\":2.5}},"
                + "\"version\":3,\"updatedAt\":\"2026-06-01T00:00:00Z\"}";
    }

    private static String page(String next, String... items) {
        return "{\"items\":[" + String.join(",", items) + "]" + (next == null ? "" : ",\"nextCursor\":\"" + next + "\"")
                + "}";
    }

    private static final String POLICY = "9d7c2c0e-7a1b-4c55-8f0e-2b6a1d3c4e5f";
    private static final String CUSTOMER = "3f0f6f7e-5a47-4f0e-9a43-0d3f2f1f9b10";

    @Test
    void everyFilterBecomesTheIssuersSearchParameter() {
        issuer.on("GET /v1/licenses", Reply.json(page(null)));
        ok("licenses", "list", "--query", " Acme ", "--status", "active", "--status", "suspended,ACTIVE", "--product",
                "gpu-cluster", "--policy", POLICY, "--customer", CUSTOMER, "--expiring-within", "30d", "--issued-after",
                "2026-01-01", "--issued-before", "2026-07-01T12:00:00Z", "--min-limit", "cuda.device:8", "--min-limit",
                "cuda.shares:2.50", "--sort", "customername", "--order", "DESC", "--limit", "5");
        Seen s = issuer.last();
        assertEquals("/v1/licenses", s.uri().getRawPath());
        assertTrue(s.accept().startsWith("application/json"), s::accept);
        assertEquals("Bearer t.t.t", s.authorization());
        assertEquals("Acme", s.param("q"));
        assertEquals(List.of("ACTIVE", "SUSPENDED"), s.params("status"), "repeated and comma-separated, once each");
        assertEquals("gpu-cluster", s.param("productCode"));
        assertEquals(POLICY, s.param("policyId"));
        assertEquals(CUSTOMER, s.param("customerId"));
        // --expiring-within 30d: from now (to the second) to now + 30 days.
        assertEquals("2026-12-01T10:00:00Z", s.param("expiresAfter"));
        assertEquals("2026-12-31T10:00:00Z", s.param("expiresBefore"));
        assertEquals("2026-01-01T00:00:00Z", s.param("issuedAfter"));
        assertEquals("2026-07-01T12:00:00Z", s.param("issuedBefore"));
        assertEquals(List.of("cuda.device:8", "cuda.shares:2.5"), s.params("minLimit"), "canonical decimals");
        assertEquals("customerName", s.param("sort"));
        assertEquals("desc", s.param("order"));
        assertEquals("5", s.param("limit"));
        assertNull(s.param("cursor"));
    }

    @Test
    void noFilterListsEveryLicenseAndHoursAreDurationsToo() {
        issuer.on("GET /v1/licenses", Reply.json(page(null)));
        Run r = ok("licenses", "list");
        assertEquals("No licenses.", r.out().strip());
        assertEquals("limit=20", issuer.last().uri().getRawQuery(), "no filter the operator did not give");

        assertEquals(ExitCodes.USAGE, run("licenses", "search", "--expiring-within", "12h", "--expires-after",
                "2026-12-01").code(), "one expiry range, not two");
        ok("licenses", "search", "--expiring-within", "12h");
        assertEquals("2026-12-01T22:00:00Z", issuer.last().param("expiresBefore"));
        ok("licenses", "search", "--expires-after", "2027-01-01", "--expiring-before", "2027-02-01T12:00:00Z");
        assertEquals("2027-01-01T00:00:00Z", issuer.last().param("expiresAfter"));
        assertEquals("2027-02-01T12:00:00Z", issuer.last().param("expiresBefore"), "the flag's old name still works");
    }

    @Test
    void searchTakesTheQueryAsItsArgument() {
        issuer.on("GET /v1/licenses", Reply.json(page(null, summary("L1", "Acme GPU Cloud"))));
        Run r = ok("licenses", "search", "acme gpu", "--status", "revoked");
        assertEquals("acme gpu", issuer.last().param("q"));
        assertEquals(List.of("REVOKED"), issuer.last().params("status"));
        assertTrue(r.out().contains("L1"), r::toString);
    }

    @Test
    void theTableIsOneReadableLinePerLicense() {
        String longName = "Very Long Customer Name Incorporated Holdings Worldwide";
        issuer.on("GET /v1/licenses", Reply.json(page("c1", summary("L1", "Acme\nFake row \u001b[31mred"),
                summary("L2", longName))));
        Run r = ok("licenses", "list");
        List<String> lines = r.out().lines().toList();
        assertEquals(List.of("LICENSE", "CUSTOMER", "PRODUCT", "STATUS", "EXPIRES", "LIMITS"),
                List.of(lines.get(0).split("\\s{2,}")));
        assertTrue(lines.get(1).startsWith("L1  ") && lines.get(2).startsWith("L2  "), r::toString);
        assertTrue(lines.get(1).contains("Acme?Fake row ?[31mred"), "control characters never reach the terminal");
        assertFalse(r.out().contains("\u001b"), r::toString);
        assertTrue(lines.get(2).contains(longName.substring(0, 29) + "...") && !r.out().contains(longName),
                r::toString);
        assertTrue(lines.get(1).contains("2027-01-01T00:00:00Z  cuda.device=8, cuda.shares=2.5"), r::toString);
        // Columns line up: every row's STATUS starts where the header's does.
        int status = lines.get(0).indexOf("STATUS");
        assertEquals("ACTIVE", lines.get(1).substring(status, status + 6));
        assertEquals("ACTIVE", lines.get(2).substring(status, status + 6));
        assertEquals(List.of("", "More: --cursor c1"), lines.subList(3, 5));

        // The issuer ties a cursor to its filters: an --expiring-within range is spelt out to page on with.
        Run within = ok("licenses", "list", "--expiring-within", "30d");
        assertTrue(within.out().contains("More: --cursor c1\n  (with the same flags, --expires-after"
                + " 2026-12-01T10:00:00Z --expires-before 2026-12-31T10:00:00Z in place of --expiring-within 30d)"),
                within::toString);

        Run next = ok("licenses", "list", "--cursor", "c1", "--limit", "2");
        assertEquals("c1", issuer.last().param("cursor"));
        assertEquals("2", issuer.last().param("limit"));
        assertTrue(next.out().contains("L2"), next::toString);
    }

    @Test
    void allFollowsTheCursorsToTheLastPage() throws Exception {
        issuer.on("GET /v1/licenses", s -> {
            String cursor = s.param("cursor");
            if (cursor == null) {
                return Reply.json(page("c1", summary("L1", "A"), summary("L2", "B")));
            }
            return cursor.equals("c1") ? Reply.json(page("c2", summary("L3", "C"), summary("L4", "D")))
                    : Reply.json(page(null, summary("L5", "E")));
        });
        Run r = ok("licenses", "list", "--status", "active", "--all");
        List<Seen> calls = issuer.seen();
        assertEquals(3, calls.size());
        assertEquals(Stream.of(null, "c1", "c2").toList(), calls.stream().map(c -> c.param("cursor")).toList());
        calls.forEach(c -> {
            assertEquals("100", c.param("limit"), "the largest pages");
            assertEquals(List.of("ACTIVE"), c.params("status"), "every page with the same filters");
        });
        for (String id : List.of("L1", "L2", "L3", "L4", "L5")) {
            assertEquals(1, r.out().lines().filter(l -> l.startsWith(id + " ")).count(), r::toString);
        }
        assertFalse(r.out().contains("More:"), r::toString);

        issuer.seen().clear();
        JsonNode all = JSON.readTree(ok("licenses", "list", "--all", "--json", "--limit", "2").out());
        assertEquals(5, all.path("items").size());
        assertFalse(all.has("nextCursor"));
        assertEquals("2", issuer.last().param("limit"));
    }

    @Test
    void aCursorThatRepeatsStopsAll() {
        issuer.on("GET /v1/licenses", Reply.json(page("same", summary("L1", "A"))));
        Run r = run("licenses", "list", "--all");
        assertEquals(ExitCodes.OTHER, r.code(), r::toString);
        assertTrue(r.err().contains("same nextCursor twice"), r::toString);
        assertEquals(2, issuer.seen().size());
    }

    @Test
    void jsonPrintsTheIssuersPage() throws Exception {
        issuer.on("GET /v1/licenses", Reply.json(page("c1", summary("L1", "A"))));
        JsonNode body = JSON.readTree(ok("licenses", "search", "--product", "gpu-cluster", "--json").out());
        assertEquals("c1", body.path("nextCursor").asText());
        assertEquals("L1", body.path("items").get(0).path("licenseId").asText());
        assertEquals(2.5, body.path("items").get(0).path("entitlements").path("limits").path("cuda.shares")
                .asDouble());
    }

    private static final String CSV = "licenseId,customerId,customerName,customerExternalId,productCode,policyId,"
            + "status,issuedAt,notBefore,expiresAt,graceDays,limits,features\r\n"
            + "L1,C1,\"Acme, \"\"GPU\"\"\nCloud\",crm-1,gpu-cluster,P1,ACTIVE,2026-01-01T00:00:00Z,"
            + "2026-01-01T00:00:00Z,2027-01-01T00:00:00Z,14,cuda.device=8;cuda.shares=2.5,sso=true\r\n"
            + "L2,C2,Globex,crm-2,gpu-cluster,P1,SUSPENDED,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,"
            + "2027-02-01T00:00:00Z,14,,\r\n";

    @Test
    void csvStreamsTheIssuersExportToStandardOutput() {
        issuer.on("GET /v1/licenses.csv", new Reply(200, "text/csv; charset=utf-8", CSV));
        Run r = ok("licenses", "list", "--csv", "--status", "active,suspended", "--expiring-within", "90d",
                "--sort", "issuedAt");
        assertEquals(CSV, r.out(), "byte for byte");
        Seen s = issuer.last();
        assertEquals("/v1/licenses.csv", s.uri().getRawPath());
        assertTrue(s.accept().startsWith("text/csv"), s::accept);
        assertEquals(List.of("ACTIVE", "SUSPENDED"), s.params("status"));
        assertEquals("2027-03-01T10:00:00Z", s.param("expiresBefore"));
        assertEquals("issuedAt", s.param("sort"));
        assertNull(s.param("limit"), "the export has no page size");
        assertNull(s.param("cursor"));
    }

    @Test
    void csvToAFileCountsItsRowsAndReplacesTheFileWhole() throws Exception {
        issuer.on("GET /v1/licenses.csv", new Reply(200, "text/csv", CSV));
        Path out = dir.resolve("exports/licenses.csv");
        Run r = ok("licenses", "search", "acme", "--csv", "--output", out.toString());
        assertEquals(CSV, Files.readString(out));
        assertEquals("Saved 2 licenses (CSV) to " + out, r.out().strip(), "a quoted newline is not a row");
        assertEquals("acme", issuer.last().param("q"));

        // A failed export keeps the earlier file and leaves no partial one.
        issuer.on("GET /v1/licenses.csv", Reply.problem(400, "invalid-request", "Invalid request",
                "minLimit: unknown"));
        Run failed = run("licenses", "list", "--csv", "-o", out.toString(), "--min-limit", "x:1");
        assertEquals(ExitCodes.USAGE, failed.code(), failed::toString);
        assertTrue(failed.err().contains("Invalid request: minLimit: unknown"), failed::toString);
        assertEquals(CSV, Files.readString(out));
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertEquals(List.of(out), files.toList());
        }

        issuer.on("GET /v1/licenses.csv", new Reply(200, "text/csv", CSV.substring(0, CSV.indexOf('\n') + 1)));
        Run json = ok("licenses", "list", "--csv", "-o", dir.resolve("empty.csv").toString(), "--json");
        JsonNode report = JSON.readTree(json.out());
        assertEquals(0, report.path("licenses").asInt());
    }

    @Test
    void statsPrintsTheCounts() throws Exception {
        String stats = "{\"byStatus\":{\"ACTIVE\":12,\"SUSPENDED\":1,\"REVOKED\":3},\"byProduct\":{\"gpu-cluster\":14,"
                + "\"render-farm\":2},\"expiringWithin\":{\"7\":1,\"30\":4,\"60\":6,\"90\":9}}";
        issuer.on("GET /v1/licenses/stats", Reply.json(stats));
        Run r = ok("licenses", "stats", "--product", "gpu-cluster", "--min-limit", "cuda.device:8");
        Seen s = issuer.last();
        assertEquals("gpu-cluster", s.param("productCode"));
        assertEquals("cuda.device:8", s.param("minLimit"));
        List<String> lines = r.out().lines().map(String::strip).toList();
        assertTrue(lines.containsAll(List.of("ACTIVE     12", "SUSPENDED  1", "REVOKED    3", "total      16",
                "gpu-cluster  14", "render-farm  2", "7 days           1", "90 days          9")), r::toString);
        assertEquals(stats, JSON.writeValueAsString(JSON.readTree(ok("licenses", "stats", "--json").out())));
        assertNull(issuer.last().uri().getRawQuery());
    }

    @Test
    void statusHistoryPrintsAMonthPerRow() throws Exception {
        String history = "{\"productCode\":\"gpu-cluster\",\"months\":["
                + "{\"month\":\"2026-10\",\"at\":\"2026-10-31T23:59:59Z\",\"counts\":{\"ACTIVE\":9,\"SUSPENDED\":0,\"REVOKED\":1}},"
                + "{\"month\":\"2026-11\",\"at\":\"2026-11-30T23:59:59Z\",\"counts\":{\"ACTIVE\":11,\"SUSPENDED\":2,\"REVOKED\":1}},"
                + "{\"month\":\"2026-12\",\"at\":\"2026-12-01T10:00:00Z\",\"counts\":{\"ACTIVE\":12,\"SUSPENDED\":1,\"REVOKED\":3}}]}";
        issuer.on("GET /v1/licenses/status-history", Reply.json(history));
        Run r = ok("licenses", "status-history", "--months", "2", "--product", "gpu-cluster");
        Seen s = issuer.last();
        assertEquals("2", s.param("months"));
        assertEquals("gpu-cluster", s.param("productCode"));
        List<String> lines = r.out().lines().map(String::strip).toList();
        assertEquals(List.of("MONTH    AT                    ACTIVE  SUSPENDED  REVOKED  TOTAL",
                "2026-10  2026-10-31T23:59:59Z  9       0          1        10",
                "2026-11  2026-11-30T23:59:59Z  11      2          1        14",
                "2026-12  2026-12-01T10:00:00Z  12      1          3        16"), lines, r::toString);
        // --json prints the issuer's answer; no flag sends no parameter (the issuer's default, 12 months)
        assertEquals(history, JSON.writeValueAsString(JSON.readTree(ok("licenses", "status-history", "--json")
                .out())));
        assertNull(issuer.last().uri().getRawQuery());

        issuer.on("GET /v1/licenses/status-history", Reply.problem(400, "invalid-request", "Invalid request",
                "months: must be a whole number from 1 to 24, got '30'"));
        Run bad = run("licenses", "status-history", "--months", "30");
        assertEquals(ExitCodes.USAGE, bad.code(), bad::toString);
        assertTrue(bad.err().contains("Invalid request: months: must be a whole number from 1 to 24"),
                bad::toString);
    }
}
