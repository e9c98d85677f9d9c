package org.licensing.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "licenses", description = "List, search, count, show, issue, renew, suspend, reinstate, revoke"
        + " licenses; check them out for air-gapped machines.",
        subcommands = {LicenseSearch.ListLicenses.class, LicenseSearch.Search.class, LicenseSearch.Stats.class,
                LicenseSearch.StatusHistory.class,
                LicensesCommand.Show.class,
                LicensesCommand.Issue.class, LicensesCommand.Renew.class, LicensesCommand.Suspend.class,
                LicensesCommand.Reinstate.class, LicensesCommand.Revoke.class, LicensesCommand.Download.class,
                CheckoutsCommand.CheckOut.class, UsageReportsCommand.Usage.class})
final class LicensesCommand extends CommandGroup {

    static String path(String licenseId) {
        return "/v1/licenses/" + IssuerClient.segment(licenseId);
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
            return send(key -> cli.issuer().post(path, body, key));
        }

        IssuerClient.Answer postText(String path, String contentType, String text) {
            return send(key -> cli.issuer().postText(path, contentType, text, key));
        }

        IssuerClient.Answer delete(String path) {
            return send(key -> cli.issuer().delete(path, key));
        }

        private IssuerClient.Answer send(java.util.function.Function<String, IssuerClient.Answer> call) {
            String key = idempotencyKey != null ? idempotencyKey : UUID.randomUUID().toString();
            if (key.isEmpty() || key.length() > 255 || key.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                throw usage("--idempotency-key must be 1-255 printable ASCII characters without spaces");
            }
            try {
                IssuerClient.Answer answer = call.apply(key);
                if (answer.replayed()) {
                    cli.err().println("licensectl: the issuer replayed its first answer to Idempotency-Key " + key);
                }
                return answer;
            } catch (ApiException e) {
                if (e.type() != null && e.type().endsWith("/idempotent-answer-unreadable")) {
                    // The key cannot be replayed any more; whether its first attempt took effect is unknown.
                    cli.err().println("licensectl: the issuer cannot read its stored answer to Idempotency-Key " + key
                            + " any more: check with `licensectl licenses show` or `licenses list` whether that"
                            + " attempt took effect before you run the command again without --idempotency-key");
                } else if ((e.status() >= 500 || e.status() == 429) && idempotencyKey == null) {
                    retryHint(key);
                }
                throw e;
            } catch (CliException e) {
                // No answer at all (network, timeout): the change may or may not have happened.
                if (e.exitCode() == ExitCodes.OTHER && idempotencyKey == null) {
                    retryHint(key);
                }
                throw e;
            }
        }

        private void retryHint(String key) {
            cli.err().println("licensectl: to retry this request safely add --idempotency-key " + key);
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

    @Command(name = "file", description = {"Download the license file bound to no machine (only where the",
            "license's policy allows unbound files; otherwise make a checkout: `licenses checkout`).",
            "It is encrypted for the license key (JWE)."})
    static final class Download extends BaseCommand {
        @Parameters(paramLabel = "ID", description = "License id")
        String id;

        @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write it to FILE (default: standard"
                + " output)")
        Path out;

        @Override
        public Integer call() {
            IssuerClient.Text file = cli.issuer().getText(path(id) + "/file", "application/jose", Map.of());
            String token = file.body().strip();
            if (out == null) {
                cli.out().println(token);
                return ExitCodes.OK;
            }
            CheckoutsCommand.write(out, token);
            if (jsonOutput) {
                cli.printJson(Map.of("licenseId", id, "format", "jwe", "file", out.toString()));
            } else {
                cli.out().println("Saved the license file of " + id + " (bound to no machine, encrypted for the"
                        + " license key) to " + out);
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
