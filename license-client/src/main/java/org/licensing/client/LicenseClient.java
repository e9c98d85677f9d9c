package org.licensing.client;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.ProxySelector;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.licensing.core.key.LicenseKey;
import org.licensing.core.key.MalformedLicenseKeyException;

/**
 * The licensing SDK an installed product embeds. One instance per product (and license); thread-safe; close it
 * when the product stops (it stops the heartbeat thread). Built with {@link #builder()}; no static state, so tests
 * may create as many as they like.
 *
 * <p>Online ({@link Builder#validatorUrl}): {@link #validate(Map)} makes one {@code POST /v1/validate} with a fresh
 * random nonce and believes only the signed receipt, verified against the <em>pinned</em> keys; the receipt is
 * kept in the cache directory, and when the validator cannot be reached (network error, timeout, HTTP 429 or 5xx)
 * the cached receipt answers until its lease ends. {@link #check(Map)} answers offline from the cached receipt.
 * Air-gapped ({@link Builder#licenseFile}): both answer from the license file, decrypted and verified locally.
 *
 * <p>Clock tamper: the latest trusted time (the receipt's or license file's {@code iat}, and the client's own
 * previous runs) is kept with the cache; a usable answer becomes {@link LicenseCode#CLOCK_TAMPERED} when the system
 * clock is earlier than it by more than the tolerance. Online, the fresh receipt's {@code iat} is the reference.
 */
public final class LicenseClient implements AutoCloseable {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CLOCK_TOLERANCE = Duration.ofHours(1);

    static final String VALIDATE_PATH = "/v1/validate";
    static final String ACTIVATIONS_PATH = "/v1/activations";
    /** Where the validator publishes the signed key set (see the README's key rotation). */
    static final String KEY_SET_PATH = "/.well-known/jwks.jws";
    static final int MAX_USAGE_ENTRIES = 32;
    static final int MAX_NAME = 64;
    static final int MAX_FINGERPRINT = 128;

    private static final System.Logger LOG = System.getLogger(LicenseClient.class.getName());
    private static final Set<String> VALIDATOR_CODES = Set.of("VALID", "EXPIRED", "NOT_FOUND", "SUSPENDED", "REVOKED",
            "NOT_YET_VALID", "TOO_MANY_ACTIVATIONS", "FINGERPRINT_MISMATCH", "PRODUCT_MISMATCH", "LIMIT_EXCEEDED");
    private static final Set<String> PROBLEM_CODES = Set.of("EXPIRED", "NOT_FOUND", "SUSPENDED", "REVOKED",
            "NOT_YET_VALID", "TOO_MANY_ACTIVATIONS", "FINGERPRINT_MISMATCH", "PRODUCT_MISMATCH", "LIMIT_EXCEEDED",
            "MALFORMED_KEY");
    /** The trusted time is written again only when it advanced by this much (check() may be called very often). */
    private static final Duration TRUSTED_TIME_WRITE_STEP = Duration.ofMinutes(1);
    /** A receipt with an unknown kid fetches the signed key set at most this often. */
    private static final long UNKNOWN_KID_REFRESH_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** An accepted signed key set is fetched again this often (a newer one may drop a key). */
    private static final long KEY_SET_REFRESH_NANOS = TimeUnit.DAYS.toNanos(1);
    private static final int MAX_LICENSE_FILE = 128 * 1024;

    private final Transport transport; // null: license-file mode
    private final String productCode;
    private final LicenseKey key; // null when the configured key is malformed
    private final String keyProblem;
    private final Trust trust;
    private final CacheStore store;
    private final FingerprintStrategy fingerprintStrategy;
    private final Clock clock;
    private final Duration tolerance;
    private final Duration heartbeatInterval; // null: no heartbeats
    private final Path licenseFile;
    private final String licenseFileText;
    private final SecureRandom random = new SecureRandom();

    private final Object lock = new Object(); // cache, trusted time, memoized verifications
    private Receipt lastReceipt;
    private long rememberedRequest; // sequence of the request whose receipt was kept last
    private final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();
    private String lastLicenseFileText;
    private LicenseFile lastLicenseFile;
    private Instant trustedTime;
    private boolean trustedTimeLoaded;
    private Instant trustedTimeWritten;

    private final Object fingerprintLock = new Object();
    private String fingerprint;
    private boolean fingerprintKnown;

    private final Object heartbeatLock = new Object();
    private ScheduledExecutorService heartbeats;
    private volatile boolean closed;
    private volatile long lastKeyRefresh = System.nanoTime() - KEY_SET_REFRESH_NANOS - 1;

    private LicenseClient(Builder b) {
        this.productCode = b.productCode;
        this.trust = Trust.pinned(b.pinnedKeys);
        this.clock = b.clock;
        this.tolerance = b.clockTolerance;
        this.heartbeatInterval = b.heartbeatInterval;
        this.licenseFile = b.licenseFile;
        this.licenseFileText = b.licenseFileText;
        this.fingerprintStrategy = b.fingerprint != null ? b.fingerprint : FingerprintStrategy.none();
        LicenseKey parsed = null;
        String problem = null;
        try {
            parsed = LicenseKey.parse(b.licenseKey);
        } catch (MalformedLicenseKeyException e) {
            problem = "The license key is malformed (" + e.reason() + "): " + e.getMessage();
        }
        this.key = parsed;
        this.keyProblem = problem;
        this.store = b.cacheDirectory != null ? CacheStore.inDirectory(b.cacheDirectory) : CacheStore.inMemory();
        this.transport = b.validatorUrl == null ? null
                : new Transport(b.validatorUrl, b.connectTimeout, b.requestTimeout, b.proxy, b.sslContext);
        loadKeySet();
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
        if (transport == null) {
            return licenseFileAnswer(used);
        }
        if (key == null) {
            return LicenseAnswer.unsigned(LicenseCode.MALFORMED_KEY, keyProblem);
        }
        String fp = fingerprint();
        if (trust.hasKeySet() && System.nanoTime() - lastKeyRefresh > KEY_SET_REFRESH_NANOS) {
            refreshKeys(); // at the first validation, then daily: a newer set may have dropped a key
        }
        String nonce = newNonce();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", key.text());
        body.put("productCode", productCode);
        body.put("nonce", nonce);
        if (fp != null) {
            body.put("fingerprint", fp);
        }
        if (!used.isEmpty()) {
            body.put("usage", new LinkedHashMap<>(used));
        }
        long request = requests.incrementAndGet();
        Transport.Answer http;
        try {
            http = transport.send("POST", VALIDATE_PATH, Json.write(body), null);
        } catch (IOException e) {
            return offline(used, fp, "The validator could not be reached (" + e.getMessage() + ")");
        }
        if (http.status() == 200) {
            return online(http, request, nonce, fp, used);
        }
        if (http.status() == 400) {
            Map<String, Object> problem = parseQuietly(http.body());
            if ("MALFORMED_KEY".equals(problem.get("code"))) {
                return LicenseAnswer.unsigned(LicenseCode.MALFORMED_KEY, "The validator: " + detailOf(problem, 400));
            }
            throw new LicenseClientException("The validator rejected the request as invalid: " + detailOf(problem, 400));
        }
        return offline(used, fp, "The validator answered HTTP " + http.status());
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
        if (transport == null) {
            return licenseFileAnswer(used);
        }
        if (key == null) {
            return LicenseAnswer.unsigned(LicenseCode.MALFORMED_KEY, keyProblem);
        }
        return offline(used, fingerprint(), null);
    }

    private LicenseAnswer online(Transport.Answer http, long request, String nonce, String fp,
            Map<String, BigDecimal> used) {
        Map<String, Object> body;
        try {
            body = Json.parseObject(http.body());
        } catch (Json.JsonException e) {
            return offline(used, fp, "The validator's answer is not JSON");
        }
        if (!(body.get("receipt") instanceof String compact)) {
            return offline(used, fp, "The validator's answer has no receipt");
        }
        Receipt receipt;
        try {
            receipt = verifyReceipt(compact, true);
        } catch (Untrusted u) {
            return invalidReceipt(LicenseAnswer.Source.NETWORK, "The validator's receipt was rejected: " + u.getMessage());
        }
        if (!nonce.equals(receipt.facts().nonce())) {
            return invalidReceipt(LicenseAnswer.Source.NETWORK,
                    "The validator's receipt is for another request (its nonce is not the one sent)");
        }
        String mismatch = bindingProblem(receipt, fp);
        if (mismatch != null) {
            return invalidReceipt(LicenseAnswer.Source.NETWORK, "The validator's receipt " + mismatch);
        }
        LicenseCode code = codeOf(receipt);
        String detail = body.get("detail") instanceof String d ? d : "The validator answered " + code;
        String limit = code == LicenseCode.LIMIT_EXCEEDED && body.get("limit") instanceof String l ? l : null;
        LicenseAnswer answer = fromReceipt(receipt, code, LicenseAnswer.Source.NETWORK, detail, limit);
        Instant now = clock.instant();
        synchronized (lock) {
            // The latest statement wins (a refusal replaces an earlier lease), by the order of the requests, not
            // by iat (validator instances' clocks may differ by a little). LIMIT_EXCEEDED is about this usage,
            // not the license: the earlier lease stays.
            if (request > rememberedRequest && code != LicenseCode.LIMIT_EXCEEDED) {
                rememberedRequest = request;
                remember(receipt);
            }
            if (request >= rememberedRequest) {
                // The fresh receipt's iat is the validator's time now: the reference (this also heals a trusted
                // time that a clock running ahead had pushed too far).
                resetTrustedTime(receipt.issuedAt());
            }
        }
        if (answer.usable() && now.isBefore(receipt.issuedAt().minus(tolerance))) {
            return answer.refused(LicenseCode.CLOCK_TAMPERED, "The system clock (" + now + ") is behind the validator's"
                    + " time (" + receipt.issuedAt() + ") by more than " + tolerance, null);
        }
        return answer;
    }

    /** The cached receipt's answer; {@code why} says why the validator was not asked or did not answer. */
    private LicenseAnswer offline(Map<String, BigDecimal> used, String fp, String why) {
        String prefix = why == null ? "" : why + "; ";
        synchronized (lock) {
            Receipt r;
            try {
                r = cachedReceipt();
            } catch (IOException e) {
                return LicenseAnswer.unsigned(LicenseCode.UNCONFIRMED,
                        prefix + "the cached receipt cannot be read: " + e);
            } catch (Untrusted u) {
                return invalidReceipt(LicenseAnswer.Source.CACHE, prefix + "the cached receipt was rejected: " + u.getMessage());
            }
            if (r == null) {
                return LicenseAnswer.unsigned(LicenseCode.UNCONFIRMED, prefix + "there is no cached receipt");
            }
            String mismatch = bindingProblem(r, fp);
            if (mismatch != null) {
                return invalidReceipt(LicenseAnswer.Source.CACHE, prefix + "the cached receipt " + mismatch);
            }
            LicenseCode code = codeOf(r);
            LicenseAnswer answer = fromReceipt(r, code, LicenseAnswer.Source.CACHE,
                    prefix + "answered from the cached receipt of " + r.issuedAt(), null);
            return offlineRules(answer, r.issuedAt(), used, true);
        }
    }

    /** Clock tamper, then (for receipts) the lease, then the limits. Caller holds {@link #lock}. */
    private LicenseAnswer offlineRules(LicenseAnswer answer, Instant signedIat, Map<String, BigDecimal> used,
            boolean lease) {
        Instant now = clock.instant();
        Instant stored = trustedTime();
        Instant floor = stored != null && stored.isAfter(signedIat) ? stored : signedIat;
        boolean tampered = now.isBefore(floor.minus(tolerance));
        if (!tampered) {
            raiseTrustedTime(now.isAfter(signedIat) ? now : signedIat);
        }
        if (!answer.usable()) {
            return answer;
        }
        if (tampered) {
            return answer.refused(LicenseCode.CLOCK_TAMPERED, "The system clock (" + now + ") is earlier than the latest"
                    + " trusted time (" + floor + ") by more than " + tolerance, null);
        }
        if (lease && !now.isBefore(answer.leaseUntil())) {
            return answer.refused(LicenseCode.OFFLINE_EXPIRED, answer.detail() + "; its lease ended at "
                    + answer.leaseUntil() + ": the license cannot be confirmed", null);
        }
        Optional<String> exceeded = answer.entitlements().exceeded(used);
        if (exceeded.isPresent()) {
            String name = exceeded.get();
            return answer.refused(LicenseCode.LIMIT_EXCEEDED, "Usage " + name + " " + used.get(name).toPlainString()
                    + " exceeds the licensed " + answer.entitlements().limits().get(name).toPlainString(), name);
        }
        return answer;
    }

    private LicenseAnswer licenseFileAnswer(Map<String, BigDecimal> used) {
        if (key == null) {
            return LicenseAnswer.unsigned(LicenseCode.MALFORMED_KEY, keyProblem);
        }
        String text;
        try {
            text = licenseFileText != null ? licenseFileText : readLicenseFile();
        } catch (IOException e) {
            return LicenseAnswer.unsigned(LicenseCode.UNCONFIRMED, "The license file cannot be read: " + e);
        }
        synchronized (lock) {
            LicenseFile f;
            if (text.equals(lastLicenseFileText)) {
                f = lastLicenseFile;
            } else {
                try {
                    f = LicenseFile.read(text, key, trust);
                } catch (Untrusted u) {
                    return new LicenseAnswer(LicenseCode.INVALID_LICENSE_FILE, "The license file was rejected: "
                            + u.getMessage(), LicenseAnswer.Source.LICENSE_FILE, null, null, null, null, null, null);
                }
                lastLicenseFileText = text;
                lastLicenseFile = f;
            }
            if (!f.licenseId().equalsIgnoreCase(key.licenseId().toString())) {
                return new LicenseAnswer(LicenseCode.INVALID_LICENSE_FILE, "The license file is for another license ("
                        + f.licenseId() + ")", LicenseAnswer.Source.LICENSE_FILE, null, null, null, null, null, null);
            }
            Instant now = clock.instant();
            LicenseCode code;
            String detail;
            if (!f.productCode().equals(productCode)) {
                code = LicenseCode.PRODUCT_MISMATCH;
                detail = "The license file is for product " + f.productCode();
            } else if (now.plus(tolerance).isBefore(f.notBefore())) {
                code = LicenseCode.NOT_YET_VALID;
                detail = "The license starts at " + f.notBefore();
            } else if (now.isBefore(f.expiresAt())) {
                code = LicenseCode.VALID;
                detail = "The license file is valid until " + f.expiresAt();
            } else if (f.graceDays() > 0 && now.isBefore(f.graceEndsAt())) {
                code = LicenseCode.EXPIRED_IN_GRACE;
                detail = "The license expired at " + f.expiresAt() + "; its grace period ends " + f.graceEndsAt();
            } else {
                code = LicenseCode.EXPIRED;
                detail = "The license expired at " + f.expiresAt();
            }
            LicenseAnswer answer = new LicenseAnswer(code, detail, LicenseAnswer.Source.LICENSE_FILE, f.licenseId(),
                    f.entitlements(), f.issuedAt(), code.usable() ? f.graceEndsAt() : null, f.expiresAt(), null);
            return offlineRules(answer, f.issuedAt(), used, false);
        }
    }

    private String readLicenseFile() throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(licenseFile)) {
            bytes = in.readNBytes(MAX_LICENSE_FILE + 1);
        }
        if (bytes.length > MAX_LICENSE_FILE) {
            throw new IOException("larger than " + MAX_LICENSE_FILE + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    // --- receipts, cache and trusted time ---

    private Receipt verifyReceipt(String compact, boolean mayRefreshKeys) throws Untrusted {
        try {
            return Receipt.verify(compact, trust, clock.instant());
        } catch (Untrusted u) {
            if (!u.unknownKey() || !mayRefreshKeys || System.nanoTime() - lastKeyRefresh < UNKNOWN_KID_REFRESH_NANOS) {
                throw u;
            }
            refreshKeys(); // a kid we do not know: perhaps a rotation announced in a signed key set
            return Receipt.verify(compact, trust, clock.instant());
        }
    }

    /** The cached receipt re-verified (memoized on its exact text), or null. Caller holds {@link #lock}. */
    private Receipt cachedReceipt() throws IOException, Untrusted {
        String text = store.readReceipt();
        if (text == null) {
            return null;
        }
        if (lastReceipt != null && lastReceipt.keysVersion() == trust.keysVersion(clock.instant())
                && lastReceipt.compact().equals(text.strip())) {
            return lastReceipt; // verified before, with the keys in force now
        }
        Receipt r = verifyReceipt(text, false);
        lastReceipt = r;
        return r;
    }

    /** Keeps a fresh verified receipt, in memory and in the cache. Caller holds {@link #lock}. */
    private void remember(Receipt receipt) {
        lastReceipt = receipt;
        try {
            store.writeReceipt(receipt.compact());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot write the receipt cache in " + store.directory()
                    + ": offline answers will use an older receipt (" + e + ")");
        }
    }

    private Instant trustedTime() {
        if (!trustedTimeLoaded) {
            trustedTime = store.readTrustedTime();
            trustedTimeWritten = trustedTime;
            trustedTimeLoaded = true;
        }
        return trustedTime;
    }

    private void raiseTrustedTime(Instant t) {
        Instant current = trustedTime();
        if (current != null && !t.isAfter(current)) {
            return;
        }
        trustedTime = t;
        if (trustedTimeWritten == null || !t.isBefore(trustedTimeWritten.plus(TRUSTED_TIME_WRITE_STEP))) {
            writeTrustedTime();
        }
    }

    private void resetTrustedTime(Instant t) {
        trustedTime();
        trustedTime = t;
        writeTrustedTime();
    }

    private void writeTrustedTime() {
        try {
            store.writeTrustedTime(trustedTime);
            trustedTimeWritten = trustedTime;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot write the trusted time in " + store.directory() + ": " + e);
        }
    }

    /** Why a verified receipt is not one for this product, machine and license, or null when it is. */
    private String bindingProblem(Receipt r, String fp) {
        if (!productCode.equals(r.facts().productCode())) {
            return "is for another product (" + r.facts().productCode() + ")";
        }
        if (!Objects.equals(fp, r.facts().fingerprint())) {
            return "is for another machine (fingerprint " + r.facts().fingerprint() + ")";
        }
        String id = r.facts().licenseId();
        if (id != null && !id.equalsIgnoreCase(key.licenseId().toString())) {
            return "is for another license (" + id + ")";
        }
        if (id == null && ("VALID".equals(r.facts().code()) || "EXPIRED".equals(r.facts().code()))) {
            return "grants use but names no license";
        }
        return null;
    }

    private static LicenseCode codeOf(Receipt r) {
        String c = r.facts().code();
        if (!VALIDATOR_CODES.contains(c)) {
            return LicenseCode.UNRECOGNIZED;
        }
        if (c.equals("EXPIRED")) {
            return r.facts().leaseUntil().isAfter(r.issuedAt()) ? LicenseCode.EXPIRED_IN_GRACE : LicenseCode.EXPIRED;
        }
        return LicenseCode.valueOf(c);
    }

    private static LicenseAnswer fromReceipt(Receipt r, LicenseCode code, LicenseAnswer.Source source, String detail,
            String limit) {
        if (code == LicenseCode.UNRECOGNIZED) {
            detail = "The validator answered code " + r.facts().code() + ", unknown to this client version: " + detail;
        }
        return new LicenseAnswer(code, detail, source, r.facts().licenseId(), r.entitlements(), r.issuedAt(),
                code.usable() ? r.facts().leaseUntil() : null, null, limit);
    }

    private static LicenseAnswer invalidReceipt(LicenseAnswer.Source source, String detail) {
        return new LicenseAnswer(LicenseCode.INVALID_RECEIPT, detail, source, null, null, null, null, null, null);
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
        lastKeyRefresh = System.nanoTime();
        try {
            Transport.Answer http = transport.send("GET", KEY_SET_PATH, null, null);
            if (http.status() != 200) {
                LOG.log(System.Logger.Level.DEBUG, "No signed key set: HTTP " + http.status());
                return trust.kids(clock.instant());
            }
            String jws = http.body().strip();
            if (trust.acceptKeySet(jws, clock.instant())) {
                synchronized (lock) {
                    store.writeKeySet(jws);
                }
            }
        } catch (Untrusted u) {
            LOG.log(System.Logger.Level.WARNING, "The validator's signed key set was rejected (it must be a JWS signed by a"
                    + " pinned key); ignored: "
                    + u.getMessage());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot fetch or store the validator's key set: " + e);
        }
        return trust.kids(clock.instant());
    }

    /** The kids trusted for receipts now (pinned, plus those of an accepted signed key set). */
    public Set<String> trustedKids() {
        return trust.kids(clock.instant());
    }

    private void loadKeySet() {
        try {
            String jws = store.readKeySet();
            if (jws != null) {
                trust.acceptKeySet(jws.strip(), clock.instant());
            }
        } catch (Untrusted u) {
            LOG.log(System.Logger.Level.WARNING, "The cached key set was rejected and is ignored: " + u.getMessage());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "The cached key set cannot be read: " + e);
        }
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
        ActivationAnswer a = sendActivation();
        if (a.ok() && heartbeatInterval != null) {
            startHeartbeats();
        }
        return a;
    }

    private ActivationAnswer sendActivation() {
        ensureOpen();
        requireValidator("activate");
        String fp = requireFingerprint();
        if (key == null) {
            return refusedLocally(fp);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", key.text());
        body.put("fingerprint", fp);
        body.put("productCode", productCode);
        return exchange("POST", ACTIVATIONS_PATH, Json.write(body), null, fp,
                status -> status == 201 ? ActivationAnswer.Outcome.ACTIVATED : ActivationAnswer.Outcome.ALREADY_ACTIVE);
    }

    /** One heartbeat for this machine ({@code POST /v1/activations/{fingerprint}/heartbeat}). */
    public ActivationAnswer heartbeat() {
        ensureOpen();
        requireValidator("heartbeat");
        String fp = requireFingerprint();
        if (key == null) {
            return refusedLocally(fp);
        }
        return exchange("POST", ACTIVATIONS_PATH + "/" + pathSegment(fp) + "/heartbeat", null, "License " + key.text(),
                fp, status -> ActivationAnswer.Outcome.SEEN);
    }

    /** Frees this machine's seat ({@code DELETE /v1/activations/{fingerprint}}) and stops the heartbeats. */
    public ActivationAnswer deactivate() {
        ensureOpen();
        requireValidator("deactivate");
        String fp = requireFingerprint();
        if (key == null) {
            return refusedLocally(fp);
        }
        ActivationAnswer a = exchange("DELETE", ACTIVATIONS_PATH + "/" + pathSegment(fp), null,
                "License " + key.text(), fp, status -> ActivationAnswer.Outcome.DEACTIVATED);
        if (a.ok()) {
            stopHeartbeats();
        }
        return a;
    }

    /** Whether the background heartbeat thread is running. */
    public boolean heartbeatsRunning() {
        synchronized (heartbeatLock) {
            return heartbeats != null;
        }
    }

    private ActivationAnswer refusedLocally(String fp) {
        return new ActivationAnswer(ActivationAnswer.Outcome.REFUSED, LicenseCode.MALFORMED_KEY, keyProblem, fp, null,
                null, null, null);
    }

    private ActivationAnswer exchange(String method, String path, String json, String authorization, String fp,
            java.util.function.IntFunction<ActivationAnswer.Outcome> success) {
        Transport.Answer http;
        try {
            http = transport.send(method, path, json, authorization);
        } catch (IOException e) {
            return new ActivationAnswer(ActivationAnswer.Outcome.UNAVAILABLE, null,
                    "The validator could not be reached (" + e.getMessage() + ")", fp, null, null, null, null);
        }
        int s = http.status();
        Map<String, Object> body = parseQuietly(http.body());
        if (s >= 200 && s < 300) {
            return new ActivationAnswer(success.apply(s), null, "HTTP " + s, fp, integer(body.get("activeMachines")),
                    integer(body.get("maxActivations")), instant(body.get("heartbeatDueBy")), null);
        }
        String detail = detailOf(body, s);
        Duration retryAfter = http.retryAfter().map(LicenseClient::seconds).orElse(null);
        if (s == 429 || (s == 503 && retryAfter != null)) {
            return new ActivationAnswer(ActivationAnswer.Outcome.RETRY_LATER, null, detail, fp, null, null, null,
                    retryAfter);
        }
        if (s >= 500) {
            return new ActivationAnswer(ActivationAnswer.Outcome.UNAVAILABLE, null, detail, fp, null, null, null, null);
        }
        Object code = body.get("code");
        if (s == 400 && !"MALFORMED_KEY".equals(code)) {
            throw new LicenseClientException("The validator rejected the request as invalid: " + detail);
        }
        if (code instanceof String c) {
            LicenseCode lc = PROBLEM_CODES.contains(c) ? LicenseCode.valueOf(c) : LicenseCode.UNRECOGNIZED;
            return new ActivationAnswer(ActivationAnswer.Outcome.REFUSED, lc, detail, fp, null,
                    integer(body.get("maxActivations")), null, null);
        }
        return new ActivationAnswer(ActivationAnswer.Outcome.UNAVAILABLE, null, "The validator answered HTTP " + s
                + ": " + detail, fp, null, null, null, null);
    }

    private void startHeartbeats() {
        synchronized (heartbeatLock) {
            if (heartbeats != null || closed) {
                return;
            }
            heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "license-heartbeat-" + productCode);
                t.setDaemon(true);
                return t;
            });
            scheduleHeartbeat(heartbeats);
        }
    }

    private void scheduleHeartbeat(ScheduledExecutorService executor) {
        long base = heartbeatInterval.toMillis();
        long delay = Math.max(1, (long) (base * ThreadLocalRandom.current().nextDouble(0.9, 1.1))); // +-10 % jitter
        try {
            executor.schedule(() -> beat(executor), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopped meanwhile
        }
    }

    private void beat(ScheduledExecutorService executor) {
        try {
            if (closed) {
                return;
            }
            ActivationAnswer a = heartbeat();
            if (a.outcome() == ActivationAnswer.Outcome.REFUSED && a.code() == LicenseCode.FINGERPRINT_MISMATCH) {
                // The seat lapsed (floating seats) or was freed elsewhere: claim it again.
                a = sendActivation();
            }
            if (!a.ok() && !closed) {
                LOG.log(System.Logger.Level.WARNING, "License heartbeat: " + a.outcome()
                        + (a.code() == null ? "" : " " + a.code()) + ": " + a.detail());
            }
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.log(System.Logger.Level.WARNING, "License heartbeat failed: " + e);
            }
        } finally {
            if (!closed && !executor.isShutdown()) {
                scheduleHeartbeat(executor);
            }
        }
    }

    private void stopHeartbeats() {
        synchronized (heartbeatLock) {
            if (heartbeats != null) {
                heartbeats.shutdownNow();
                heartbeats = null;
            }
        }
    }

    // --- fingerprint, usage, misc ---

    /**
     * This machine's fingerprint as sent to the validator (computed once by the configured strategy), or null
     * without one.
     *
     * @throws LicenseClientException when the strategy cannot determine it
     */
    public String fingerprint() {
        synchronized (fingerprintLock) {
            if (fingerprintKnown) {
                return fingerprint;
            }
            String fp;
            try {
                fp = fingerprintStrategy.fingerprint(productCode);
            } catch (IOException | RuntimeException e) {
                throw new LicenseClientException("Cannot determine this machine's fingerprint: " + e.getMessage(), e);
            }
            if (fp != null && (fp.isEmpty() || fp.length() > MAX_FINGERPRINT || !printable(fp))) {
                throw new LicenseClientException("A fingerprint must be 1-" + MAX_FINGERPRINT
                        + " printable ASCII characters");
            }
            fingerprint = fp;
            fingerprintKnown = true;
            return fp;
        }
    }

    private String requireFingerprint() {
        String fp = fingerprint();
        if (fp == null) {
            throw new LicenseClientException("Machine activation needs a fingerprint strategy other than none()");
        }
        return fp;
    }

    private void requireValidator(String what) {
        if (transport == null) {
            throw new LicenseClientException(what + " needs a validator URL (this client reads a license file)");
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new LicenseClientException("The license client is closed");
        }
    }

    static Map<String, BigDecimal> checkUsage(Map<String, BigDecimal> usage) {
        if (usage == null || usage.isEmpty()) {
            return Map.of();
        }
        if (usage.size() > MAX_USAGE_ENTRIES) {
            throw new LicenseClientException("Usage has more than " + MAX_USAGE_ENTRIES + " entries");
        }
        Map<String, BigDecimal> out = new TreeMap<>();
        for (Map.Entry<String, BigDecimal> e : usage.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty() || name.length() > MAX_NAME || !printable(name)) {
                throw new LicenseClientException("Usage names must be 1-" + MAX_NAME + " printable ASCII characters");
            }
            BigDecimal v = e.getValue();
            if (v == null || v.signum() < 0) {
                throw new LicenseClientException("Usage " + name + " must be a non-negative number");
            }
            out.put(name, v);
        }
        return Collections.unmodifiableMap(out);
    }

    private String newNonce() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters. */
    static String pathSegment(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return sb.toString();
    }

    private static Map<String, Object> parseQuietly(String body) {
        try {
            return Json.parseObject(body);
        } catch (Json.JsonException e) {
            return Map.of();
        }
    }

    private static String detailOf(Map<String, Object> problem, int status) {
        return problem.get("detail") instanceof String d ? d : "HTTP " + status;
    }

    private static Integer integer(Object v) {
        try {
            return v instanceof BigDecimal d ? d.intValueExact() : null;
        } catch (ArithmeticException e) {
            return null;
        }
    }

    private static Instant instant(Object v) {
        try {
            return v instanceof String s ? Instant.parse(s) : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Duration seconds(String header) {
        try {
            long s = Long.parseLong(header.strip());
            return s >= 0 ? Duration.ofSeconds(s) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Stops the heartbeats and writes the trusted time; does not deactivate the machine. Idempotent. */
    @Override
    public void close() {
        closed = true;
        stopHeartbeats();
        synchronized (lock) {
            if (trustedTimeLoaded && trustedTime != null && !trustedTime.equals(trustedTimeWritten)) {
                writeTrustedTime();
            }
        }
    }

    @Override
    public String toString() {
        return "LicenseClient[product=" + productCode + ", mode=" + (transport == null ? "license-file" : "online")
                + ", cache=" + (store.directory() == null ? "memory" : store.directory()) + "]";
    }

    /** Configures a {@link LicenseClient}. Required: product code, license key, pinned keys, and either a validator
     * URL (with a fingerprint strategy) or a license file. */
    public static final class Builder {
        private URI validatorUrl;
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

        /** How this machine is identified (required with a validator URL). */
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

        /** Heartbeats after a successful {@link LicenseClient#activate()}, every interval +-10 %; default none. */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = interval;
            return this;
        }

        /** Air-gapped: answer from this license file (JWS, or JWE for the license key), read at every answer. */
        public Builder licenseFile(Path file) {
            this.licenseFile = file;
            return this;
        }

        /** Air-gapped: answer from this license file content. */
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
            if (productCode == null || productCode.isEmpty() || productCode.length() > MAX_NAME
                    || !printable(productCode)) {
                throw new LicenseClientException("productCode must be 1-" + MAX_NAME + " printable ASCII characters");
            }
            if (licenseKey == null) {
                throw new LicenseClientException("licenseKey is required");
            }
            if (pinnedKeys == null) {
                throw new LicenseClientException("pinnedKeys (the vendor's public JWK Set) is required");
            }
            boolean file = licenseFile != null || licenseFileText != null;
            if ((validatorUrl == null) == !file || (licenseFile != null && licenseFileText != null)) {
                throw new LicenseClientException("Give exactly one of validatorUrl, licenseFile or licenseFileText");
            }
            if (validatorUrl != null) {
                checkUrl(validatorUrl);
                if (fingerprint == null) {
                    throw new LicenseClientException("fingerprint is required with a validator URL (host(),"
                            + " kubernetesCluster(), supplied(...) or none())");
                }
            }
            requirePositive(connectTimeout, "connectTimeout");
            requirePositive(requestTimeout, "requestTimeout");
            Objects.requireNonNull(clock, "clock");
            if (clockTolerance == null || clockTolerance.isNegative()) {
                throw new LicenseClientException("clockTolerance must not be negative");
            }
            if (heartbeatInterval != null) {
                requirePositive(heartbeatInterval, "heartbeatInterval");
            }
            return new LicenseClient(this);
        }

        private static void requirePositive(Duration d, String name) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new LicenseClientException(name + " must be positive");
            }
        }

        private static void checkUrl(URI url) {
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
            String host = url.getHost();
            if (host == null || url.getRawQuery() != null || url.getRawFragment() != null) {
                throw new LicenseClientException("validatorUrl must be an absolute http(s) URL without query: " + url);
            }
            boolean loopback = host.equalsIgnoreCase("localhost") || host.startsWith("127.") || host.equals("[::1]");
            if (!scheme.equals("https") && !(scheme.equals("http") && loopback)) {
                throw new LicenseClientException("validatorUrl must use https (the license key travels in the"
                        + " request); plain http only for a loopback host: " + url);
            }
        }
    }
}
