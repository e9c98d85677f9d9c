package org.licensing.testsupport.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A benchmark run as a smoke test in the build: the bench runs with small knobs (set by the caller's environment)
 * and must exit 0 and print every expected figure line; timings are printed, never asserted. So a bench that no
 * longer starts, or stops printing its figures, fails {@code verify} instead of rotting until someone runs it.
 *
 * <p>Arguments: {@code <name> <log file> <figure regex>... -- <command>...}. A command starting with
 * {@code --main} runs a Java class on this JVM's class path: {@code --main [-Dname=value...] <class> [args...]}.
 * System property {@code bench.smoke.timeout} (ISO-8601, default PT10M) bounds the run.
 */
public final class BenchSmoke {

    private BenchSmoke() {
    }

    public static void main(String[] args) {
        int separator = Arrays.asList(args).indexOf("--");
        if (args.length < 3 || separator < 2 || separator == args.length - 1) {
            throw new IllegalArgumentException("usage: BenchSmoke <name> <log> <figure regex>... -- <command>...");
        }
        String name = args[0];
        Path log = Path.of(args[1]);
        List<Pattern> figures = Arrays.stream(args, 2, separator).map(Pattern::compile).toList();
        List<String> command = command(Arrays.asList(args).subList(separator + 1, args.length));
        Duration timeout = Duration.parse(System.getProperty("bench.smoke.timeout", "PT10M"));
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long start = System.nanoTime();
        ChildProcess bench = ChildProcess.start(name, command, env -> { }, log);
        int exit = bench.waitFor(timeout);
        String output = bench.output();
        if (exit != 0) {
            throw bench.failure("(bench smoke) exited with " + exit);
        }
        List<String> shown = new ArrayList<>();
        for (Pattern figure : figures) {
            var line = output.lines().filter(l -> figure.matcher(l).find()).findFirst();
            if (line.isEmpty()) {
                throw bench.failure("(bench smoke) completed but printed no line matching /" + figure + "/");
            }
            shown.add(line.get().strip());
        }
        System.out.printf("bench smoke %s: completed in %.0f s (timings of a smoke, not figures to quote); log %s%n",
                name, (System.nanoTime() - start) / 1e9, log);
        shown.forEach(line -> System.out.println("  " + line));
    }

    private static List<String> command(List<String> given) {
        if (!given.get(0).equals("--main")) {
            return given;
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path")));
        command.addAll(given.subList(1, given.size()));
        return command;
    }
}
