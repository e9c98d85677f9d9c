package org.licensing.cli;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code licensectl}: the back office's command-line client for the license issuer. */
@Command(name = "licensectl", mixinStandardHelpOptions = true, versionProvider = Licensectl.Version.class,
        description = "Back-office client for the license issuer: licenses, license files, offline verification.",
        subcommands = {LoginCommand.class, LicensesCommand.class, CheckoutsCommand.class,
                UsageReportsCommand.class, WebhooksCommand.class, VerifyCommand.class, JwksCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 other error, 2 usage, 3 auth, 4 not found, 5 conflict,",
                "  6 license file not usable (verify), 7 license file rejected (verify).",
                "Config: $${LICENSECTL_CONFIG:-~/.config/licensectl/config.json};",
                "  LICENSECTL_URL and LICENSECTL_TOKEN override it."})
public final class Licensectl implements Runnable {

    public static final String VERSION = "0.1.0";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command");
    }

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err, System.getenv()));
    }

    /** Runs one command line in-process; returns the exit code (see {@link ExitCodes}). */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return run(args, System.in, out, err, env);
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        return run(args, in, out, err, env, Clock.systemUTC());
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env,
            Clock clock) {
        Cli cli = new Cli(in, out, err, env, clock);
        CommandLine cmd = commandLine(cli);
        PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        cmd.setOut(outWriter);
        cmd.setErr(errWriter);
        try {
            return cmd.execute(args);
        } finally {
            outWriter.flush();
            errWriter.flush();
            out.flush();
            err.flush();
        }
    }

    static CommandLine commandLine(Cli cli) {
        CommandLine cmd = new CommandLine(new Licensectl(), new Factory(cli));
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.registerConverter(Instant.class, Licensectl::instant);
        // A mistake on the command line: one line saying what is wrong and where the help is, not the whole help.
        cmd.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("licensectl: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("See: " + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help");
            err.flush();
            return ExitCodes.USAGE;
        });
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof CliException c) {
                cli.err().println("licensectl: " + c.getMessage());
                return c.exitCode();
            }
            if (ex instanceof ParameterException p) {
                cli.err().println("licensectl: " + p.getMessage());
                return ExitCodes.USAGE;
            }
            cli.err().println("licensectl: unexpected error: " + ex);
            return ExitCodes.OTHER;
        });
        return cmd;
    }

    /** An instant ({@code 2027-01-01T00:00:00Z}) or a date ({@code 2027-01-01}, midnight UTC). */
    static Instant instant(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notInstant) {
            try {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDate) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not an instant"
                        + " (2027-01-01T00:00:00Z) or a date (2027-01-01)");
            }
        }
    }

    /** Hands every command the {@link Cli} it runs against. */
    private static final class Factory implements CommandLine.IFactory {
        private final Cli cli;

        Factory(Cli cli) {
            this.cli = cli;
        }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            K instance = CommandLine.defaultFactory().create(cls);
            if (instance instanceof BaseCommand b) {
                b.cli = cli;
            }
            return instance;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"licensectl " + VERSION};
        }
    }
}
