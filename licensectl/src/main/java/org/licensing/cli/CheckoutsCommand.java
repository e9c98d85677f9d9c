package org.licensing.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.licensing.core.checkout.CheckoutRequest;
import org.licensing.core.checkout.CheckoutReturn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Checkouts: license files for air-gapped machines ({@code licenses checkout} makes one from the machine's request
 * file; {@code checkouts list} and {@code checkouts return} manage them).
 */
@Command(name = "checkouts", description = "List and return the checkouts (air-gapped license files) of a license.",
        subcommands = {CheckoutsCommand.ListCheckouts.class, CheckoutsCommand.Return.class})
final class CheckoutsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help")
    boolean help;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand");
    }

    static String path(String licenseId) {
        return LicensesCommand.path(licenseId) + "/checkouts";
    }

    static String read(Path file, String what, BaseCommand command) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw command.usage("Cannot read the " + what + " " + file + ": " + e.getMessage());
        }
    }

    static void write(Path out, String text) {
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(out, text + "\n");
        } catch (IOException e) {
            throw new CliException(ExitCodes.OTHER, "Cannot write " + out + ": " + e.getMessage());
        }
    }

    @Command(name = "checkout", description = {"Check the license out for an air-gapped machine: from the checkout",
            "request the machine wrote, a license file bound to that machine and to the license key.",
            "It takes a seat until it ends or is returned (`checkouts return`)."})
    static final class CheckOut extends LicensesCommand.Change {
        @Parameters(paramLabel = "ID", description = "License id")
        String id;

        @Option(names = "--request", required = true, paramLabel = "FILE", description = "The checkout request file"
                + " the machine wrote ('-': standard input)")
        String request;

        @Option(names = "--days", required = true, paramLabel = "N", description = "How long it runs (at most the"
                + " policy's maxCheckoutDays, never past the license's expiry + grace)")
        int days;

        @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write the checkout file to FILE"
                + " (default: the issuer's file name in the current directory)")
        Path out;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit log")
        String reason;

        @Override
        public Integer call() {
            String text = "-".equals(request) ? cli.valueOrStdin("-", "the checkout request")
                    : read(Path.of(request), "checkout request", this);
            try {
                CheckoutRequest.parse(text); // a person's mistake is told here, before anything is sent
            } catch (IllegalArgumentException e) {
                throw usage("--request: " + e.getMessage());
            }
            ObjectNode body = cli.json().createObjectNode();
            body.put("request", text.strip());
            body.put("durationDays", days);
            if (reason != null) {
                body.put("reason", reason);
            }
            JsonNode issued = post(path(id), body).body();
            Path target = out != null ? out : Path.of(issued.path("fileName").asText(id + ".checkout"));
            write(target, issued.path("file").asText());
            if (jsonOutput) {
                ObjectNode copy = ((ObjectNode) issued).deepCopy();
                copy.remove("file");
                copy.put("savedTo", target.toString());
                cli.printJson(copy);
            } else {
                List<String[]> rows = new ArrayList<>();
                rows.add(Render.row("Checkout", issued.path("checkoutId").asText()));
                rows.add(Render.row("Machine", issued.path("fingerprint").asText()));
                rows.add(Render.row("Sequence", issued.path("sequence").asText()));
                rows.add(Render.row("Until", issued.path("until").asText()));
                rows.add(Render.row("Saved to", target.toString()));
                Render.fields(cli.out(), rows);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = "The latest checkout of every machine of a license, newest first.")
    static final class ListCheckouts extends BaseCommand {
        @Parameters(paramLabel = "ID", description = "License id")
        String id;

        @Override
        public Integer call() {
            JsonNode list = cli.issuer().get(path(id)).body();
            if (jsonOutput) {
                cli.printJson(list);
                return ExitCodes.OK;
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode c : list) {
                rows.add(List.of(c.path("fingerprint").asText(), c.path("sequence").asText(),
                        c.path("state").asText(), c.path("until").asText(),
                        c.path("returnedAt").isNull() || c.path("returnedAt").isMissingNode() ? "-"
                                : c.path("returnedAt").asText(),
                        c.path("label").isTextual() ? c.path("label").asText() : "-"));
            }
            Render.table(cli.out(), List.of("FINGERPRINT", "SEQ", "STATE", "UNTIL", "RETURNED", "LABEL"), rows);
            return ExitCodes.OK;
        }
    }

    @Command(name = "return", description = {"Return a checkout: with the return file the retired machine wrote",
            "(preferred: it proves the file was deleted), or by the machine's fingerprint (the machine is gone)."})
    static final class Return extends LicensesCommand.Change {
        @Parameters(paramLabel = "ID", description = "License id")
        String id;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Which which;

        static final class Which {
            @Option(names = "--file", paramLabel = "FILE", description = "The return file ('-': standard input)")
            String file;

            @Option(names = "--fingerprint", paramLabel = "FP", description = "The machine's fingerprint")
            String fingerprint;
        }

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit log (with --fingerprint)")
        String reason;

        @Override
        public Integer call() {
            JsonNode returned;
            if (which.file != null) {
                String text = "-".equals(which.file) ? cli.valueOrStdin("-", "the return file")
                        : read(Path.of(which.file), "return file", this);
                try {
                    CheckoutReturn.parse(text);
                } catch (IllegalArgumentException e) {
                    throw usage("--file: " + e.getMessage());
                }
                returned = post(path(id) + "/returns", Map.of("returnFile", text.strip())).body();
            } else {
                String query = reason == null ? "" : IssuerClient.query(Map.of("reason", reason));
                returned = delete(path(id) + "/" + IssuerClient.segment(which.fingerprint) + query).body();
            }
            if (jsonOutput) {
                cli.printJson(returned);
            } else {
                cli.out().println("Returned the checkout of machine " + returned.path("fingerprint").asText()
                        + " (seq " + returned.path("sequence").asText() + "); its seat is free.");
            }
            return ExitCodes.OK;
        }
    }
}
