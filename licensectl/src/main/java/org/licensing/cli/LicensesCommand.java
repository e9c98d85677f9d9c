package org.licensing.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.licensing.core.key.LicenseKey;
import org.licensing.core.key.MalformedLicenseKeyException;
import org.licensing.core.license.LicenseStatus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "licenses", description = "List, search, show, issue, renew, suspend, reinstate, revoke licenses;"
        + " download license files.",
        subcommands = {LicensesCommand.ListLicenses.class, LicensesCommand.Search.class, LicensesCommand.Show.class,
                LicensesCommand.Issue.class, LicensesCommand.Renew.class, LicensesCommand.Suspend.class,
                LicensesCommand.Reinstate.class, LicensesCommand.Revoke.class, LicensesCommand.Download.class})
final class LicensesCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help")
    boolean help;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand");
    }

    static String path(String licenseId) {
        return "/v1/licenses/" + IssuerClient.segment(licenseId);
    }

    /** Shared by list and search: one page of licenses. */
    abstract static class Page extends BaseCommand {
        @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "Page size, 1-100"
                + " (default: ${DEFAULT-VALUE})")
        int limit;

        @Option(names = "--cursor", paramLabel = "CURSOR", description = "nextCursor of the previous page")
        String cursor;

        int page(String customer, String product, LicenseStatus status, Instant expiringBefore) {
            if (limit < 1 || limit > 100) {
                throw usage("--limit must be between 1 and 100");
            }
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("customerId", customer);
            q.put("productCode", product);
            q.put("status", status);
            q.put("expiringBefore", expiringBefore);
            q.put("limit", limit);
            q.put("cursor", cursor);
            JsonNode body = cli.issuer().get("/v1/licenses" + IssuerClient.query(q)).body();
            if (jsonOutput) {
                cli.printJson(body);
                return ExitCodes.OK;
            }
            List<List<String>> rows = new ArrayList<>();
            body.path("items").forEach(l -> rows.add(Render.licenseRow(l)));
            if (rows.isEmpty()) {
                cli.out().println("No licenses.");
            } else {
                Render.table(cli.out(), Render.licenseHeader(), rows);
            }
            String next = Render.text(body, "nextCursor");
            if (next != null) {
                cli.out().println();
                cli.out().println("More: --cursor " + next);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = "A customer's licenses, newest first.")
    static final class ListLicenses extends Page {
        @Option(names = "--customer", required = true, paramLabel = "ID", description = "Customer id")
        String customer;

        @Option(names = "--status", paramLabel = "STATUS", description = "Only this status: ${COMPLETION-CANDIDATES}")
        LicenseStatus status;

        @Override
        public Integer call() {
            return page(customer, null, status, null);
        }
    }

    @Command(name = "search", description = {"Licenses by customer (newest first) or product (soonest expiry first),",
            "filtered by status and expiry. Give --customer or --product."})
    static final class Search extends Page {
        @Option(names = "--customer", paramLabel = "ID", description = "Customer id")
        String customer;

        @Option(names = "--product", paramLabel = "CODE", description = "Product code")
        String product;

        @Option(names = "--status", paramLabel = "STATUS", description = "${COMPLETION-CANDIDATES}")
        LicenseStatus status;

        @Option(names = "--expiring-before", paramLabel = "INSTANT", description = "e.g. 2027-01-01 or"
                + " 2027-01-01T00:00:00Z")
        Instant expiringBefore;

        @Override
        public Integer call() {
            if (customer == null && product == null) {
                throw usage("Give --customer or --product: searching by status or expiry alone would read every"
                        + " license");
            }
            return page(customer, product, status, expiringBefore);
        }
    }

    @Command(name = "show", description = "One license.")
    static final class Show extends BaseCommand {
        @Parameters(paramLabel = "ID", description = "License id")
        String id;

        @Override
        public Integer call() {
            JsonNode body = cli.issuer().get(path(id)).body();
            if (jsonOutput) {
                cli.printJson(body);
            } else {
                Render.fields(cli.out(), Render.license(body));
            }
            return ExitCodes.OK;
        }
    }

    /** A POST: fresh Idempotency-Key per invocation unless one is given (to retry safely). */
    abstract static class Change extends BaseCommand {
        @Option(names = "--idempotency-key", paramLabel = "KEY", description = "Reuse the key of an earlier attempt"
                + " to retry it safely (default: a fresh UUID, printed when a retry may be needed)")
        String idempotencyKey;

        IssuerClient.Answer post(String path, Object body) {
            String key = idempotencyKey != null ? idempotencyKey : UUID.randomUUID().toString();
            if (key.isEmpty() || key.length() > 255 || key.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                throw usage("--idempotency-key must be 1-255 printable ASCII characters without spaces");
            }
            try {
                IssuerClient.Answer answer = cli.issuer().post(path, body, key);
                if (answer.replayed()) {
                    cli.err().println("licensectl: the issuer replayed its first answer to Idempotency-Key " + key);
                }
                return answer;
            } catch (CliException e) {
                if (e.exitCode() == ExitCodes.OTHER && idempotencyKey == null) {
                    cli.err().println("licensectl: to retry this request safely add --idempotency-key " + key);
                }
                throw e;
            }
        }

        int printLicense(JsonNode body) {
            if (jsonOutput) {
                cli.printJson(withoutKey(body));
            } else {
                Render.fields(cli.out(), Render.license(body));
            }
            return ExitCodes.OK;
        }

        private static JsonNode withoutKey(JsonNode body) {
            if (body instanceof ObjectNode o && o.has("licenseKey")) {
                ObjectNode copy = o.deepCopy();
                copy.remove("licenseKey");
                return copy;
            }
            return body;
        }
    }

    @Command(name = "issue", description = {"Issue a license from a policy; the options override the policy for",
            "this license. Prints the license key: it is shown only this once."})
    static final class Issue extends Change {
        @Option(names = "--customer", required = true, paramLabel = "ID", description = "Customer id (UUID)")
        UUID customer;

        @Option(names = "--policy", required = true, paramLabel = "ID", description = "Policy id (UUID)")
        UUID policy;

        @Option(names = "--product", paramLabel = "CODE", description = "Check: must be the policy's product")
        String product;

        @Option(names = "--not-before", paramLabel = "INSTANT", description = "Default: now")
        Instant notBefore;

        @ArgGroup(exclusive = true)
        Expiry expiry;

        static final class Expiry {
            @Option(names = "--expires-at", paramLabel = "INSTANT", description = "Absolute expiry")
            Instant expiresAt;

            @Option(names = "--duration-days", paramLabel = "DAYS", description = "Days from not-before (default:"
                    + " the policy's)")
            Integer durationDays;
        }

        @Option(names = "--grace-days", paramLabel = "DAYS")
        Integer graceDays;

        @Option(names = "--max-activations", paramLabel = "N", description = "0 = unlimited")
        Integer maxActivations;

        @Option(names = "--feature", paramLabel = "NAME=true|false", description = "Feature flag; repeatable")
        Map<String, Boolean> features;

        @Option(names = "--limit", paramLabel = "NAME=N",
                description = "Numeric limit, an exact decimal, e.g. cuda.device=8 or cuda.shares=2.5; repeatable")
        Map<String, java.math.BigDecimal> limits;

        @Override
        public Integer call() {
            ObjectNode body = cli.json().createObjectNode();
            body.put("customerId", customer.toString());
            body.put("policyId", policy.toString());
            putIfSet(body, "productCode", product);
            putIfSet(body, "notBefore", notBefore);
            if (expiry != null) {
                putIfSet(body, "expiresAt", expiry.expiresAt);
                if (expiry.durationDays != null) {
                    body.put("durationDays", expiry.durationDays);
                }
            }
            if (graceDays != null) {
                body.put("graceDays", graceDays);
            }
            if (maxActivations != null) {
                body.put("maxActivations", maxActivations);
            }
            if (features != null || limits != null) {
                ObjectNode e = body.putObject("entitlements");
                if (features != null) {
                    ObjectNode f = e.putObject("features");
                    features.forEach(f::put);
                }
                if (limits != null) {
                    ObjectNode l = e.putObject("limits");
                    limits.forEach(l::put);
                }
            }
            JsonNode answer = post("/v1/licenses", body).body();
            if (jsonOutput) {
                cli.printJson(answer);
                return ExitCodes.OK;
            }
            Render.fields(cli.out(), Render.license(answer));
            cli.out().println();
            cli.out().println("License key (shown only now; give it to the customer and keep no copy):");
            cli.out().println("  " + Render.text(answer, "licenseKey"));
            return ExitCodes.OK;
        }
    }

    /** suspend / reinstate / revoke: optional reason and expected version. */
    abstract static class Transition extends Change {
        @Parameters(paramLabel = "ID", description = "License id")
        String id;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Recorded in the audit log (max 500)")
        String reason;

        @Option(names = "--expected-version", paramLabel = "V", description = "Fail with exit 5 unless the license is"
                + " still at version V")
        Long expectedVersion;

        int transition(String action) {
            ObjectNode body = cli.json().createObjectNode();
            if (expectedVersion != null) {
                body.put("expectedVersion", expectedVersion);
            }
            putIfSet(body, "reason", reason);
            return printLicense(post(path(id) + "/" + action, body).body());
        }
    }

    @Command(name = "suspend", description = "ACTIVE -> SUSPENDED: validation answers SUSPENDED.")
    static final class Suspend extends Transition {
        @Override
        public Integer call() {
            return transition("suspend");
        }
    }

    @Command(name = "reinstate", description = "SUSPENDED -> ACTIVE.")
    static final class Reinstate extends Transition {
        @Override
        public Integer call() {
            return transition("reinstate");
        }
    }

    @Command(name = "revoke", description = "Final: a revoked license never becomes active again.")
    static final class Revoke extends Transition {
        @Override
        public Integer call() {
            return transition("revoke");
        }
    }

    @Command(name = "renew", description = "Extend the expiry: --extend-days N or --expires-at INSTANT.")
    static final class Renew extends Change {
        @Parameters(paramLabel = "ID", description = "License id")
        String id;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Extension extension;

        static final class Extension {
            @Option(names = "--extend-days", paramLabel = "N", description = "Days added to the current expiry")
            Integer extendDays;

            @Option(names = "--expires-at", paramLabel = "INSTANT", description = "New expiry, later than the"
                    + " current one")
            Instant expiresAt;
        }

        @Option(names = "--expected-version", paramLabel = "V", description = "Fail with exit 5 unless the license is"
                + " still at version V")
        Long expectedVersion;

        @Override
        public Integer call() {
            ObjectNode body = cli.json().createObjectNode();
            if (expectedVersion != null) {
                body.put("expectedVersion", expectedVersion);
            }
            if (extension.extendDays != null) {
                body.put("extendDays", extension.extendDays);
            }
            putIfSet(body, "expiresAt", extension.expiresAt);
            return printLicense(post(path(id) + "/renew", body).body());
        }
    }

    @Command(name = "file", description = {"Download the signed license file (JWS) for offline installs;",
            "with --license-key, the file encrypted for that key (JWE)."})
    static final class Download extends BaseCommand {
        @Parameters(paramLabel = "ID", description = "License id")
        String id;

        @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write it to FILE (default: standard"
                + " output)")
        Path out;

        @Option(names = "--license-key", paramLabel = "KEY", description = "Encrypt for this license key; '-' reads"
                + " it from standard input")
        String licenseKey;

        @Override
        public Integer call() {
            Map<String, String> headers = new LinkedHashMap<>();
            if (licenseKey != null) {
                String key = cli.valueOrStdin(licenseKey, "the license key");
                try {
                    LicenseKey.parse(key);
                } catch (MalformedLicenseKeyException e) {
                    throw usage("--license-key: " + e.getMessage());
                }
                headers.put("License-Key", key.strip());
            }
            IssuerClient.Text file = cli.issuer().getText(path(id) + "/file",
                    licenseKey != null ? "application/jose" : "application/jwt", headers);
            String token = file.body().strip();
            String format = licenseKey != null ? "jwe" : "jws";
            if (out == null) {
                cli.out().println(token);
                return ExitCodes.OK;
            }
            try {
                Path parent = out.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.writeString(out, token + "\n");
            } catch (IOException e) {
                throw new CliException(ExitCodes.OTHER, "Cannot write " + out + ": " + e.getMessage());
            }
            if (jsonOutput) {
                cli.printJson(Map.of("licenseId", id, "format", format, "file", out.toString()));
            } else {
                cli.out().println("Saved the " + (licenseKey != null ? "encrypted (JWE)" : "signed (JWS)")
                        + " license file of " + id + " to " + out);
            }
            return ExitCodes.OK;
        }
    }

    static void putIfSet(ObjectNode node, String field, Object value) {
        if (value != null) {
            node.put(field, value.toString());
        }
    }
}
