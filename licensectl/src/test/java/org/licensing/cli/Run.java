package org.licensing.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/** One in-process licensectl run with captured output. */
record Run(int code, String out, String err) {

    static Run of(Map<String, String> env, String... args) {
        return withStdin(env, "", args);
    }

    static Run withStdin(Map<String, String> env, String stdin, String... args) {
        return at(Clock.systemUTC(), env, stdin, args);
    }

    /** A run whose "now" is {@code clock}'s. */
    static Run at(Clock clock, Map<String, String> env, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Licensectl.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env, clock);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
    }
}
