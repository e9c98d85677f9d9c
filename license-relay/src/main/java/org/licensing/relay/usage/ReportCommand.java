package org.licensing.relay.usage;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.licensing.relay.engine.Relay;
import org.licensing.relay.ledger.LedgerTamperedException;
import org.licensing.relay.ledger.LogRecord;
import org.licensing.relay.ledger.UsageLog;
import org.licensing.relay.site.RelayKey;

/**
 * {@code license-relay report [--data-dir DIR] [--from T] [--to T] [--out FILE]}: makes the next usage report from
 * the data directory (the relay may be running: reports are made under a file lock) and prints it (compact JWS).
 * Exit codes: 0 done, 2 bad arguments, 3 out of sequence, 4 tampered data directory, 5 I/O error.
 */
public final class ReportCommand {

    static final String USAGE = """
            Usage: java -jar quarkus-run.jar report [--data-dir DIR] [--from T] [--to T] [--out FILE]
              Makes the next signed usage report of this relay for [from, to) and prints it (compact JWS).
              --data-dir  the relay's data directory (default: $LICENSING_RELAY_DATA_DIR)
              --from      start: ISO-8601 instant, UTC date or epoch seconds (default: where the last report ended)
              --to        end, exclusive (default: now)
              --out       also write the report to FILE
            """;

    private ReportCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return run(args, out, err, env, Clock.systemUTC());
    }

    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, Clock clock) {
        String dataDir = env.get("LICENSING_RELAY_DATA_DIR");
        String from = null;
        String to = null;
        String file = null;
        if (args.length == 0 || !"report".equals(args[0])) {
            out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                err.println("Missing value after " + a);
                err.print(USAGE);
                return 2;
            }
            String v = args[++i];
            switch (a) {
                case "--data-dir" -> dataDir = v;
                case "--from" -> from = v;
                case "--to" -> to = v;
                case "--out" -> file = v;
                default -> {
                    err.println("Unknown option " + a);
                    err.print(USAGE);
                    return 2;
                }
            }
        }
        if (dataDir == null || dataDir.isBlank()) {
            err.println("No data directory: give --data-dir or set LICENSING_RELAY_DATA_DIR");
            return 2;
        }
        Instant f;
        Instant t;
        try {
            f = Periods.parse(from, "--from");
            t = Periods.parse(to, "--to");
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        Path dir = Path.of(dataDir);
        try {
            if (!RelayKey.exists(dir)) {
                err.println("No relay key in " + dir + ": not a relay data directory");
                return 2;
            }
            RelayKey key = RelayKey.load(dir);
            // The genesis record names the license, product and site the directory was made for.
            LogRecord[] genesis = new LogRecord[1];
            try {
                UsageLog.read(dir, key, r -> {
                    if (r.seq() == 0) {
                        genesis[0] = r;
                    }
                    throw new StopReading();
                });
            } catch (StopReading done) {
                // only the first record was needed
            }
            LogRecord g = genesis[0];
            ReportChain.Stored s = new ReportChain(dir, key).report(f, t, clock.instant(), Relay.reportSource(dir, key,
                    g.text("license_id"), g.text("product"), g.text("fingerprint")));
            if (file != null) {
                Files.writeString(Path.of(file), s.jws() + "\n", StandardCharsets.US_ASCII);
            }
            out.println(s.jws());
            err.println("Usage report " + s.report().sequence() + " for [" + s.report().from() + ", "
                    + s.report().to() + "): totals " + s.report().totals());
            return 0;
        } catch (ReportSequenceException e) {
            err.println(e.getMessage());
            return 3;
        } catch (LedgerTamperedException e) {
            err.println("The data directory was tampered with: " + e.getMessage());
            return 4;
        } catch (IOException e) {
            err.println("I/O error: " + e.getMessage());
            return 5;
        }
    }

    private static final class StopReading extends RuntimeException {
        StopReading() {
            super(null, null, false, false);
        }
    }
}
