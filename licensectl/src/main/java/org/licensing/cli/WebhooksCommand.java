package org.licensing.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Webhook endpoints of the issuer (role {@code webhooks:admin}): list, create (the signing secret is printed once),
 * rotate-secret, the delivery log, replay. Refusals exit with the code of their HTTP status ({@link ExitCodes}).
 */
@Command(name = "webhooks", description = "Webhook endpoints: list, create, rotate-secret, deliveries, replay.",
        subcommands = {WebhooksCommand.ListEndpoints.class, WebhooksCommand.Create.class,
                WebhooksCommand.RotateSecret.class, WebhooksCommand.Deliveries.class, WebhooksCommand.Replay.class})
final class WebhooksCommand extends CommandGroup {

    static final String PATH = "/v1/webhook-endpoints";

    static String path(String endpointId) {
        return PATH + "/" + IssuerClient.segment(endpointId);
    }

    /**
     * The answer of a creation or rotation: the raw JSON, or {@code line} and then the secret on its own line, said
     * to be the only time it is shown.
     */
    static Integer withSecret(Cli cli, boolean json, JsonNode endpoint, String line) {
        if (json) {
            cli.printJson(endpoint);
            return ExitCodes.OK;
        }
        cli.out().println(line);
        cli.out().println("Signing secret (shown only now; store it where the receiver verifies deliveries):");
        cli.out().println(endpoint.path("secret").asText());
        return ExitCodes.OK;
    }

    @Command(name = "list", description = "Every endpoint, oldest first (never their secrets).")
    static final class ListEndpoints extends BaseCommand {
        @Override
        public Integer call() {
            JsonNode body = cli.issuer().get(PATH).body();
            if (jsonOutput) {
                cli.printJson(body);
                return ExitCodes.OK;
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode e : body) {
                List<String> types = new ArrayList<>();
                e.path("eventTypes").forEach(t -> types.add(t.asText()));
                rows.add(List.of(e.path("id").asText(), e.path("url").asText(),
                        e.path("enabled").asBoolean() ? "yes" : "no", types.isEmpty() ? "all" : String.join(",", types),
                        e.path("disabledReason").asText("")));
            }
            Render.table(cli.out(), List.of("ID", "URL", "ENABLED", "EVENT TYPES", "DISABLED BECAUSE"), rows);
            return ExitCodes.OK;
        }
    }

    @Command(name = "create", description = {"A new endpoint. Its signing secret is printed once: store it then.",
            "The URL must be https (and must not resolve to an internal address)."})
    static final class Create extends LicensesCommand.Change {
        @Parameters(paramLabel = "URL", description = "Where deliveries are POSTed")
        String url;

        @Option(names = "--type", paramLabel = "TYPE", description = "An event type to receive, e.g."
                + " license.revoked (repeatable; default: every type)")
        List<String> types = new ArrayList<>();

        @Option(names = "--description", paramLabel = "TEXT", description = "What it is for (up to 200 characters)")
        String description;

        @Option(names = "--disabled", description = "Create it disabled (no deliveries until enabled)")
        boolean disabled;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("url", url);
            body.put("eventTypes", types);
            if (description != null) {
                body.put("description", description);
            }
            if (disabled) {
                body.put("enabled", false);
            }
            JsonNode created = post(PATH, body).body();
            return withSecret(cli, jsonOutput, created, "Created webhook endpoint " + created.path("id").asText()
                    + " for " + created.path("url").asText()
                    + (created.path("enabled").asBoolean() ? "" : " (disabled)"));
        }
    }

    @Command(name = "rotate-secret", description = {"A new signing secret, printed once. The previous one keeps",
            "signing (a second signature) for --overlap, so receivers switch at their pace."})
    static final class RotateSecret extends LicensesCommand.Change {
        @Parameters(paramLabel = "ID", description = "Endpoint id")
        String id;

        @Option(names = "--overlap", paramLabel = "DURATION", description = "How long the previous secret keeps"
                + " signing: 24h, 90m, 0 for none, or ISO-8601 (at most 7 days; default: the issuer's)")
        String overlap;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            if (overlap != null) {
                Duration d;
                String text = overlap.strip();
                try {
                    d = text.equals("0") ? Duration.ZERO
                            : text.toUpperCase(java.util.Locale.ROOT).startsWith("P") ? Duration.parse(text)
                            : Durations.parse(text);
                } catch (IllegalArgumentException | java.time.DateTimeException e) {
                    throw usage("--overlap: '" + overlap + "' is not a duration like 24h, 90m, PT0S or 0");
                }
                body.put("overlap", d.toString());
            }
            JsonNode rotated = post(path(id) + "/rotate-secret", body).body();
            String until = rotated.path("previousSecretUntil").asText(null);
            return withSecret(cli, jsonOutput, rotated, "Rotated the secret of webhook endpoint "
                    + rotated.path("id").asText() + (until == null ? "; the previous one no longer signs"
                            : "; the previous one signs too until " + until));
        }
    }

    @Command(name = "deliveries", description = "An endpoint's delivery log, newest first.")
    static final class Deliveries extends BaseCommand {
        @Parameters(paramLabel = "ID", description = "Endpoint id")
        String id;

        @Option(names = "--state", paramLabel = "STATE", description = "PENDING, DELIVERED or DEAD")
        String state;

        @Option(names = "--before", paramLabel = "DELIVERY", description = "Older than this delivery id (the last"
                + " id of the previous page)")
        Long before;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "1-500, default"
                + " ${DEFAULT-VALUE}")
        int limit;

        @Override
        public Integer call() {
            if (limit < 1 || limit > 500) {
                throw usage("--limit must be 1-500");
            }
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("state", state);
            q.put("before", before);
            q.put("limit", limit);
            JsonNode body = cli.issuer().get(path(id) + "/deliveries" + IssuerClient.query(q)).body();
            if (jsonOutput) {
                cli.printJson(body);
                return ExitCodes.OK;
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode d : body) {
                String answer = d.hasNonNull("lastStatus") ? d.path("lastStatus").asText()
                        : d.path("lastError").asText("");
                rows.add(List.of(d.path("id").asText(), d.path("eventType").asText(), d.path("eventId").asText(),
                        d.path("state").asText(), d.path("attempts").asText(), answer,
                        d.hasNonNull("lastLatencyMs") ? d.path("lastLatencyMs").asText() + " ms" : "",
                        d.path("nextAttemptAt").asText("")));
            }
            Render.table(cli.out(), List.of("DELIVERY", "TYPE", "EVENT", "STATE", "ATTEMPTS", "LAST ANSWER",
                    "LATENCY", "NEXT ATTEMPT"), rows);
            return ExitCodes.OK;
        }
    }

    @Command(name = "replay", description = {"Deliver again: one event (whatever the endpoint's subscription), or the",
            "subscribed events that occurred in [--since, --until)."})
    static final class Replay extends LicensesCommand.Change {
        @Parameters(paramLabel = "ID", description = "Endpoint id")
        String id;

        @ArgGroup(exclusive = true, multiplicity = "1")
        What what;

        static final class What {
            @Option(names = "--event", paramLabel = "EVENT_ID", required = true, description = "One event's id")
            String eventId;

            @ArgGroup(exclusive = false)
            Range range;
        }

        static final class Range {
            @Option(names = "--since", paramLabel = "INSTANT", required = true,
                    description = "From (ISO-8601, e.g. 2026-12-07T00:00:00Z)")
            Instant since;

            @Option(names = "--until", paramLabel = "INSTANT", description = "Before (default: now)")
            Instant until;
        }

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            if (what.eventId != null) {
                body.put("eventId", what.eventId);
            } else {
                body.put("since", what.range.since.toString());
                if (what.range.until != null) {
                    body.put("until", what.range.until.toString());
                }
            }
            JsonNode answer = post(path(id) + "/replay", body).body();
            if (jsonOutput) {
                cli.printJson(answer);
                return ExitCodes.OK;
            }
            cli.out().println("Queued " + answer.path("queued").asText() + " deliveries to webhook endpoint " + id);
            return ExitCodes.OK;
        }
    }
}
