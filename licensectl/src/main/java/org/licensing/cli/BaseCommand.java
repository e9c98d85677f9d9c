package org.licensing.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A runnable command: its {@link Cli}, {@code --json} and {@code -h}. */
abstract class BaseCommand implements Callable<Integer> {

    Cli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the raw JSON instead of a table")
    boolean jsonOutput;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help")
    boolean help;

    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
