package org.licensing.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.licensing.core.license.Entitlements;
import org.licensing.core.license.LicenseStatus;
import org.licensing.core.search.InvalidFilterException;
import org.licensing.core.search.LicenseFilters;
import org.licensing.core.search.LicenseFilters.MinLimit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code licenses list}, {@code search}, {@code stats} and {@code status-history}: the issuer's search over its read
 * model ({@code GET /v1/licenses}, {@code /v1/licenses/stats}, {@code /v1/licenses.csv},
 * {@code /v1/licenses/status-history}), every filter a flag.
 */
final class LicenseSearch {

    static final String SEARCH = "/v1/licenses";
    static final String STATS = "/v1/licenses/stats";
    static final String STATUS_HISTORY = "/v1/licenses/status-history";
    static final String CSV = "/v1/licenses.csv";

    /** The page size of a table page; {@code --all} asks for the largest pages the issuer serves. */
    static final int DEFAULT_PAGE = 20;
    static final int MAX_PAGE = 100;

    private LicenseSearch() {
    }

    /** The filters every search, stats call and export accepts (the issuer's query parameters). */
    static final class Filters {
        @Option(names = {"-q", "--query"}, paramLabel = "TEXT", description = "License id prefix, customer name"
                + " (substring) or customer external id (prefix); case-insensitive")
        String query;

        @Option(names = "--status", paramLabel = "STATUS", split = ",", description = "ACTIVE, SUSPENDED or"
                + " REVOKED; repeatable or comma-separated (any of them)")
        List<LicenseStatus> statuses;

        @Option(names = "--product", paramLabel = "CODE", description = "Product code")
        String product;

        @Option(names = "--policy", paramLabel = "ID", description = "Policy id")
        String policy;

        @Option(names = "--customer", paramLabel = "ID", description = "Customer id")
        String customer;

        @Option(names = "--expiring-within", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "Expires from now until now + DURATION (7d, 12h, 90d, 2w)")
        Duration expiringWithin;

        // --expiring-before: the name this flag had before the search API; scripts keep working.
        @Option(names = {"--expires-before", "--expiring-before"}, paramLabel = "INSTANT", description = "Expires"
                + " before INSTANT (2027-01-01 or 2027-01-01T00:00:00Z)")
        Instant expiresBefore;

        @Option(names = "--expires-after", paramLabel = "INSTANT", description = "Expires at or after INSTANT")
        Instant expiresAfter;

        @Option(names = "--issued-before", paramLabel = "INSTANT", description = "Issued before INSTANT")
        Instant issuedBefore;

        @Option(names = "--issued-after", paramLabel = "INSTANT", description = "Issued at or after INSTANT")
        Instant issuedAfter;

        @Option(names = "--min-limit", paramLabel = "NAME:N", converter = MinLimitConverter.class,
                description = "The limit NAME is at least N (exact decimal), e.g. cuda.device:8 or cuda.shares:2.5;"
                        + " repeatable (all must hold); licenses without that limit do not match")
        List<MinLimit> minLimits;

        /** The query parameters, in the issuer's names; {@code now} anchors {@code --expiring-within}. */
        Map<String, Object> params(Instant now) {
            Instant after = expiresAfter;
            Instant before = expiresBefore;
            if (expiringWithin != null) {
                if (after != null || before != null) {
                    throw usage("--expiring-within sets both ends of the expiry range: give it, or"
                            + " --expires-after/--expires-before, not both");
                }
                after = now.truncatedTo(ChronoUnit.SECONDS);
                before = after.plus(expiringWithin);
            }
            ordered("--expires-after", after, "--expires-before", before);
            ordered("--issued-after", issuedAfter, "--issued-before", issuedBefore);
            if (query != null && query.isBlank()) {
                throw usage("--query must not be blank");
            }
            // The issuer's own parse of the filters (license-core's LicenseFilters): a value it would refuse is
            // refused here, in its words, and what is sent is its query form.
            try {
                return new LinkedHashMap<String, Object>(LicenseFilters.parse(text(query), statuses == null ? null
                        : statuses.stream().map(Enum::name).toList(), product, policy, customer, text(after),
                        text(before), text(issuedAfter), text(issuedBefore), minLimits == null ? null
                                : minLimits.stream().map(MinLimit::toString).toList()).toQuery());
            } catch (InvalidFilterException e) {
                throw usage(e.getMessage());
            }
        }

        private static String text(Object value) {
            return value == null ? null : value.toString();
        }

        /** The one value of a single-valued parameter of {@link #params}. */
        static Object single(Map<String, Object> params, String name) {
            return params.get(name) instanceof List<?> values && values.size() == 1 ? values.get(0) : params.get(name);
        }

        private static void ordered(String fromName, Instant from, String toName, Instant to) {
            if (from != null && to != null && !from.isBefore(to)) {
                throw usage(fromName + " (" + from + ") must be before " + toName + " (" + to + ")");
            }
        }
    }

    static final class MinLimitConverter implements ITypeConverter<MinLimit> {
        @Override
        public MinLimit convert(String value) {
            MinLimit limit;
            try {
                limit = MinLimit.parse(value);
            } catch (InvalidFilterException e) {
                throw new TypeConversionException("'" + value + "': " + e.getMessage());
            }
            try {
                // A limit value as entitlements have it (not negative, at most 6 decimals), canonical form.
                return new MinLimit(limit.name(), new Entitlements(Map.of(), Map.of(limit.name(), limit.value()))
                        .limit(limit.name()).orElseThrow());
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** One of a fixed set of words, matched case-insensitively, sent in its canonical spelling. */
    abstract static class WordConverter implements ITypeConverter<String> {
        private final List<String> words;

        WordConverter(String... words) {
            this.words = List.of(words);
        }

        @Override
        public String convert(String value) {
            return words.stream().filter(w -> w.equalsIgnoreCase(value.strip())).findFirst()
                    .orElseThrow(() -> new TypeConversionException("'" + value + "' is not one of "
                            + String.join(", ", words)));
        }
    }

    static final class SortConverter extends WordConverter {
        SortConverter() {
            super("expiresAt", "issuedAt", "customerName");
        }
    }

    static final class OrderConverter extends WordConverter {
        OrderConverter() {
            super("asc", "desc");
        }
    }

    static CliException usage(String message) {
        return new CliException(ExitCodes.USAGE, message);
    }

    /** list and search: a page, every page ({@code --all}), or the CSV export of the whole result. */
    abstract static class Listing extends BaseCommand {
        @Mixin
        Filters filters;

        @Option(names = "--sort", paramLabel = "FIELD", converter = SortConverter.class,
                description = "expiresAt (default), issuedAt or customerName")
        String sort;

        @Option(names = "--order", paramLabel = "ORDER", converter = OrderConverter.class,
                description = "asc (default) or desc")
        String order;

        @Option(names = "--limit", paramLabel = "N", description = "Page size, 1-" + MAX_PAGE + " (default: "
                + DEFAULT_PAGE + "; with --all: " + MAX_PAGE + ")")
        Integer limit;

        @Option(names = "--cursor", paramLabel = "CURSOR", description = "Start at this page: the nextCursor (or"
                + " the More: line) of the previous one")
        String cursor;

        @Option(names = "--all", description = "Follow the cursors: every matching license, one table")
        boolean all;

        @Option(names = "--csv", description = "Every matching license as CSV (the issuer's export, streamed;"
                + " no paging)")
        boolean csv;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "With --csv: write to FILE instead of"
                + " standard output")
        Path output;

        int list() {
            if (limit != null && (limit < 1 || limit > MAX_PAGE)) {
                throw usage("--limit must be between 1 and " + MAX_PAGE + ", got " + limit);
            }
            if (output != null && !csv) {
                throw usage("--output writes the CSV export: add --csv (tables and --json go to standard output)");
            }
            Map<String, Object> q = filters.params(cli.clock().instant());
            q.put("sort", sort);
            q.put("order", order);
            if (csv) {
                if (all || limit != null || cursor != null || (jsonOutput && output == null)) {
                    throw usage("--csv exports every matching license: --all, --limit, --cursor (and --json without"
                            + " --output) do not apply");
                }
                return export(q);
            }
            IssuerClient issuer = cli.issuer();
            q.put("limit", limit != null ? limit : all ? MAX_PAGE : DEFAULT_PAGE);
            q.put("cursor", cursor);
            JsonNode page = issuer.get(SEARCH + IssuerClient.query(q)).body();
            List<JsonNode> items = new ArrayList<>();
            page.path("items").forEach(items::add);
            String next = Render.text(page, "nextCursor");
            while (all && next != null) {
                q.put("cursor", next);
                page = issuer.get(SEARCH + IssuerClient.query(q)).body();
                page.path("items").forEach(items::add);
                String following = Render.text(page, "nextCursor");
                if (next.equals(following)) {
                    throw new CliException(ExitCodes.OTHER, "The issuer answered the same nextCursor twice; stopped"
                            + " after " + items.size() + " licenses");
                }
                next = following;
            }
            if (jsonOutput) {
                if (all) {
                    ObjectNode out = cli.json().createObjectNode();
                    ArrayNode arr = out.putArray("items");
                    items.forEach(arr::add);
                    cli.printJson(out);
                } else {
                    cli.printJson(page);
                }
                return ExitCodes.OK;
            }
            if (items.isEmpty()) {
                cli.out().println("No licenses.");
            } else {
                List<List<String>> rows = new ArrayList<>();
                items.forEach(l -> rows.add(Render.summaryRow(l)));
                Render.table(cli.out(), Render.summaryHeader(), rows);
            }
            if (next != null) {
                cli.out().println();
                cli.out().println("More: --cursor " + next);
                if (filters.expiringWithin != null) {
                    // A cursor belongs to its exact filters: a later "now" would make it another search's cursor.
                    cli.out().println("  (with the same flags, --expires-after "
                            + Filters.single(q, LicenseFilters.EXPIRES_AFTER) + " --expires-before "
                            + Filters.single(q, LicenseFilters.EXPIRES_BEFORE) + " in place of --expiring-within "
                            + Durations.format(filters.expiringWithin) + ")");
                }
            }
            return ExitCodes.OK;
        }

        private int export(Map<String, Object> q) {
            IssuerClient issuer = cli.issuer();
            String path = CSV + IssuerClient.query(q);
            if (output == null) {
                issuer.download(path, "text/csv", cli.out());
                return ExitCodes.OK;
            }
            Path target = output.toAbsolutePath();
            Path tmp;
            try {
                Files.createDirectories(target.getParent());
                tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
            } catch (IOException e) {
                throw new CliException(ExitCodes.OTHER, "Cannot write " + output + ": " + e.getMessage());
            }
            // A partial export never takes the file's name: written aside, moved in place when complete.
            RecordCounter counter;
            try {
                try (OutputStream file = Files.newOutputStream(tmp)) {
                    counter = new RecordCounter(file);
                    issuer.download(path, "text/csv", counter);
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new CliException(ExitCodes.OTHER, "Cannot write " + output + ": " + e.getMessage());
            } finally {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temp file is hidden and says .part
                }
            }
            long rows = Math.max(0, counter.records() - 1);
            if (jsonOutput) {
                cli.printJson(Map.of("file", output.toString(), "licenses", rows));
            } else {
                cli.out().println("Saved " + rows + (rows == 1 ? " license" : " licenses") + " (CSV) to " + output);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = {"Licenses matching the filters (none: every license you may see),",
            "soonest expiry first unless --sort/--order; a page, --all pages, or --csv."})
    static final class ListLicenses extends Listing {
        @Override
        public Integer call() {
            return list();
        }
    }

    @Command(name = "search", description = {"As list, with the query as an argument: a license id prefix, a"
            + " customer name", "(substring) or a customer's external id (prefix), case-insensitive."})
    static final class Search extends Listing {
        @Parameters(arity = "0..1", paramLabel = "QUERY", description = "Same as --query")
        String text;

        @Override
        public Integer call() {
            if (text != null) {
                if (filters.query != null) {
                    throw usage("Give the query once: as the argument or as --query");
                }
                filters.query = text;
            }
            return list();
        }
    }

    @Command(name = "stats", description = {"Counts of the licenses matching the filters: by status, by product,",
            "and (not revoked) expiring within 7, 30, 60 and 90 days."})
    static final class Stats extends BaseCommand {
        @Mixin
        Filters filters;

        @Override
        public Integer call() {
            Map<String, Object> q = filters.params(cli.clock().instant());
            JsonNode body = cli.issuer().get(STATS + IssuerClient.query(q)).body();
            if (jsonOutput) {
                cli.printJson(body);
                return ExitCodes.OK;
            }
            List<List<String>> status = new ArrayList<>();
            long total = 0;
            for (LicenseStatus s : LicenseStatus.values()) {
                long n = body.path("byStatus").path(s.name()).asLong(0);
                total += n;
                status.add(List.of(s.name(), Long.toString(n)));
            }
            status.add(List.of("total", Long.toString(total)));
            Render.table(cli.out(), List.of("STATUS", "LICENSES"), status);

            List<List<String>> products = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = body.path("byProduct").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                products.add(List.of(Render.cell(e.getKey()), Long.toString(e.getValue().asLong())));
            }
            cli.out().println();
            if (products.isEmpty()) {
                cli.out().println("No products.");
            } else {
                Render.table(cli.out(), List.of("PRODUCT", "LICENSES"), products);
            }

            List<List<String>> expiring = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = body.path("expiringWithin").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                expiring.add(List.of(Render.cell(e.getKey()) + " days", Long.toString(e.getValue().asLong())));
            }
            cli.out().println();
            Render.table(cli.out(), List.of("EXPIRING WITHIN", "LICENSES (not revoked)"), expiring);
            return ExitCodes.OK;
        }
    }

    @Command(name = "status-history", description = {"Licenses by status at the end of each of the last N months",
            "(UTC) and now, oldest first, from the issuer's audit events."})
    static final class StatusHistory extends BaseCommand {
        @Option(names = "--months", paramLabel = "N", description = "Past month ends, 1-24 (default: the issuer's, 12)")
        Integer months;

        @Option(names = "--product", paramLabel = "CODE", description = "Product code")
        String product;

        @Override
        public Integer call() {
            // the issuer checks the range (1-24): one rule, its 400 is a usage error here
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("months", months);
            q.put("productCode", product);
            JsonNode body = cli.issuer().get(STATUS_HISTORY + IssuerClient.query(q)).body();
            if (jsonOutput) {
                cli.printJson(body);
                return ExitCodes.OK;
            }
            List<String> header = new ArrayList<>(List.of("MONTH", "AT"));
            for (LicenseStatus s : LicenseStatus.values()) {
                header.add(s.name());
            }
            header.add("TOTAL");
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode point : body.path("months")) {
                List<String> row = new ArrayList<>(List.of(Render.cell(point.path("month").asText()),
                        Render.cell(point.path("at").asText())));
                long total = 0;
                for (LicenseStatus s : LicenseStatus.values()) {
                    long n = point.path("counts").path(s.name()).asLong(0);
                    total += n;
                    row.add(Long.toString(n));
                }
                row.add(Long.toString(total));
                rows.add(row);
            }
            Render.table(cli.out(), header, rows);
            return ExitCodes.OK;
        }
    }

    /** Counts CSV records (newlines outside quotes) on their way through: the export's row count, no parsing. */
    static final class RecordCounter extends FilterOutputStream {
        private boolean quoted;
        private long records;
        private int last = '\n';

        RecordCounter(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            count(b);
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                count(b[i]);
            }
            out.write(b, off, len);
        }

        private void count(int b) {
            if (b == '"') {
                quoted = !quoted;
            } else if (b == '\n' && !quoted) {
                records++;
            }
            last = b;
        }

        /** Records seen, a last one without a final newline included. */
        long records() {
            return records + (last != '\n' ? 1 : 0);
        }
    }

}
