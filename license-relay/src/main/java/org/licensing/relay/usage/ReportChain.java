package org.licensing.relay.usage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.licensing.core.crypto.JwsVerificationException;
import org.licensing.core.problem.ProblemType;
import org.licensing.core.usage.UsageReport;
import org.licensing.core.usage.UsageReportChain;
import org.licensing.relay.ledger.LedgerTamperedException;
import org.licensing.relay.ledger.LogRecord;
import org.licensing.relay.site.AtomicFiles;
import org.licensing.relay.site.RelayKey;

/**
 * The relay's usage reports, numbered and chained, on the data directory ({@code reports/000001.jws}, ...): each
 * names the SHA-256 of the one before and starts where it ended, so the vendor sees a gap, an overlap or a replay.
 * Made under an exclusive file lock ({@code reports/.lock}), so the HTTP endpoint and the {@code report} command
 * (another process) never number two reports alike; each file is written atomically.
 */
public final class ReportChain {

    public static final String DIRECTORY = "reports";
    private static final Object IN_PROCESS = new Object(); // FileLock is per JVM: serialise threads first

    private final Path dir;
    private final RelayKey key;

    public ReportChain(Path dataDir, RelayKey key) {
        this.dir = dataDir.resolve(DIRECTORY);
        this.key = key;
    }

    /** A stored report: its JWS text and what it says. */
    public record Stored(String jws, UsageReport report) {
        public String hash() {
            return UsageReport.hashOf(jws);
        }

        /** What the next report continues. */
        public UsageReportChain.Link link() {
            return UsageReportChain.Link.of(jws, report);
        }
    }

    /** How many report files there are (a cheap look: no verification). */
    public int count() throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.filter(p -> p.getFileName().toString().matches("\\d{6,}\\.jws")).count();
        }
    }

    /** Whether any report was made. */
    public static boolean any(Path dataDir) throws IOException {
        Path d = dataDir.resolve(DIRECTORY);
        if (!Files.isDirectory(d)) {
            return false;
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".jws"));
        }
    }

    /**
     * Every report, verified: signed by this relay's key, numbered 1..n without gaps, each naming the hash of the
     * one before and starting where it ended.
     *
     * @throws LedgerTamperedException otherwise
     */
    public List<Stored> load() throws IOException, LedgerTamperedException {
        List<Stored> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches("\\d{6,}\\.jws")).sorted().toList();
        }
        UsageReportChain.Link last = null;
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            long seq = i + 1;
            if (!f.getFileName().toString().equals(name(seq))) {
                throw new LedgerTamperedException("Usage report " + seq + " is missing (found " + f.getFileName()
                        + "): a report was removed");
            }
            String jws = Files.readString(f, StandardCharsets.US_ASCII).strip();
            UsageReport r;
            try {
                r = UsageReport.verify(jws, key.publicJwkSet());
            } catch (JwsVerificationException | IllegalArgumentException e) {
                throw new LedgerTamperedException("Usage report " + f.getFileName() + " was changed or not signed by"
                        + " relay key " + key.kid() + ": " + e.getMessage());
            }
            if (r.sequence() != seq || UsageReportChain.check(last, r).isPresent()) {
                throw new LedgerTamperedException("Usage report " + f.getFileName()
                        + " does not follow the report before it: reports were changed, removed or reordered");
            }
            out.add(new Stored(jws, r));
            last = UsageReportChain.Link.of(jws, r);
        }
        return out;
    }

    /** What a report is computed from: the license, product and site, and a fresh read of the usage log. */
    public interface Source {
        String licenseId();

        String product();

        String fingerprint();

        /** Reads the log through {@code visitor}, returning its last record. */
        LogRecord readLog(java.util.function.Consumer<LogRecord> visitor) throws IOException, LedgerTamperedException;
    }

    /**
     * The report for {@code [from, to)}: the stored one when a report for exactly that period exists (a retried
     * request), else the next one in the chain, signed and stored. {@code from} null: where the last report
     * ended (for the first: the log's first record); {@code to} null: now. Both are whole seconds.
     *
     * @throws ReportSequenceException when the period does not start where the last report ended, or ends in the
     *     future
     */
    public Stored report(Instant from, Instant to, Instant now, Source source)
            throws IOException, LedgerTamperedException {
        synchronized (IN_PROCESS) {
            Files.createDirectories(dir);
            try (FileChannel lockFile = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
                List<Stored> chain = load();
                Instant end = (to != null ? to : now).truncatedTo(ChronoUnit.SECONDS);
                if (from != null) {
                    for (Stored s : chain) {
                        if (s.report().from().equals(from) && s.report().to().equals(end)) {
                            return s;
                        }
                    }
                }
                Stored last = chain.isEmpty() ? null : chain.get(chain.size() - 1);
                Instant start;
                if (last != null) {
                    start = last.report().to();
                    if (from != null && UsageReportChain.periodBreak(last.link(), from).isPresent()) {
                        throw new ReportSequenceException(from.isAfter(start) ? ProblemType.USAGE_REPORT_GAP
                                : ProblemType.USAGE_REPORT_OVERLAP, "The next report must start at " + start + " (epoch "
                                + start.getEpochSecond() + "), where report " + last.report().sequence()
                                + " ended; " + from + " would leave " + (from.isAfter(start) ? "a gap" : "an overlap"));
                    }
                } else {
                    start = from;
                }
                if (end.isAfter(now)) {
                    throw new ReportSequenceException(ProblemType.INVALID_REQUEST, "A report cannot end in the future (" + end + " is after "
                            + now + ")");
                }
                // The genesis is always the first record read: the first report starts there unless told.
                UsageTotals[] totals = new UsageTotals[1];
                Instant[] begin = {start};
                LogRecord head = source.readLog(r -> {
                    if (totals[0] == null) {
                        if (begin[0] == null) {
                            begin[0] = r.time().truncatedTo(ChronoUnit.SECONDS);
                        }
                        if (!end.isAfter(begin[0])) {
                            throw new ReportSequenceException(ProblemType.INVALID_REQUEST, "The period is empty: it would run from " + begin[0]
                                    + " to " + end);
                        }
                        totals[0] = new UsageTotals(begin[0], end);
                    }
                    totals[0].accept(r);
                });
                UsageTotals.Result result = totals[0].finish();
                long seq = chain.size() + 1L;
                UsageReport report = new UsageReport(UUID.randomUUID(), now.truncatedTo(ChronoUnit.SECONDS),
                        source.licenseId(), source.product(), source.fingerprint(), result.checkoutId(), seq,
                        UsageReportChain.nextPrevious(last == null ? null : last.link()), begin[0], end,
                        result.totals(), result.days(),
                        result.peak(), head.seq(), head.hash());
                String jws = key.sign(report.toClaims(), UsageReport.TYP);
                AtomicFiles.write(dir.resolve(name(seq)), (jws + "\n").getBytes(StandardCharsets.US_ASCII), false);
                return new Stored(jws, report);
            }
        }
    }

    static String name(long seq) {
        return String.format("%06d.jws", seq);
    }
}
