package org.licensing.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** What a command runs against: its streams, environment, clock and the issuer it talks to. */
public final class Cli {

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public Cli(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, Clock clock) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.env = Map.copyOf(env);
        this.clock = clock;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public Map<String, String> env() {
        return env;
    }

    public Clock clock() {
        return clock;
    }

    public ObjectMapper json() {
        return json;
    }

    public Config config() {
        String loose = Config.looseMode(env);
        if (loose != null) {
            Path file = Config.path(env);
            err.println("licensectl: warning: " + file + " holds your token and is not private (" + loose
                    + "): chmod 600 " + file);
        }
        return Config.load(env, json);
    }

    /** A client for the configured issuer; auth error when no token is configured. */
    public IssuerClient issuer() {
        Config c = config();
        if (c.url() == null || c.token() == null) {
            throw new CliException(ExitCodes.AUTH, "Not logged in: run `licensectl login --url URL --token TOKEN`"
                    + " or set " + Config.TOKEN_ENV);
        }
        return client(c.url(), c.token());
    }

    /** A client for {@code url} with {@code token} (null: anonymous) and the configured timeout. */
    public IssuerClient client(String url, String token) {
        return new IssuerClient(url, token, json, Config.timeout(env));
    }

    /** A client for the configured issuer's public endpoints (no token needed). */
    public IssuerClient anonymousIssuer(String urlOverride) {
        String url = urlOverride != null ? urlOverride : config().url();
        return client(url, null);
    }

    /** {@code value}, or the first line of stdin when it is {@code -}. */
    public String valueOrStdin(String value, String what) {
        if (!"-".equals(value)) {
            return value;
        }
        try {
            String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isBlank()) {
                throw new CliException(ExitCodes.USAGE, "Expected " + what + " on standard input, got nothing");
            }
            return line.strip();
        } catch (IOException e) {
            throw new CliException(ExitCodes.OTHER, "Cannot read " + what + " from standard input");
        }
    }

    /** Prints {@code value} as indented JSON on stdout. */
    public void printJson(Object value) {
        try {
            out.println(json.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
