package org.licensing.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.licensing.core.checkout.CheckoutDocument;
import org.licensing.core.checkout.CheckoutFiles;
import org.licensing.core.checkout.CheckoutRequest;
import org.licensing.core.checkout.CheckoutReturn;
import org.licensing.core.checkout.VerifiedCheckout;
import org.licensing.core.document.LicenseDocument;
import org.licensing.core.document.LicenseFileException;
import org.licensing.core.key.LicenseKey;
import org.licensing.core.key.MalformedLicenseKeyException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWKSet;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Checkouts: license files for air-gapped machines ({@code licenses checkout} makes one from the machine's request
 * file; {@code checkouts list} and {@code checkouts return} manage them).
 */
@Command(name = "checkouts", description = "List and return the checkouts (air-gapped license files) of a license.",
        subcommands = {CheckoutsCommand.ListCheckouts.class, CheckoutsCommand.Return.class,
                CheckoutsCommand.Verify.class})
final class CheckoutsCommand extends CommandGroup {

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

    @Command(name = "verify", description = {"Verify a checkout file offline (no network) with the license key",
            "against the issuer's JWK Set or a pinned key file: prints its machine fingerprint, validity",
            "and limits. Exit 0 when usable (VALID, EXPIRED_IN_GRACE); 6 when genuine but not usable;",
            "7 when it cannot be trusted (signature, key, another machine or license key, altered)."})
    static final class Verify extends BaseCommand {
        @Parameters(paramLabel = "FILE", description = "The checkout file (compact JWE)")
        Path file;

        @Option(names = "--key", required = true, paramLabel = "KEY", description = "The license key (opens the"
                + " file); '-' reads it from standard input")
        String licenseKey;

        @Mixin
        OfflineTrust trust;

        @Option(names = "--fingerprint", paramLabel = "FP", description = "The machine the file must be for"
                + " (default: the one its header names)")
        String fingerprint;

        @Override
        public Integer call() {
            String jwe = VerifyCommand.read(file, "checkout file");
            Duration skew = trust.skew(this);
            JWKSet keys = trust.keys();
            LicenseKey key;
            try {
                key = LicenseKey.parse(cli.valueOrStdin(licenseKey, "the license key"));
            } catch (MalformedLicenseKeyException e) {
                throw usage("--key: " + e.getMessage());
            }
            Instant now = trust.now(cli);
            VerifiedCheckout v;
            try {
                String fp = fingerprint != null ? fingerprint : CheckoutFiles.fingerprintOf(jwe);
                v = CheckoutFiles.open(jwe, key, fp, keys, trust.issuer, now, skew);
            } catch (LicenseFileException e) {
                throw OfflineTrust.rejected(this, "Checkout", e);
            }
            print(v, now);
            return v.validity().usable() ? ExitCodes.OK : ExitCodes.NOT_USABLE;
        }

        private void print(VerifiedCheckout v, Instant now) {
            CheckoutDocument d = v.document();
            LicenseDocument l = d.license();
            String site = d.fingerprint() == null ? "none (unbound file)" : d.fingerprint();
            String relay = d.relayKey() == null ? null : d.relayKey().getKeyID();
            if (jsonOutput) {
                ObjectNode o = cli.json().createObjectNode();
                o.put("status", v.validity().name()).put("usable", v.validity().usable())
                        .put("checkedAt", now.toString()).put("kid", v.kid()).put("checkoutId",
                                d.checkoutId().toString())
                        .put("fingerprint", d.fingerprint()).put("sequence", d.sequence())
                        .put("issuedAt", d.issuedAt().toString()).put("until", d.until().toString())
                        .put("licenseId", l.licenseId()).put("productCode", l.productCode())
                        .put("relayKid", relay);
                ObjectNode limits = o.putObject("limits");
                l.limits().forEach(limits::put);
                ObjectNode features = o.putObject("features");
                l.features().forEach(features::put);
                cli.printJson(o);
                return;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(Render.row("Status", v.validity().name() + (v.validity().usable() ? "" : " (not usable)")));
            rows.add(Render.row("Checked at", now.toString()));
            rows.add(Render.row("Signed by", "kid " + v.kid()));
            rows.add(Render.row("Fingerprint", site));
            rows.add(Render.row("Checkout", d.checkoutId() + " (seq " + d.sequence() + ")"));
            rows.add(Render.row("Valid", d.issuedAt() + " to " + d.until()));
            rows.add(Render.row("License", l.licenseId()));
            rows.add(Render.row("Product", l.productCode()));
            rows.add(Render.row("Limits", Render.map(l.limits())));
            rows.add(Render.row("Features", Render.map(l.features())));
            if (relay != null) {
                rows.add(Render.row("Relay key", relay));
            }
            Render.fields(cli.out(), rows);
        }
    }
}
