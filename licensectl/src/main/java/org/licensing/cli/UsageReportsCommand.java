package org.licensing.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.licensing.core.usage.UsageReport;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jwt.JWTClaimsSet;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Usage reports of air-gapped sites: {@code usage-reports submit} hands in the file a site's relay made,
 * {@code usage-reports list} shows a license's report chains, {@code licenses usage} its use per day.
 */
@Command(name = "usage-reports", description = "Hand in and list the usage reports of air-gapped sites' relays.",
        subcommands = {UsageReportsCommand.Submit.class, UsageReportsCommand.ListReports.class})
final class UsageReportsCommand extends CommandGroup {

    static String path(String licenseId) {
        return LicensesCommand.path(licenseId) + "/usage-reports";
    }

    @Command(name = "submit", description = {"Hand in a usage report file a site's relay made (report.jws). The",
            "license is the one the report names. Reports of a site are accepted in order, each once."})
    static final class Submit extends LicensesCommand.Change {
        @Parameters(paramLabel = "FILE", description = "The report file (compact JWS; '-': standard input)")
        String file;

        @Override
        public Integer call() {
            String text = "-".equals(file) ? cli.valueOrStdin("-", "the usage report")
                    : VerifyCommand.read(Path.of(file), "usage report");
            UsageReport report;
            try {
                // Read, not verified (the issuer verifies with the relay key it certified): a wrong file is told
                // here, before anything is sent.
                report = UsageReport.fromClaims(JWTClaimsSet.parse(JWSObject.parse(text).getPayload()
                        .toJSONObject()));
            } catch (java.text.ParseException | IllegalArgumentException | NullPointerException e) {
                throw usage(file + " is not a usage report: " + e.getMessage());
            }
            JsonNode accepted = postText(path(report.licenseId()), "application/jwt", text).body();
            if (jsonOutput) {
                cli.printJson(accepted);
            } else {
                cli.out().println("Accepted report " + accepted.path("sequence").asText() + " of relay key "
                        + accepted.path("relayKid").asText() + " (site " + accepted.path("fingerprint").asText()
                        + ") for license " + accepted.path("licenseId").asText() + ": "
                        + accepted.path("from").asText() + " to " + accepted.path("to").asText());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = "A license's report chains (one per relay key) and its latest reports.")
    static final class ListReports extends BaseCommand {
        @Parameters(paramLabel = "ID", description = "License id")
        String id;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "How many reports (1-1000,"
                + " default ${DEFAULT-VALUE})")
        int limit;

        @Override
        public Integer call() {
            if (limit < 1 || limit > 1000) {
                throw usage("--limit must be 1-1000");
            }
            JsonNode body = cli.issuer().get(path(id) + IssuerClient.query(Map.of("limit", limit))).body();
            if (jsonOutput) {
                cli.printJson(body);
                return ExitCodes.OK;
            }
            List<List<String>> chains = new ArrayList<>();
            for (JsonNode c : body.path("chains")) {
                chains.add(List.of(c.path("relayKid").asText(), c.path("fingerprint").asText(),
                        c.path("lastSequence").asText(), c.path("coveredUntil").asText(),
                        c.path("nextSequence").asText()));
            }
            Render.table(cli.out(), List.of("RELAY KEY", "SITE", "LAST", "COVERED UNTIL", "NEXT"), chains);
            cli.out().println();
            List<List<String>> reports = new ArrayList<>();
            for (JsonNode r : body.path("reports")) {
                reports.add(List.of(r.path("sequence").asText(), r.path("relayKid").asText(),
                        r.path("from").asText(), r.path("to").asText(), r.path("receivedAt").asText(),
                        Render.map(r.path("totals"))));
            }
            Render.table(cli.out(), List.of("SEQ", "RELAY KEY", "FROM", "TO", "RECEIVED", "TOTALS"), reports);
            return ExitCodes.OK;
        }
    }

    @Command(name = "usage", description = {"A license's reported use per quantity per UTC day, beside its limits",
            "(quantity-seconds, and the day's average in use)."})
    static final class Usage extends BaseCommand {
        @Parameters(paramLabel = "ID", description = "License id")
        String id;

        @Option(names = "--from", paramLabel = "DAY", description = "First day (YYYY-MM-DD; default: 29 days before"
                + " --to)")
        LocalDate from;

        @Option(names = "--to", paramLabel = "DAY", description = "Last day, inclusive (default: today, UTC)")
        LocalDate to;

        @Override
        public Integer call() {
            if (from != null && to != null && from.isAfter(to)) {
                throw usage("--from must not be after --to");
            }
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("from", from);
            q.put("to", to);
            JsonNode body = cli.issuer().get(LicensesCommand.path(id) + "/usage" + IssuerClient.query(q)).body();
            if (jsonOutput) {
                cli.printJson(body);
                return ExitCodes.OK;
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode quantity : body.path("quantities")) {
                String name = quantity.path("quantity").asText();
                String limit = quantity.path("limit").isTextual() ? quantity.path("limit").asText() : "-";
                for (JsonNode d : quantity.path("days")) {
                    rows.add(List.of(name, d.path("day").asText(), d.path("quantitySeconds").asText(),
                            d.path("averageInUse").asText(), limit));
                }
                rows.add(List.of(name, "total", quantity.path("quantitySeconds").asText(), "", limit));
            }
            cli.out().println("Usage of license " + body.path("licenseId").asText() + " from "
                    + body.path("from").asText() + " to " + body.path("to").asText());
            Render.table(cli.out(), List.of("QUANTITY", "DAY", "QUANTITY-SECONDS", "AVERAGE IN USE", "LIMIT"), rows);
            return ExitCodes.OK;
        }
    }

}
