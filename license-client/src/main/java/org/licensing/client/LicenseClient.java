package org.licensing.client;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.ProxySelector;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.licensing.core.key.LicenseKey;
import org.licensing.core.key.MalformedLicenseKeyException;
import org.licensing.core.license.UsageRules;
import org.licensing.core.relay.LeaseVerifier;

/**
 * The licensing SDK an installed product embeds. One instance per product (and license); thread-safe; close it
 * when the product stops (it stops the heartbeat thread). Built with {@link #builder()}; no static state, so tests
 * may create as many as they like.
 *
 * <p>Online ({@link Builder#validatorUrl}): {@link #validate(Map)} makes one {@code POST /v1/validate} with a fresh
 * random nonce and believes only the signed receipt, verified against the <em>pinned</em> keys; the receipt is
 * kept in the cache directory, and when the validator cannot be reached (network error, timeout, HTTP 429 or 5xx)
 * the cached receipt answers until its lease ends. {@link #check(Map)} answers offline from the cached receipt.
 * Air-gapped ({@link Builder#licenseFile}): both answer from a checkout file bound to this machine and the license
 * key, decrypted and verified locally ({@link #checkoutRequest} asks for one, {@link #returnCheckout} gives it back).
 * Relay ({@link Builder#relayUrl}, an air-gapped site's license-relay): {@link #validate(Map)} leases this node's
 * {@link Builder#leaseQuantities} (or extends the lease), a background heartbeat extends it, {@link #close()} gives it
 * back, and the held lease answers {@link #check(Map)} and any time the relay is away, until it ends.
 *
 * <p>Clock tamper: the latest trusted time (the receipt's or checkout's {@code iat}, and the client's own previous
 * runs, which may raise it only up to the signed lease or checkout end) is kept with the cache; a usable answer
 * becomes {@link LicenseCode#CLOCK_TAMPERED} when the system clock is earlier than it by more than the tolerance. A
 * fresh receipt's {@code iat}, or a checkout with a higher sequence number, resets it.
 *
 * <p>This class is the front: each concern lives in a package-private collaborator ({@link OnlineMode},
 * {@link LicenseFileMode}, {@link RelayMode}, {@link ReceiptCache}, {@link TrustedClock}, {@link KeyRefresh}, {@link Activations},
 * {@link Fingerprints}, {@link Settings}).
 */
public final class LicenseClient implements AutoCloseable {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CLOCK_TOLERANCE = Duration.ofHours(1);

    static final String VALIDATE_PATH = "/v1/validate";
    static final String ACTIVATIONS_PATH = "/v1/activations";
    /** Where the validator publishes the signed key set (see the README's key rotation). */
    static final String KEY_SET_PATH = "/.well-known/jwks.jws";
    static final int MAX_NAME = 64;
    static final int MAX_FINGERPRINT = 128;

    private final Settings settings;
    private final LicenseKey key; // null when the configured key is malformed
    private final String keyProblem;
    private final CacheStore store;
    private final TrustedClock clock;
    private final KeyRefresh keys;
    private final Fingerprints fingerprints;
    private final OnlineMode online; // null: license-file or relay mode
    private final LicenseFileMode file; // null: online or relay mode
    private final RelayMode relay; // null: online or license-file mode
    private final Activations activations; // null: license-file or relay mode
    private final Returns returns;
    private volatile boolean closed;

    private LicenseClient(Settings s) {
        this.settings = s;
        LicenseKey parsed = null;
        String problem = null;
        try {
            parsed = LicenseKey.parse(s.licenseKey());
        } catch (MalformedLicenseKeyException e) {
            problem = "The license key is malformed (" + e.reason() + "): " + e.getMessage();
        }
        this.key = parsed;
        this.keyProblem = problem;
        Trust trust = Trust.pinned(s.pinnedKeys());
        this.store = s.cacheDirectory() != null ? CacheStore.inDirectory(s.cacheDirectory()) : CacheStore.inMemory();
        this.clock = new TrustedClock(store, s.clock(), s.clockTolerance());
        this.fingerprints = new Fingerprints(Objects.requireNonNullElse(s.fingerprint(), FingerprintStrategy.none()),
                s.productCode());
        Transport validator = s.validatorUrl() == null ? null : transport(s, s.validatorUrl());
        this.keys = new KeyRefresh(trust, validator, store, s.clock(), System::nanoTime);
        this.returns = new Returns(store);
        if (s.fileMode()) {
            this.online = null;
            this.activations = null;
            this.relay = null;
            this.file = new LicenseFileMode(s.licenseFile(), s.licenseFileText(), s.productCode(), key, fingerprints,
                    trust, clock, returns);
        } else if (s.relayUrl() != null) {
            this.online = null;
            this.activations = null;
            this.file = null;
            this.relay = new RelayMode(transport(s, s.relayUrl()), s.productCode(), key == null ? null
                    : new LeaseVerifier(key, trust.pinnedKeys(), null, s.productCode(), Duration.ZERO), fingerprints,
                    s.leaseQuantities(), clock, s.heartbeatInterval(), () -> closed, store);
        } else {
            this.file = null;
            this.relay = null;
            this.online = new OnlineMode(validator, s.productCode(), key, fingerprints, keys,
                    new ReceiptCache(store, keys, clock), clock);
            this.activations = new Activations(validator, s.productCode(), key, keyProblem, fingerprints,
                    s.heartbeatInterval(), () -> closed);
        }
    }

    private static Transport transport(Settings s, URI server) {
        return new Transport(server, s.connectTimeout(), s.requestTimeout(), s.proxy(), s.sslContext());
    }

    public static Builder builder() {
        return new Builder();
    }

    // --- validation ---

    /** {@link #validate(Map)} without usage. */
    public LicenseAnswer validate() {
        return validate(Map.of());
    }

    /**
     * Validates the license: online, one {@code POST /v1/validate} whose signed receipt decides (falling back to the
     * cached receipt when the validator cannot be reached); in license-file mode, the license file.
     *
     * @param usage what the product uses now, by limit name (for example {@code cuda.shares} 2.5), exact and
     *     non-negative; may be empty
     * @throws LicenseClientException for bad usage, an undeterminable fingerprint, a request the validator calls
     *     invalid, or a closed client
     */
    public LicenseAnswer validate(Map<String, BigDecimal> usage) {
        ensureOpen();
        Map<String, BigDecimal> used = checkUsage(usage);
        if (key == null) {
            return LicenseAnswer.unsigned(LicenseCode.MALFORMED_KEY, keyProblem);
        }
        if (relay != null) {
            return relay.validate(used);
        }
        return online == null ? file.answer(used) : online.validate(used);
    }

    /** {@link #check(Map)} without usage. */
    public LicenseAnswer check() {
        return check(Map.of());
    }

    /**
     * Answers without any network call: from the cached receipt (re-verified against the pinned keys), or in
     * license-file mode from the license file. Usage is compared exactly with the signed limits: the first limit
     * exceeded gives {@link LicenseCode#LIMIT_EXCEEDED} naming it.
     *
     * @throws LicenseClientException for bad usage, an undeterminable fingerprint, or a closed client
     */
    public LicenseAnswer check(Map<String, BigDecimal> usage) {
        ensureOpen();
        Map<String, BigDecimal> used = checkUsage(usage);
        if (key == null) {
            return LicenseAnswer.unsigned(LicenseCode.MALFORMED_KEY, keyProblem);
        }
        if (relay != null) {
            return relay.check(used);
        }
        return online == null ? file.answer(used) : online.check(used);
    }

    /**
     * Relay mode: the quantities this node holds by its live lease (what the relay granted, exact), or empty without
     * one (not leased yet, refused, ended, or not relay mode).
     */
    public Map<String, BigDecimal> leasedQuantities() {
        return relay == null ? Map.of() : relay.leased();
    }

    // --- keys ---

    /**
     * Fetches the validator's signed key set ({@code GET /.well-known/jwks.jws}, a JWS {@code typ jwk-set+jwt}) and
     * trusts its keys for receipts only if a <em>pinned</em> key signed it, until the set's {@code exp}; kept in the
     * cache directory. Called on its own when a receipt names an unknown {@code kid} (at most once a minute) and, once
     * a set was accepted, at the first validation and then daily. Never throws for a missing, unsigned or badly
     * signed set: it is ignored (and logged).
     *
     * @return the kids trusted for receipts now, pinned first
     */
    public Set<String> refreshKeys() {
        ensureOpen();
        requireValidator("refreshKeys");
        return keys.refresh();
    }

    /** The kids trusted for receipts now (pinned, plus those of an accepted signed key set). */
    public Set<String> trustedKids() {
        return keys.kids();
    }

    // --- machines ---

    /**
     * Activates this machine ({@code POST /v1/activations}). When a heartbeat interval is configured and the machine
     * holds a seat, heartbeats start on a background daemon thread (until {@link #deactivate()} or {@link #close()}).
     *
     * @throws LicenseClientException without a validator URL or a fingerprint, or when the validator calls the
     *     request invalid
     */
    public ActivationAnswer activate() {
        ensureOpen();
        requireValidator("activate");
        return activations.activate();
    }

    /** One heartbeat for this machine ({@code POST /v1/activations/{fingerprint}/heartbeat}). */
    public ActivationAnswer heartbeat() {
        ensureOpen();
        requireValidator("heartbeat");
        return activations.heartbeat();
    }

    /** Frees this machine's seat ({@code DELETE /v1/activations/{fingerprint}}) and stops the heartbeats. */
    public ActivationAnswer deactivate() {
        ensureOpen();
        requireValidator("deactivate");
        return activations.deactivate();
    }

    /** Whether the background heartbeat thread is running. */
    public boolean heartbeatsRunning() {
        return activations != null && activations.heartbeatsRunning();
    }

    // --- air-gapped checkouts ---

    /**
     * A checkout request for this machine: JSON naming the license id, the product and this machine's fingerprint,
     * and no secret, for a person to carry to the vendor (e-mail, USB stick). The vendor answers a checkout file
     * bound to this machine and the license key, which {@link Builder#licenseFile} then reads.
     *
     * @param label optional text for people (host or site name), at most 200 characters; may be null
     * @throws LicenseClientException without a fingerprint strategy, or with a malformed license key
     */
    public String checkoutRequest(String label) {
        ensureOpen();
        String fp = fingerprints.require("A checkout request");
        return Returns.request(requireKey(), settings.productCode(), fp, clock.now(), label);
    }

    /**
     * Retires this machine's checkout (license-file mode): records that it was returned, so this client no longer
     * accepts it (answers become {@link LicenseCode#INVALID_LICENSE_FILE}), deletes the license file when it was
     * given as a path, and returns the return file (JSON, authenticated with the license key) for a person to carry
     * to the vendor, which then frees the seat.
     *
     * @throws LicenseClientException in online mode, without a usable checkout for this machine, for an unbound
     *     checkout (it holds no seat), or when the return cannot be recorded
     */
    public String returnCheckout() {
        ensureOpen();
        if (file == null) {
            throw new LicenseClientException("returnCheckout needs license-file mode (online, deactivate() frees the"
                    + " seat)");
        }
        LicenseKey k = requireKey();
        var checkout = file.checkout();
        if (checkout == null) {
            throw new LicenseClientException("There is no checkout for this machine to return: " + check().detail());
        }
        String text = returns.giveBack(checkout, k, clock.now());
        if (settings.licenseFile() != null) {
            try {
                Files.deleteIfExists(settings.licenseFile());
            } catch (IOException e) {
                throw new LicenseClientException("The checkout was returned but " + settings.licenseFile()
                        + " cannot be deleted: " + e, e);
            }
        }
        return text;
    }

    // --- fingerprint, usage, misc ---

    /**
     * This machine's fingerprint as sent to the validator (computed once by the configured strategy), or null
     * without one.
     *
     * @throws LicenseClientException when the strategy cannot determine it
     */
    public String fingerprint() {
        return fingerprints.get();
    }

    private LicenseKey requireKey() {
        if (key == null) {
            throw new LicenseClientException(keyProblem);
        }
        return key;
    }

    private void requireValidator(String what) {
        if (online == null) {
            throw new LicenseClientException(what + " needs a validator URL (this client "
                    + (relay != null ? "leases from a relay" : "reads a license file") + ")");
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new LicenseClientException("The license client is closed");
        }
    }

    /** The usage, checked by license-core's {@link UsageRules} (the validator's own rules). */
    static Map<String, BigDecimal> checkUsage(Map<String, BigDecimal> usage) {
        try {
            return UsageRules.check(usage);
        } catch (IllegalArgumentException e) {
            throw new LicenseClientException("Bad usage: " + e.getMessage(), e);
        }
    }

    /**
     * Stops the heartbeats and writes the trusted time; does not deactivate the machine. In relay mode, gives the
     * lease back to the relay. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        if (activations != null) {
            activations.close();
        }
        if (relay != null) {
            relay.close();
        }
        clock.flush();
    }

    @Override
    public String toString() {
        return "LicenseClient[product=" + settings.productCode() + ", mode=" + (relay != null ? "relay"
                : online == null ? "license-file" : "online") + ", cache=" + (store.directory() == null ? "memory" : store.directory()) + "]";
    }

    /** Configures a {@link LicenseClient}. Required: product code, license key, pinned keys, and either a validator
     * URL (with a fingerprint strategy) or a license file. */
    public static final class Builder {
        private URI validatorUrl;
        private URI relayUrl;
        private Map<String, BigDecimal> leaseQuantities;
        private String productCode;
        private String licenseKey;
        private String pinnedKeys;
        private Path cacheDirectory;
        private FingerprintStrategy fingerprint;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Clock clock = Clock.systemUTC();
        private Duration clockTolerance = DEFAULT_CLOCK_TOLERANCE;
        private Duration heartbeatInterval;
        private Path licenseFile;
        private String licenseFileText;
        private ProxySelector proxy;
        private SSLContext sslContext;

        private Builder() {
        }

        /** The validator's base URL ({@code https://...}; plain {@code http} only for a loopback host). */
        public Builder validatorUrl(String url) {
            return validatorUrl(URI.create(Objects.requireNonNull(url, "url")));
        }

        public Builder validatorUrl(URI url) {
            this.validatorUrl = Objects.requireNonNull(url, "url");
            return this;
        }

        /**
         * Relay mode (air-gapped sites): the site's license-relay ({@code http://license-relay.license-relay.svc:8080});
         * plain http is allowed, as the license key never travels to it and its leases are checked up to the pinned
         * keys. Needs {@link #leaseQuantities} and a fingerprint strategy naming this node.
         */
        public Builder relayUrl(String url) {
            return relayUrl(URI.create(Objects.requireNonNull(url, "url")));
        }

        public Builder relayUrl(URI url) {
            this.relayUrl = Objects.requireNonNull(url, "url");
            return this;
        }

        /** Relay mode: what this node leases from the site's pool (for example {@code cuda.device} 8), exact. */
        public Builder leaseQuantities(Map<String, BigDecimal> quantities) {
            this.leaseQuantities = quantities;
            return this;
        }

        /** The product code the license must be for (1-64 printable ASCII). */
        public Builder productCode(String productCode) {
            this.productCode = productCode;
            return this;
        }

        /** The license key as the customer entered it ({@code LK1-...}); a malformed one answers MALFORMED_KEY. */
        public Builder licenseKey(String licenseKey) {
            this.licenseKey = licenseKey;
            return this;
        }

        /** The vendor's public JWK Set (JSON text) that receipts and license files must be signed with. */
        public Builder pinnedKeys(String jwkSetJson) {
            this.pinnedKeys = jwkSetJson;
            return this;
        }

        /**
         * The pinned JWK Set from a resource of the product, found with {@code anchor.getResourceAsStream(name)}
         * (relative to {@code anchor}'s package unless {@code name} starts with {@code /}).
         *
         * @throws LicenseClientException when the resource is missing or unreadable
         */
        public Builder pinnedKeysResource(Class<?> anchor, String name) {
            try (InputStream in = anchor.getResourceAsStream(name)) {
                if (in == null) {
                    throw new LicenseClientException("No resource " + name + " next to " + anchor.getName());
                }
                this.pinnedKeys = new String(in.readNBytes(CacheStore.MAX_FILE), StandardCharsets.UTF_8);
                return this;
            } catch (IOException e) {
                throw new LicenseClientException("Cannot read the pinned keys resource " + name, e);
            }
        }

        /** Where the receipt, the trusted time and the signed key set are kept (created 0700). Without one, the
         * client keeps them in memory only: no offline answer after a restart. */
        public Builder cacheDirectory(Path dir) {
            this.cacheDirectory = dir;
            return this;
        }

        /** How this machine is identified: required with a validator URL, and in license-file mode for a checkout
         * bound to this machine (it must be the strategy the checkout request was written with). */
        public Builder fingerprint(FingerprintStrategy strategy) {
            this.fingerprint = strategy;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** Timeout for the validator's answer once connected. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /** The clock (tests); default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** How far the system clock may be behind the latest trusted time before CLOCK_TAMPERED (default 1 h). */
        public Builder clockTolerance(Duration tolerance) {
            this.clockTolerance = tolerance;
            return this;
        }

        /**
         * Heartbeats after a successful {@link LicenseClient#activate()}, every interval +-10 %; default none. In
         * relay mode, how often the lease is extended (default: a third of each lease, so two beats may be lost).
         */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = interval;
            return this;
        }

        /** Air-gapped: answer from this checkout file (bound to this machine and the license key), read at every
         * answer. */
        public Builder licenseFile(Path file) {
            this.licenseFile = file;
            return this;
        }

        /** Air-gapped: answer from this checkout file content. */
        public Builder licenseFileText(String contents) {
            this.licenseFileText = contents;
            return this;
        }

        /** The proxy for validator calls (default: direct). */
        public Builder proxy(ProxySelector proxy) {
            this.proxy = proxy;
            return this;
        }

        /** TLS settings for validator calls, for a validator behind a private CA (default: the JDK's trust store). */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = sslContext;
            return this;
        }

        /**
         * @throws LicenseClientException when the configuration is incomplete or invalid, the pinned keys are not
         *     public Ed25519 keys, or the cache directory cannot be used
         */
        public LicenseClient build() {
            return new LicenseClient(new Settings(validatorUrl, relayUrl, leaseQuantities, productCode, licenseKey,
                    pinnedKeys, cacheDirectory, fingerprint, connectTimeout, requestTimeout, clock, clockTolerance,
                    heartbeatInterval, licenseFile, licenseFileText, proxy, sslContext).checked());
        }
    }
}
