package org.licensing.examples.gpuagent;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.licensing.client.FingerprintStrategy;
import org.licensing.client.LicenseClient;

/**
 * The agent's configuration: a command, then {@code --flag value} (or {@code --flag=value}) options, each falling
 * back to a {@code GPU_AGENT_*} environment variable. Parsing only; {@link #newClient(Clock)} turns it into a
 * {@link LicenseClient}.
 *
 * @param command one of {@link #COMMANDS}
 * @param relayUrl {@code --relay-url}: relay mode, the site's license-relay (instead of a validator or a license file)
 * @param lease {@code --lease cuda.device=8}: relay mode, what this node leases from the site's pool
 * @param usage {@code --usage cuda.shares=2.5,cuda.device=1} (validate, check), exact decimals, repeatable
 * @param label {@code --label} (checkout-request): a name for people, e.g. the host or site
 * @param from {@code --from} (install-checkout): the checkout file the vendor sent
 * @param output {@code --out} (checkout-request, return-checkout): where to write the file, else stdout
 */
record AgentOptions(String command, URI validatorUrl, URI relayUrl, Map<String, BigDecimal> lease, String productCode, String licenseKey, String pinnedKeys,
        String pinnedKeysSource, Path cacheDirectory, Path licenseFile, String fingerprint,
        Map<String, BigDecimal> usage, Duration heartbeatInterval, Duration checkInterval, boolean heartbeat,
        boolean offline, boolean deactivateOnExit, String label, Path from, Path output) {

    /** The product code this agent is built for (a product hard-codes it; the flag exists for tests and demos). */
    static final String DEFAULT_PRODUCT = "gpu-orchestrator";
    /** Where a product bundles the vendor's public keys (this example ships none: give {@code --pinned-keys}). */
    static final String PINNED_KEYS_RESOURCE = "/gpu-agent/vendor-jwks.json";
    static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofMinutes(15);
    static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofMinutes(5);

    static final List<String> COMMANDS = List.of("validate", "check", "activate", "deactivate", "status", "run",
            "checkout-request", "install-checkout", "return-checkout");
    /** The air-gapped commands: they work on the license file (where the checkout is or will be installed). */
    static final Set<String> CHECKOUT_COMMANDS = Set.of("checkout-request", "install-checkout", "return-checkout");
    /** What a relay node does not do: seats are the validator's, checkouts the machine's own (the relay holds one). */
    private static final Set<String> NOT_WITH_RELAY = Set.of("activate", "deactivate", "checkout-request",
            "install-checkout", "return-checkout");

    /** Option name (without --) and the environment variable it falls back to. */
    private static final Map<String, String> VALUED = Map.ofEntries(
            Map.entry("validator-url", "GPU_AGENT_VALIDATOR_URL"),
            Map.entry("relay-url", "GPU_AGENT_RELAY_URL"),
            Map.entry("lease", "GPU_AGENT_LEASE"),
            Map.entry("product", "GPU_AGENT_PRODUCT"),
            Map.entry("license-key", "GPU_AGENT_LICENSE_KEY"),
            Map.entry("license-key-file", "GPU_AGENT_LICENSE_KEY_FILE"),
            Map.entry("pinned-keys", "GPU_AGENT_PINNED_KEYS"),
            Map.entry("cache-dir", "GPU_AGENT_CACHE_DIR"),
            Map.entry("license-file", "GPU_AGENT_LICENSE_FILE"),
            Map.entry("fingerprint", "GPU_AGENT_FINGERPRINT"),
            Map.entry("heartbeat-interval", "GPU_AGENT_HEARTBEAT_INTERVAL"),
            Map.entry("check-interval", "GPU_AGENT_CHECK_INTERVAL"),
            Map.entry("usage", ""),
            Map.entry("label", ""),
            Map.entry("from", ""),
            Map.entry("out", ""));
    private static final Set<String> SWITCHES = Set.of("heartbeat", "offline", "deactivate-on-exit");
    /** Options that belong to one command only (all the others configure the client, for every command). */
    private static final Map<String, Set<String>> ONLY_FOR = Map.of(
            "usage", Set.of("validate", "check"),
            "heartbeat", Set.of("run"),
            "check-interval", Set.of("run"),
            "deactivate-on-exit", Set.of("run"),
            "offline", Set.of("status"),
            "label", Set.of("checkout-request"),
            "from", Set.of("install-checkout"),
            "out", Set.of("checkout-request", "return-checkout"));

    /** A command line or configuration the agent cannot work with; exit {@link ExitCodes#USAGE}. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    static AgentOptions parse(String[] args, Map<String, String> env) throws UsageException {
        if (args.length == 0) {
            throw new UsageException("no command given");
        }
        String command = args[0];
        if (!COMMANDS.contains(command)) {
            throw new UsageException("unknown command '" + command + "'");
        }
        Map<String, String> given = new LinkedHashMap<>();
        Map<String, BigDecimal> usage = new TreeMap<>();
        Set<String> switches = new java.util.HashSet<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (ONLY_FOR.containsKey(name) && !ONLY_FOR.get(name).contains(command)) {
                throw new UsageException("--" + name + " is an option of " + String.join(", ", ONLY_FOR.get(name))
                        + ", not of " + command);
            }
            if (SWITCHES.contains(name)) {
                if (value != null) {
                    throw new UsageException("--" + name + " takes no value");
                }
                switches.add(name);
            } else if (VALUED.containsKey(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    value = args[++i];
                }
                if (name.equals("usage")) {
                    usage.putAll(parsePairs(value, "usage"));
                } else {
                    given.put(name, value);
                }
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
        Map<String, String> config = new LinkedHashMap<>();
        VALUED.forEach((name, variable) -> {
            String v = given.containsKey(name) ? given.get(name) : variable.isEmpty() ? null : env.get(variable);
            if (v != null && !v.isBlank()) {
                config.put(name, v.strip());
            }
        });

        // A flag wins over the environment, also across the two ways of giving a key or a mode.
        overrides(given, config, "license-key-file", "license-key");
        for (String mode : List.of("validator-url", "license-file", "relay-url")) {
            for (String other : List.of("validator-url", "license-file", "relay-url")) {
                if (!mode.equals(other)) {
                    overrides(given, config, mode, other);
                }
            }
        }

        URI validatorUrl = uri(config, "validator-url");
        URI relayUrl = uri(config, "relay-url");
        Path licenseFile = config.containsKey("license-file") ? Path.of(config.get("license-file")) : null;
        if (CHECKOUT_COMMANDS.contains(command) && licenseFile == null) {
            throw new UsageException(command + " works on the license file: give where the checkout is (or will be)"
                    + " installed with --license-file or GPU_AGENT_LICENSE_FILE");
        }
        if (command.equals("install-checkout") && !config.containsKey("from")) {
            throw new UsageException("install-checkout needs --from FILE, the checkout file the vendor sent");
        }
        int modes = (validatorUrl == null ? 0 : 1) + (licenseFile == null ? 0 : 1) + (relayUrl == null ? 0 : 1);
        if (modes != 1) {
            throw new UsageException(modes == 0
                    ? "give the validator's URL (--validator-url or GPU_AGENT_VALIDATOR_URL), or on an air-gapped"
                            + " site the relay's URL (--relay-url or GPU_AGENT_RELAY_URL) or a license file"
                            + " (--license-file or GPU_AGENT_LICENSE_FILE)"
                    : "give one of a validator URL, a relay URL or a license file, not several");
        }
        Map<String, BigDecimal> lease = config.containsKey("lease") ? parsePairs(config.get("lease"), "lease")
                : Map.of();
        if (relayUrl != null) {
            if (NOT_WITH_RELAY.contains(command) || switches.contains("heartbeat")
                    || switches.contains("deactivate-on-exit")) {
                throw new UsageException(command + (switches.isEmpty() ? "" : " " + switches) + " is not for a relay"
                        + " node: the relay holds the site's checkout, and the node's lease is extended by itself and"
                        + " given back when the agent stops");
            }
            if (lease.isEmpty()) {
                throw new UsageException("relay mode needs what this node leases: --lease cuda.device=8 (or"
                        + " GPU_AGENT_LEASE)");
            }
        } else if (!lease.isEmpty()) {
            throw new UsageException("--lease is for relay mode (--relay-url)");
        }
        String[] pinned = pinnedKeys(config.get("pinned-keys"));
        return new AgentOptions(command, validatorUrl, relayUrl, lease, config.getOrDefault("product", DEFAULT_PRODUCT),
                licenseKey(config), pinned[0], pinned[1], cacheDirectory(config, env), licenseFile,
                config.getOrDefault("fingerprint", "host"), Map.copyOf(usage),
                duration(config.get("heartbeat-interval"), DEFAULT_HEARTBEAT_INTERVAL, "heartbeat-interval"),
                duration(config.get("check-interval"), DEFAULT_CHECK_INTERVAL, "check-interval"),
                switches.contains("heartbeat"), switches.contains("offline"), switches.contains("deactivate-on-exit"),
                config.get("label"), path(config.get("from")), path(config.get("out")));
    }

    private static URI uri(Map<String, String> config, String name) throws UsageException {
        if (!config.containsKey(name)) {
            return null;
        }
        try {
            return URI.create(config.get(name));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--" + name + " is not a URL: " + e.getMessage());
        }
    }

    private static Path path(String value) {
        return value == null ? null : Path.of(value);
    }

    private static void overrides(Map<String, String> given, Map<String, String> config, String flag, String other) {
        if (given.containsKey(flag) && !given.containsKey(other)) {
            config.remove(other);
        }
    }

    /** A client in license-file mode reading {@code text} (install-checkout: the checkout before it is installed). */
    LicenseClient newClientFor(String text, Clock clock) throws UsageException {
        return LicenseClient.builder().productCode(productCode).licenseKey(licenseKey).pinnedKeys(pinnedKeys)
                .cacheDirectory(cacheDirectory).clock(clock).fingerprint(fingerprintStrategy(fingerprint))
                .licenseFileText(text).build();
    }

    /** The SDK client for this configuration (throws LicenseClientException when the SDK refuses it). */
    LicenseClient newClient(Clock clock) throws UsageException {
        return newClient(clock, command.equals("run") && heartbeat);
    }

    /** As {@link #newClient(Clock)}; {@code heartbeats}: send them after a successful activation. */
    LicenseClient newClient(Clock clock, boolean heartbeats) throws UsageException {
        LicenseClient.Builder b = LicenseClient.builder()
                .productCode(productCode)
                .licenseKey(licenseKey)
                .pinnedKeys(pinnedKeys)
                .cacheDirectory(cacheDirectory)
                .clock(clock);
        b.fingerprint(fingerprintStrategy(fingerprint)); // a checkout is bound to this machine too
        if (licenseFile != null) {
            b.licenseFile(licenseFile); // air-gapped: no network at all
        } else if (relayUrl != null) {
            b.relayUrl(relayUrl).leaseQuantities(lease); // air-gapped site: lease from its relay
        } else {
            b.validatorUrl(validatorUrl);
            if (heartbeats) {
                b.heartbeatInterval(heartbeatInterval);
            }
        }
        return b.build();
    }

    static FingerprintStrategy fingerprintStrategy(String spec) throws UsageException {
        if (spec.equals("host")) {
            return FingerprintStrategy.host();
        }
        if (spec.equals("kubernetes")) {
            return FingerprintStrategy.kubernetesCluster();
        }
        if (spec.startsWith("supplied:") && spec.length() > "supplied:".length()) {
            return FingerprintStrategy.supplied(spec.substring("supplied:".length()));
        }
        throw new UsageException("--fingerprint must be host, kubernetes or supplied:<value>, not '" + spec + "'");
    }

    /** {@code cuda.shares=2.5,cuda.device=1} ({@code --usage}, {@code --lease}): exact decimals (never doubles). */
    static Map<String, BigDecimal> parsePairs(String spec, String option) throws UsageException {
        Map<String, BigDecimal> usage = new TreeMap<>();
        for (String part : spec.split(",")) {
            String p = part.strip();
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) {
                throw new UsageException("--" + option + " takes name=number pairs separated by commas, not '" + p + "'");
            }
            String name = p.substring(0, eq).strip();
            try {
                BigDecimal value = new BigDecimal(p.substring(eq + 1).strip());
                if (value.signum() < 0) {
                    throw new UsageException("--" + option + " " + name + " must not be negative");
                }
                usage.put(name, value);
            } catch (NumberFormatException e) {
                throw new UsageException("--" + option + " " + name + " is not a number: '" + p.substring(eq + 1) + "'");
            }
        }
        return usage;
    }

    /** {@code PT15M} (ISO-8601) or {@code 500ms}, {@code 30s}, {@code 15m}, {@code 1h}. */
    static Duration duration(String text, Duration fallback, String name) throws UsageException {
        if (text == null) {
            return fallback;
        }
        Duration d;
        try {
            String t = text.toLowerCase(Locale.ROOT);
            if (t.startsWith("p")) {
                d = Duration.parse(text);
            } else if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            } else if (t.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            } else if (t.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
            } else {
                throw new UsageException("--" + name + " needs a unit: 500ms, 30s, 15m, 1h or PT15M");
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new UsageException("--" + name + " is not a duration: '" + text + "'");
        }
        if (d.isZero() || d.isNegative()) {
            throw new UsageException("--" + name + " must be positive");
        }
        return d;
    }

    /** The key from {@code --license-key} / {@code GPU_AGENT_LICENSE_KEY}, else from the key file. */
    private static String licenseKey(Map<String, String> config) throws UsageException {
        if (config.containsKey("license-key")) {
            return config.get("license-key");
        }
        if (config.containsKey("license-key-file")) {
            Path file = Path.of(config.get("license-key-file"));
            try {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new UsageException("cannot read the license key file " + file + ": " + e.getMessage());
            }
        }
        throw new UsageException("give the license key: GPU_AGENT_LICENSE_KEY (or --license-key-file, or"
                + " --license-key, which other users can see in the process list)");
    }

    /** The pinned public JWK Set: {@code --pinned-keys FILE}, else the resource a product bundles. */
    private static String[] pinnedKeys(String file) throws UsageException {
        if (file != null) {
            try {
                return new String[] {Files.readString(Path.of(file), StandardCharsets.UTF_8), file};
            } catch (IOException e) {
                throw new UsageException("cannot read the pinned keys " + file + ": " + e.getMessage());
            }
        }
        try (InputStream in = AgentOptions.class.getResourceAsStream(PINNED_KEYS_RESOURCE)) {
            if (in != null) {
                return new String[] {new String(in.readAllBytes(), StandardCharsets.UTF_8),
                        "resource " + PINNED_KEYS_RESOURCE};
            }
        } catch (IOException e) {
            throw new UsageException("cannot read the bundled pinned keys: " + e.getMessage());
        }
        throw new UsageException("no pinned keys: give the vendor's public JWK Set with --pinned-keys FILE (or"
                + " GPU_AGENT_PINNED_KEYS); a product bundles it as the resource " + PINNED_KEYS_RESOURCE);
    }

    /** {@code GPU_AGENT_CACHE_DIR}, else {@code $XDG_STATE_HOME/gpu-agent/<product>}, else under {@code $HOME}. */
    private static Path cacheDirectory(Map<String, String> config, Map<String, String> env) {
        if (config.containsKey("cache-dir")) {
            return Path.of(config.get("cache-dir"));
        }
        String product = config.getOrDefault("product", DEFAULT_PRODUCT);
        String state = env.get("XDG_STATE_HOME");
        if (state != null && !state.isBlank()) {
            return Path.of(state, "gpu-agent", product);
        }
        String home = env.get("HOME");
        return home == null || home.isBlank() ? null : Path.of(home, ".local", "state", "gpu-agent", product);
    }
}
