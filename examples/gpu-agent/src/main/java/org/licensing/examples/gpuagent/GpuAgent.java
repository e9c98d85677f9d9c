package org.licensing.examples.gpuagent;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.licensing.client.ActivationAnswer;
import org.licensing.client.Entitlements;
import org.licensing.client.LicenseAnswer;
import org.licensing.client.LicenseClient;
import org.licensing.client.LicenseClientException;
import org.licensing.client.LicenseCode;
import org.licensing.examples.gpuagent.AgentOptions.UsageException;

/**
 * The GPU agent a GPU-cluster product ships on each cluster: it asks license-client whether the product may run and
 * how many GPU shares it may schedule. Every command builds one {@link LicenseClient}, asks it one thing, prints the
 * answer as {@code name: value} lines and exits with one of {@link ExitCodes}.
 *
 * <p>{@link #run(String...)} does the work without touching the JVM ({@code System.exit}, {@code System.getenv}), so
 * tests call it in-process; {@link #main} wires it to the real process.
 */
public final class GpuAgent {

    static final String HELP = """
            Usage: gpu-agent <command> [options]

            Commands:
              validate [--usage NAME=N,...]   ask the validator (falls back to the cached lease when unreachable)
              check [--usage NAME=N,...]      answer offline from the cached lease or the license file (no network)
              activate                        claim this machine's seat
              deactivate                      free this machine's seat
              status [--offline]              code, source, lease end, limits and features of the license
              run [--heartbeat] [--check-interval 5m] [--deactivate-on-exit]
                                              validate every check interval until stopped; with --heartbeat,
                                              activate first and send heartbeats in the background

            Air-gapped (the license file is a checkout: bound to this machine and the license key):
              checkout-request [--label TEXT] [--out FILE]
                                              write the request to carry to the vendor (no secret in it)
              install-checkout --from FILE    verify the checkout the vendor sent and install it as the
                                              license file (refused, and nothing installed, when not usable)
              return-checkout [--out FILE]    retire this machine: delete the checkout and write the return
                                              file that frees its seat at the vendor

            Air-gapped site with a license relay (--relay-url and --lease instead of a validator URL):
              validate, check, status         lease (or answer from the held lease); a one-shot command gives
                                              the lease back when it ends
              run [--check-interval 5m]       lease, keep the lease (extended in the background) and give it
                                              back when stopped; waits for room while the pool is exhausted

            Options (each also read from the environment variable shown):
              --validator-url URL        GPU_AGENT_VALIDATOR_URL      https://validator.vendor.example
              --license-file FILE        GPU_AGENT_LICENSE_FILE       air-gapped: the checkout file instead of a URL
              --relay-url URL            GPU_AGENT_RELAY_URL          air-gapped site: its license relay
              --lease NAME=N,...         GPU_AGENT_LEASE              relay mode: what this node leases
              --license-key KEY          GPU_AGENT_LICENSE_KEY        (prefer the variable: flags show in `ps`)
              --license-key-file FILE    GPU_AGENT_LICENSE_KEY_FILE
              --pinned-keys FILE         GPU_AGENT_PINNED_KEYS        the vendor's public JWK Set
              --cache-dir DIR            GPU_AGENT_CACHE_DIR          default $XDG_STATE_HOME/gpu-agent/<product>
              --fingerprint STRATEGY     GPU_AGENT_FINGERPRINT        host (default), kubernetes, supplied:<value>
              --heartbeat-interval D     GPU_AGENT_HEARTBEAT_INTERVAL default 15m (run --heartbeat)
              --check-interval D         GPU_AGENT_CHECK_INTERVAL     default 5m (run)
              --product CODE             GPU_AGENT_PRODUCT            default gpu-orchestrator

            Exit codes: 0 usable, 1 unexpected error, 2 bad command line or configuration, 3 refused by the
            license, 4 cannot be confirmed now (unreachable without a lease, lease ended, clock behind, untrusted
            answer), 5 the usage exceeds a licensed limit, 6 the relay's pool has no room for the lease now.
            """;

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;
    private final CountDownLatch stop = new CountDownLatch(1);

    /**
     * @param env the environment ({@code GPU_AGENT_*}, {@code HOME}, {@code XDG_STATE_HOME})
     * @param clock the SDK's clock (tests move it past a lease)
     */
    public GpuAgent(Map<String, String> env, PrintStream out, PrintStream err, Clock clock) {
        this.env = Map.copyOf(env);
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    public static void main(String[] args) {
        GpuAgent agent = new GpuAgent(System.getenv(), System.out, System.err, Clock.systemUTC());
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            agent.stop(); // SIGTERM / Ctrl-C: let `run` close the client (heartbeats stop, trusted time is saved)
            try {
                finished.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "gpu-agent-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        int code = agent.run(args);
        finished.countDown();
        if (!agent.stopRequested()) {
            Runtime.getRuntime().removeShutdownHook(hook);
            System.exit(code);
        }
    }

    /** Asks {@link #run} to finish (the {@code run} command's loop ends at once). */
    public void stop() {
        stop.countDown();
    }

    boolean stopRequested() {
        return stop.getCount() == 0;
    }

    /** Runs one command; returns its exit code ({@link ExitCodes}). */
    public int run(String... args) {
        if (args.length == 1 && (args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h"))) {
            out.print(HELP);
            return ExitCodes.USABLE;
        }
        try {
            AgentOptions options = AgentOptions.parse(args, env);
            try (LicenseClient client = options.newClient(clock)) {
                return switch (options.command()) {
                    case "validate" -> answer(client.validate(options.usage()));
                    case "check" -> answer(client.check(options.usage()));
                    case "activate" -> activation(client.activate());
                    case "deactivate" -> activation(client.deactivate());
                    case "status" -> status(client, options);
                    case "run" -> runUntilStopped(client, options);
                    case "checkout-request" -> write(client.checkoutRequest(options.label()), options.output());
                    case "install-checkout" -> install(options);
                    case "return-checkout" -> write(client.returnCheckout(), options.output());
                    default -> throw new IllegalStateException(options.command());
                };
            }
        } catch (UsageException e) {
            err.println("gpu-agent: " + e.getMessage());
            err.println("Run 'gpu-agent help' for the commands and options.");
            return ExitCodes.USAGE;
        } catch (IOException e) {
            err.println("gpu-agent: " + e);
            return ExitCodes.USAGE;
        } catch (LicenseClientException e) {
            // The SDK refuses a configuration (pinned keys with a private part, an http URL to a remote host, a
            // cache directory it cannot use, a fingerprint it cannot compute) or a request: a usage error.
            err.println("gpu-agent: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (RuntimeException e) {
            err.println("gpu-agent: unexpected error: " + e);
            return ExitCodes.ERROR;
        }
    }

    /** Writes a request or return file (or prints it): a person carries it to the vendor. */
    private int write(String text, Path to) throws IOException {
        if (to == null) {
            out.println(text);
        } else {
            Files.writeString(to, text + "\n", StandardCharsets.UTF_8);
            line("written", to);
        }
        return ExitCodes.USABLE;
    }

    /**
     * Verifies the checkout the vendor sent as this machine's license file would be read, and installs it (a copy
     * then an atomic move) only when the product may run with it: a file for another machine or key is never
     * installed over a working one.
     */
    private int install(AgentOptions o) throws IOException, UsageException {
        String text = Files.readString(o.from(), StandardCharsets.UTF_8);
        LicenseAnswer a;
        try (LicenseClient candidate = o.newClientFor(text, clock)) {
            a = candidate.check();
        }
        if (a.usable()) {
            Path target = o.licenseFile().toAbsolutePath();
            Path tmp = Files.createTempFile(target.getParent(), ".checkout-", ".tmp");
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            line("installed", target);
        } else {
            line("installed", "nothing (the checkout is not usable here)");
        }
        return answer(a);
    }

    private int answer(LicenseAnswer a) {
        print(a);
        return ExitCodes.of(a.code());
    }

    private int activation(ActivationAnswer a) {
        print(a);
        return ExitCodes.of(a);
    }

    private int status(LicenseClient client, AgentOptions o) {
        line("product", o.productCode());
        if (o.licenseFile() != null) {
            line("mode", "license file " + o.licenseFile());
        } else if (o.relayUrl() != null) {
            line("mode", "relay " + o.relayUrl() + " leasing " + pairs(o.lease()) + (o.offline()
                    ? " (not asked: --offline)" : ""));
        } else {
            line("mode", "online " + o.validatorUrl() + (o.offline() ? " (not asked: --offline)" : ""));
        }
        line("fingerprint", client.fingerprint());
        line("cache", o.cacheDirectory() == null ? "(memory only: no offline answer after a restart)"
                : o.cacheDirectory());
        line("pinned", o.pinnedKeysSource() + " " + client.trustedKids());
        return answer(o.offline() || o.licenseFile() != null ? client.check() : client.validate());
    }

    /**
     * The product's own loop: with {@code --heartbeat} claim the seat first (a refusal ends the run), then validate
     * every check interval and print each change, until {@link #stop()}. A real product would stop scheduling GPU work
     * while the answer is not usable and resume when it is.
     */
    private int runUntilStopped(LicenseClient client, AgentOptions o) throws UsageException {
        if (o.heartbeat()) {
            ActivationAnswer a = client.activate();
            print(a);
            if (a.outcome() == ActivationAnswer.Outcome.REFUSED) {
                return ExitCodes.of(a);
            }
            if (client.heartbeatsRunning()) {
                line("heartbeats", "every " + o.heartbeatInterval() + " (+-10 %)");
            }
        }
        LicenseAnswer last = null;
        while (true) {
            if (o.heartbeat() && o.licenseFile() == null && !client.heartbeatsRunning()) {
                ActivationAnswer a = client.activate(); // the validator was unreachable at the start: try again
                if (a.ok()) {
                    print(a);
                }
            }
            LicenseAnswer a = client.validate();
            if (last == null || a.code() != last.code() || a.source() != last.source()) {
                out.printf("%s %s %s%s: %s%n", clock.instant(), a.code(), a.source(),
                        a.leaseUntil() == null ? "" : " lease-until=" + a.leaseUntil(), a.detail());
            }
            last = a;
            try {
                if (stop.await(o.checkInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (o.deactivateOnExit() && o.licenseFile() == null) {
            // Close first, then free the seat with a client that sends no heartbeats: deactivate() on the
            // heartbeating client stops its heartbeats only after the DELETE answered, and a heartbeat landing in
            // between is told "not active" and activates the machine again.
            client.close();
            try (LicenseClient once = o.newClient(clock, false)) {
                print(once.deactivate());
            }
        }
        out.println(clock.instant() + " stopped");
        return ExitCodes.of(last.code());
    }

    private void print(LicenseAnswer a) {
        line("code", a.code() + (a.usable() ? " (usable)" : " (not usable)"));
        line("source", a.source());
        line("detail", a.detail());
        optional("license", a.licenseId());
        optional("issued", a.issuedAt());
        optional("lease-until", a.leaseUntil());
        optional("expires", a.expiresAt());
        optional(a.code() == LicenseCode.POOL_EXHAUSTED ? "exhausted" : "exceeded", a.limit());
        Entitlements e = a.entitlements();
        // In relay mode the signed limits are this node's lease: what it may use.
        line(a.source() == LicenseAnswer.Source.RELAY ? "leased" : "limits", e.limits().isEmpty() ? "(none signed)"
                : pairs(e.limits()));
        line("features", e.features().isEmpty() ? "(none signed)" : e.features().entrySet().stream()
                .map(f -> f.getValue() ? f.getKey() : "!" + f.getKey()).collect(Collectors.joining(" ")));
    }

    private void print(ActivationAnswer a) {
        line("outcome", a.outcome());
        optional("code", a.code());
        line("detail", a.detail());
        line("fingerprint", a.fingerprint());
        if (a.activeMachines() != null) {
            line("machines", a.activeMachines() + (a.maxActivations() == null || a.maxActivations() == 0
                    ? "" : " of " + a.maxActivations()));
        } else {
            optional("max-machines", a.maxActivations());
        }
        optional("heartbeat-due", a.heartbeatDueBy());
        optional("retry-after", a.retryAfter());
    }

    private void optional(String name, Object value) {
        if (value != null) {
            line(name, value);
        }
    }

    private void line(String name, Object value) {
        out.printf("%-13s%s%n", name + ":", value);
    }

    private static String pairs(Map<String, BigDecimal> values) {
        return values.entrySet().stream().map(l -> l.getKey() + "=" + l.getValue().toPlainString())
                .collect(Collectors.joining(" "));
    }
}
