package org.licensing.relay.engine;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.licensing.core.checkout.CheckoutDocument;
import org.licensing.core.checkout.CheckoutFiles;
import org.licensing.core.checkout.CheckoutRequest;
import org.licensing.core.checkout.VerifiedCheckout;
import org.licensing.core.document.LicenseFileException;
import org.licensing.core.document.LicenseValidity;
import org.licensing.core.relay.LeaseClaims;
import org.licensing.relay.engine.RelayStatus.Code;
import org.licensing.relay.ledger.LedgerTamperedException;
import org.licensing.relay.ledger.LogRecord;
import org.licensing.relay.ledger.UsageLog;
import org.licensing.relay.pool.Lease;
import org.licensing.relay.pool.LeasePool;
import org.licensing.relay.pool.PoolLimits;
import org.licensing.relay.site.AtomicFiles;
import org.licensing.relay.site.RelayKey;
import org.licensing.relay.usage.ReportChain;

/**
 * One site's relay: opens its data directory (first start: makes its key, its usage log and the checkout request),
 * serves only on a checkout it verifies (vendor's pinned keys, this site's fingerprint, the license key, its own
 * certified relay key), leases quantities from the checkout's pool and records every grant, heartbeat and release
 * in the usage log, on disk before the answer leaves.
 *
 * <p>Thread-safe: one lock orders pool decisions and log appends (so the log replays to the same pool); the fsync
 * and the signing happen outside it, and one fsync covers every answer waiting for it.
 */
public final class Relay implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Relay.class);
    public static final String REQUEST_FILE = "checkout-request.json";
    private static final String LOCK_FILE = "relay.lock";
    /** A lease shorter than this is not worth granting (the checkout ends first): the relay says so instead. */
    private static final long MIN_LEASE_SECONDS = 5;

    private final RelaySettings settings;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();

    private volatile RelayStatus status = RelayStatus.down(Code.STORAGE_FAILED, "Not started");
    private String fingerprint;
    private RelayKey key;
    private UsageLog log;
    private ReportChain reports;
    private FileChannel lockChannel;
    private FileLock dirLock;
    private LeasePool pool = new LeasePool(new PoolLimits(Map.of(), 0));
    /** The checkout being served; null before one verified. Guarded by {@code lock} for writes. */
    private volatile Served served;
    private String lastCheckoutText; // the checkout file's content last tried, so an unchanged file is not re-tried
    private String recordedCheckoutId; // the last CHECKOUT record's id
    private long lastRecordSeq = -1;
    private volatile int compactedReports = -1; // reports covered by the last compaction (-1: none tried yet)

    /**
     * The checkout in force: verified, its signed JWS, and the file as the vendor issued it (the JWE a node opens
     * with its license key to check the chain).
     */
    public record Served(VerifiedCheckout checkout, String jws, String file) {
        public CheckoutDocument document() {
            return checkout.document();
        }
    }

    /** A signed lease answer, with the checkout that certifies the relay key (signed JWS and issued JWE). */
    public record LeaseAnswer(Lease lease, String token, String checkoutJws, String checkoutFile) {
    }

    public Relay(RelaySettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    public RelayStatus status() {
        return status;
    }

    public String fingerprint() {
        return fingerprint;
    }

    public RelayKey key() {
        return key;
    }

    public Served served() {
        return served;
    }

    public RelaySettings settings() {
        return settings;
    }

    /**
     * Opens the data directory and, when a checkout is there, starts serving. Never throws for a site problem: the
     * status says what is wrong (and {@link #tick} retries what can heal: a checkout installed later, the clock).
     */
    public RelayStatus start() {
        lock.lock();
        try {
            status = open();
            if (log != null) {
                status = loadCheckout(true);
            }
            LOG.infof("license-relay: %s (%s)", status.code(), status.message());
            return status;
        } finally {
            lock.unlock();
        }
    }

    private RelayStatus open() {
        Path dir = settings.dataDir();
        try {
            fingerprint = settings.fingerprint().fingerprint(settings.product());
            if (fingerprint == null) {
                return RelayStatus.down(Code.FINGERPRINT_UNAVAILABLE, "The fingerprint strategy gave no fingerprint;"
                        + " a relay must be bound to its site");
            }
        } catch (IOException | RuntimeException e) {
            return RelayStatus.down(Code.FINGERPRINT_UNAVAILABLE, "Cannot determine this site's fingerprint: "
                    + e.getMessage());
        }
        try {
            Files.createDirectories(dir);
            lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                dirLock = lockChannel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException sameProcess) {
                dirLock = null;
            }
            if (dirLock == null) {
                return RelayStatus.down(Code.STORAGE_FAILED, "Another relay process uses the data directory " + dir);
            }
            boolean hasKey = RelayKey.exists(dir);
            boolean hasLog = Files.exists(dir.resolve(UsageLog.FILE));
            boolean hasReports = ReportChain.any(dir);
            if (!hasKey && (hasLog || hasReports)) {
                return RelayStatus.down(Code.DATA_TAMPERED, "The relay key " + dir.resolve(RelayKey.FILE)
                        + " is missing while its usage log or reports are there: restore the data directory");
            }
            if (!hasLog && (hasReports || Files.exists(settings.checkoutFile()) && hasKey)) {
                return RelayStatus.down(Code.DATA_TAMPERED, "The usage log " + dir.resolve(UsageLog.FILE)
                        + " is missing while this relay already has a checkout or reports: restore the data directory");
            }
            key = hasKey ? RelayKey.load(dir) : RelayKey.generate(dir);
            reports = new ReportChain(dir, key);
            if (!hasLog) {
                // First start (or a first start cut short after the key was written): the genesis names the site.
                Map<String, Object> genesis = new LinkedHashMap<>();
                genesis.put("license_id", settings.licenseKey().licenseId().toString());
                genesis.put("product", settings.product());
                genesis.put("fingerprint", fingerprint);
                log = UsageLog.create(dir, key, genesis, clock.millis());
                LOG.infof("license-relay: new data directory %s, relay key %s", dir, key.kid());
            } else {
                List<ReportChain.Stored> chain = reports.load();
                Map<Long, String> anchors = new HashMap<>();
                chain.forEach(s -> anchors.put(s.report().logSeq(), s.report().logHash()));
                Map<Long, String> seen = new HashMap<>();
                LogRecord[] genesis = new LogRecord[1];
                log = UsageLog.open(dir, key, r -> {
                    if (r.seq() == 0) {
                        genesis[0] = r;
                    }
                    if (r.type() == LogRecord.Type.CHECKPOINT) {
                        // Records a compaction folded: the checkpoint kept what the reports pinned of them.
                        ((Map<?, ?>) r.members().get("pins")).forEach((s, h) -> seen.put(Long.parseLong(
                                String.valueOf(s)), String.valueOf(h)));
                    }
                    if (anchors.containsKey(r.seq())) {
                        seen.put(r.seq(), r.hash());
                    }
                    replay(r);
                });
                for (Map.Entry<Long, String> a : anchors.entrySet()) {
                    if (!a.getValue().equals(seen.get(a.getKey()))) {
                        closeLog();
                        return RelayStatus.down(Code.DATA_TAMPERED, "Usage log record " + a.getKey()
                                + " is not the one a usage report pinned: the log was cut short or rewritten");
                    }
                }
                RelayStatus site = checkGenesis(genesis[0]);
                if (site != null) {
                    closeLog();
                    return site;
                }
            }
            writeRequestIfMissing();
        } catch (LedgerTamperedException e) {
            closeLog();
            return RelayStatus.down(Code.DATA_TAMPERED, e.getMessage());
        } catch (IOException | RuntimeException e) {
            closeLog();
            LOG.error("license-relay: cannot open the data directory", e);
            return RelayStatus.down(Code.STORAGE_FAILED, "Cannot use the data directory " + dir + ": " + e.getMessage());
        }
        return RelayStatus.down(Code.NO_CHECKOUT, noCheckoutMessage());
    }

    private RelayStatus checkGenesis(LogRecord g) {
        String relayX = Base64.getUrlEncoder().withoutPadding().encodeToString(key.x());
        if (!relayX.equals(g.text("relay_x")) || !key.kid().equals(g.text("relay_kid"))) {
            return RelayStatus.down(Code.DATA_TAMPERED, "The usage log was started by another relay key ("
                    + g.text("relay_kid") + ") than the one on the data directory (" + key.kid() + ")");
        }
        if (!fingerprint.equals(g.text("fingerprint"))) {
            return RelayStatus.down(Code.WRONG_SITE, "This data directory belongs to the site " + g.text("fingerprint")
                    + ", but this relay runs on " + fingerprint + ": run it on its own site, or start with an empty"
                    + " data directory and a new checkout request");
        }
        if (!settings.licenseKey().licenseId().toString().equals(g.text("license_id"))
                || !settings.product().equals(g.text("product"))) {
            return RelayStatus.down(Code.WRONG_SITE, "This data directory was made for license " + g.text("license_id")
                    + " and product " + g.text("product") + ", not for the configured license and product");
        }
        return null;
    }

    private void replay(LogRecord r) {
        lastRecordSeq = r.seq();
        switch (r.type()) {
            case CHECKOUT -> {
                recordedCheckoutId = r.text("chk");
                pool.setLimits(new PoolLimits(r.decimals("limits"), r.number("max_nodes")));
            }
            case GRANT -> {
                Instant until = Instant.ofEpochSecond(r.number("until"));
                pool.put(new Lease(r.lease(), r.text("node"), r.decimals("q"), r.time(), until));
            }
            case EXTEND -> pool.extend(r.lease(), Instant.ofEpochSecond(r.number("until")));
            case RELEASE, EXPIRE -> pool.remove(r.lease());
            case GENESIS, CHECKPOINT -> {
            }
        }
    }

    private void writeRequestIfMissing() throws IOException {
        Path file = settings.dataDir().resolve(REQUEST_FILE);
        if (!Files.exists(file)) {
            AtomicFiles.write(file, (checkoutRequest().toJson() + "\n").getBytes(StandardCharsets.UTF_8), false);
            LOG.infof("license-relay: wrote the checkout request %s: carry it to the vendor", file);
        }
    }

    /** The checkout request for this relay: license, product, site fingerprint and the relay's public key. */
    public CheckoutRequest checkoutRequest() {
        if (key == null) {
            throw new RelayUnavailableException(status);
        }
        return new CheckoutRequest(settings.licenseKey().licenseId(), settings.product(), fingerprint,
                clock.instant(), settings.label(), key.publicJwk());
    }

    private String noCheckoutMessage() {
        return "No checkout installed: carry " + settings.dataDir().resolve(REQUEST_FILE) + " to the vendor and"
                + " install the relay checkout they answer at " + settings.checkoutFile()
                + " (or PUT /v1/admin/checkout)";
    }

    /** Reads the checkout file when it changed (or {@code force}) and serves on it when it verifies. */
    private RelayStatus loadCheckout(boolean force) {
        Path file = settings.checkoutFile();
        String text;
        try {
            if (!Files.exists(file)) {
                return served != null ? recheck() : RelayStatus.down(Code.NO_CHECKOUT, noCheckoutMessage());
            }
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return RelayStatus.down(Code.STORAGE_FAILED, "Cannot read the checkout " + file + ": " + e.getMessage());
        }
        if (!force && text.equals(lastCheckoutText)) {
            return recheck();
        }
        lastCheckoutText = text;
        try {
            return install(text, false);
        } catch (CheckoutRejectedException e) {
            if (e.status.code() == Code.CLOCK_BEHIND) {
                lastCheckoutText = null; // retried once the clock is set right
            }
            return served != null ? recheck() : e.status;
        }
    }

    /** A checkout this relay cannot serve on, with the status that says why. */
    public static final class CheckoutRejectedException extends RuntimeException {
        private final RelayStatus status;

        CheckoutRejectedException(RelayStatus status) {
            super(status.message(), null, false, false);
            this.status = status;
        }

        public RelayStatus status() {
            return status;
        }
    }

    /**
     * Verifies {@code jwe} and serves on it; {@code store}: also writes it to the checkout file (atomically). A
     * checkout older (lower {@code seq}) than the one served is refused.
     *
     * @throws CheckoutRejectedException when it does not verify for this relay
     */
    public RelayStatus installCheckout(String jwe) {
        lock.lock();
        try {
            if (log == null) {
                throw new RelayUnavailableException(status);
            }
            return install(jwe.strip(), true);
        } finally {
            lock.unlock();
        }
    }

    private RelayStatus install(String jwe, boolean store) {
        Instant now = clock.instant();
        VerifiedCheckout v = verify(jwe, now);
        CheckoutDocument doc = v.document();
        Served current = served;
        if (current != null && doc.sequence() < current.document().sequence()) {
            throw new CheckoutRejectedException(RelayStatus.down(Code.CHECKOUT_INVALID, "This checkout (seq "
                    + doc.sequence() + ") is older than the one served (seq " + current.document().sequence() + ")"));
        }
        String jws = CheckoutFiles.decrypt(jwe, settings.licenseKey(), fingerprint);
        try {
            if (store) {
                AtomicFiles.write(settings.checkoutFile(), (jwe + "\n").getBytes(StandardCharsets.US_ASCII), false);
                lastCheckoutText = jwe;
            }
            PoolLimits limits = PoolLimits.ofLicense(doc.license().limits(), doc.license().maxActivations());
            if (!doc.checkoutId().toString().equals(recordedCheckoutId)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("chk", doc.checkoutId().toString());
                m.put("chk_seq", doc.sequence());
                m.put("until", doc.until().getEpochSecond());
                m.put("limits", UsageLog.decimals(limits.limits()));
                m.put("max_nodes", limits.maxNodes());
                LogRecord r = log.append(LogRecord.Type.CHECKOUT, m, now.toEpochMilli());
                log.syncUpTo(r.seq());
                recordedCheckoutId = doc.checkoutId().toString();
            }
            pool.setLimits(limits);
        } catch (IOException e) {
            return fail(e);
        }
        served = new Served(v, jws, jwe);
        status = statusOf(v, now);
        LOG.infof("license-relay: serving checkout %s (seq %d) until %s", doc.checkoutId(), doc.sequence(), doc.until());
        return status;
    }

    private VerifiedCheckout verify(String jwe, Instant now) {
        VerifiedCheckout v;
        try {
            v = CheckoutFiles.open(jwe, settings.licenseKey(), fingerprint, settings.vendorKeys(),
                    settings.vendorIssuer(), now, settings.clockSkew());
        } catch (LicenseFileException e) {
            throw rejected(e.reason() + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw rejected(e.getMessage());
        }
        CheckoutDocument doc = v.document();
        if (!doc.bound()) {
            throw rejected("The checkout names no site: a relay runs only on a checkout bound to its fingerprint");
        }
        if (doc.relayKey() == null) {
            throw rejected("This is not a relay checkout (it certifies no relay_key): ask the vendor for a relay"
                    + " checkout made from " + REQUEST_FILE);
        }
        if (!key.is(doc.relayKey())) {
            throw rejected("The checkout certifies relay key " + doc.relayKey().getKeyID() + ", but this relay's key"
                    + " is " + key.kid() + ": it was made from another relay's checkout request");
        }
        if (!settings.product().equals(doc.license().productCode())) {
            throw rejected("The checkout is for product " + doc.license().productCode() + ", this relay serves "
                    + settings.product());
        }
        if (now.plus(settings.clockSkew()).isBefore(doc.issuedAt())) {
            throw new CheckoutRejectedException(RelayStatus.down(Code.CLOCK_BEHIND, "The site's clock (" + now
                    + ") is before the checkout was signed (" + doc.issuedAt() + "): set the clock right"));
        }
        return v;
    }

    private static CheckoutRejectedException rejected(String message) {
        return new CheckoutRejectedException(RelayStatus.down(Code.CHECKOUT_INVALID, "Checkout refused: " + message));
    }

    private RelayStatus statusOf(VerifiedCheckout v, Instant now) {
        CheckoutDocument doc = v.document();
        if (log != null && now.toEpochMilli() + settings.clockSkew().toMillis() < log.lastAt()) {
            return RelayStatus.down(Code.CLOCK_BEHIND, "The site's clock (" + now + ") is behind the usage log's last"
                    + " record (" + Instant.ofEpochMilli(log.lastAt()) + "): set the clock right");
        }
        LicenseValidity validity = now.isBefore(doc.until()) ? v.validity() : LicenseValidity.EXPIRED;
        return switch (validity) {
            case VALID -> RelayStatus.serving("Serving checkout " + doc.checkoutId() + " (seq " + doc.sequence()
                    + ") until " + doc.until());
            case EXPIRED_IN_GRACE -> RelayStatus.serving("Serving checkout " + doc.checkoutId() + " in the license's"
                    + " grace period (license expired " + doc.license().expiresAt() + ") until " + doc.until());
            case NOT_YET_VALID -> RelayStatus.down(Code.CHECKOUT_NOT_YET_VALID, "The license starts at "
                    + doc.license().notBefore());
            default -> RelayStatus.down(Code.CHECKOUT_EXPIRED, "The checkout ended at " + doc.until()
                    + ": install a renewed checkout (send the latest usage report with the request)");
        };
    }

    private RelayStatus recheck() {
        Served s = served;
        return s == null ? status : statusOf(s.checkout(), clock.instant());
    }

    /**
     * Periodic work: ends leases that ran out (an EXPIRE record each), picks up a checkout file that changed and
     * re-evaluates time (a checkout that ended, a clock set right).
     */
    public void tick() {
        lock.lock();
        try {
            if (log == null) {
                return;
            }
            reapLocked(clock.instant());
            long head = log.headSeq();
            log.syncUpTo(head);
            RelayStatus next = loadCheckout(false);
            if (!next.equals(status)) {
                LOG.infof("license-relay: %s (%s)", next.code(), next.message());
            }
            status = next;
        } catch (IOException e) {
            fail(e);
        } finally {
            lock.unlock();
        }
    }

    private void reapLocked(Instant now) throws IOException {
        for (Lease l : pool.expiredAt(now)) {
            log.append(LogRecord.Type.EXPIRE, Map.of("lease", l.id().toString()), now.toEpochMilli());
            pool.remove(l.id());
        }
    }

    private RelayStatus fail(IOException e) {
        LOG.error("license-relay: the usage log cannot be written; refusing to serve", e);
        status = RelayStatus.down(Code.STORAGE_FAILED, "The usage log cannot be written: " + e.getMessage());
        closeLog();
        return status;
    }

    /** The serving checkout at {@code now}, or the 503 that says why not. Call under the lock. */
    private Served requireServing(Instant now) {
        Served s = served;
        if (log == null || s == null) {
            throw new RelayUnavailableException(status);
        }
        RelayStatus st = statusOf(s.checkout(), now);
        if (!st.serving()) {
            status = st;
            throw new RelayUnavailableException(st);
        }
        return s;
    }

    /**
     * Grants {@code node} a lease of {@code quantities} (replacing the node's current lease), on disk before it
     * returns.
     *
     * @throws IllegalArgumentException for a malformed request (unknown quantity, not positive, too precise)
     * @throws org.licensing.relay.pool.PoolRefusal when the pool or the node count would pass its limit
     * @throws RelayUnavailableException when the relay does not serve
     */
    public LeaseAnswer lease(String node, String nonce, Map<String, BigDecimal> quantities) {
        Map<String, BigDecimal> q = LeasePool.requested(quantities);
        return answer(underLock(true, (now, s) -> {
            pool.check(node, q);
            Instant until = leaseEnd(now, s);
            Lease lease = new Lease(UUID.randomUUID(), node, q, now, until);
            Lease replaced = pool.leaseOf(node);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lease", lease.id().toString());
            m.put("node", node);
            m.put("q", UsageLog.decimals(q));
            m.put("until", until.getEpochSecond());
            if (replaced != null) {
                m.put("replaces", replaced.id().toString());
            }
            LogRecord r = log.append(LogRecord.Type.GRANT, m, now.toEpochMilli());
            pool.put(lease);
            return new Decided(r, lease, now, s);
        }), nonce);
    }

    /**
     * Extends {@code node}'s lease {@code id} by the lease time (never past the checkout's end, never shorter than
     * it was).
     *
     * @throws LeaseNotFoundException when there is no live lease {@code id} for {@code node}
     */
    public LeaseAnswer heartbeat(UUID id, String node, String nonce) {
        return answer(underLock(true, (now, s) -> {
            Lease current = liveLeaseOf(id, node);
            Instant until = leaseEnd(now, s);
            if (until.isBefore(current.until())) {
                until = current.until();
            }
            LogRecord r = log.append(LogRecord.Type.EXTEND, Map.of("lease", id.toString(), "until",
                    until.getEpochSecond()), now.toEpochMilli());
            pool.extend(id, until);
            return new Decided(r, pool.get(id), now, s);
        }), nonce);
    }

    /**
     * Releases {@code node}'s lease {@code id} (allowed whenever the log can be written, even when the relay does
     * not serve: giving back is always fine).
     *
     * @throws LeaseNotFoundException when there is no live lease {@code id} for {@code node}
     */
    public void release(UUID id, String node) {
        sync(underLock(false, (now, s) -> {
            liveLeaseOf(id, node);
            LogRecord r = log.append(LogRecord.Type.RELEASE, Map.of("lease", id.toString()), now.toEpochMilli());
            pool.remove(id);
            return new Decided(r, null, now, s);
        }).record());
    }

    /** A decision taken under the lock: its log record (still to be synced), the lease, when, on which checkout. */
    private record Decided(LogRecord record, Lease lease, Instant now, Served served) {
    }

    /** A pool decision and its log append, under the lock; {@code served} is null when serving was not required. */
    @FunctionalInterface
    private interface LockedStep {
        Decided apply(Instant now, Served served) throws IOException;
    }

    /**
     * The one locked preamble of every lease change: take the lock, read the clock once, require serving (or only an
     * open log, for a release), reap ended leases, then run {@code step}; a log that cannot be written stops the
     * relay (STORAGE_FAILED) and the caller gets a 503.
     */
    private Decided underLock(boolean serving, LockedStep step) {
        lock.lock();
        try {
            Instant now = clock.instant();
            Served s = null;
            if (serving) {
                s = requireServing(now);
            } else if (log == null) {
                throw new RelayUnavailableException(status);
            }
            reapLocked(now);
            return step.apply(now, s);
        } catch (IOException e) {
            fail(e);
            throw new RelayUnavailableException(status);
        } finally {
            lock.unlock();
        }
    }

    /** The live lease {@code id} of {@code node}; another node's, an ended or an unknown one is not found. */
    private Lease liveLeaseOf(UUID id, String node) {
        Lease current = pool.get(id);
        if (current == null || !current.node().equals(node)) {
            throw new LeaseNotFoundException(id);
        }
        return current;
    }

    private Instant leaseEnd(Instant now, Served s) {
        Instant until = now.plus(settings.leaseTtl()).truncatedTo(ChronoUnit.SECONDS);
        Instant end = s.document().until();
        if (until.isAfter(end)) {
            until = end;
        }
        if (until.getEpochSecond() - now.getEpochSecond() < MIN_LEASE_SECONDS) {
            throw new RelayUnavailableException(RelayStatus.down(Code.CHECKOUT_EXPIRED, "The checkout ends at " + end
                    + ": no lease can be granted past it; install a renewed checkout"));
        }
        return until;
    }

    private void sync(LogRecord r) {
        try {
            log.syncUpTo(r.seq());
        } catch (IOException | RuntimeException e) {
            lock.lock();
            try {
                fail(e instanceof IOException io ? io : new IOException(e));
            } finally {
                lock.unlock();
            }
            throw new RelayUnavailableException(status);
        }
    }

    private LeaseAnswer answer(Decided d, String nonce) {
        sync(d.record()); // on disk before anyone hears of it
        Lease lease = d.lease();
        CheckoutDocument doc = d.served().document();
        LeaseClaims claims = new LeaseClaims(lease.id(), d.now(), lease.until(), nonce, lease.node(),
                lease.quantities(), doc.license().licenseId(), doc.license().productCode(), doc.checkoutId(),
                doc.fingerprint());
        return new LeaseAnswer(lease, key.sign(claims.toClaims(), LeaseClaims.TYP), d.served().jws(),
                d.served().file());
    }

    /** The live leases (a copy), in grant order. */
    public List<Lease> leases() {
        lock.lock();
        try {
            Instant now = clock.instant();
            List<Lease> out = new ArrayList<>();
            for (Lease l : pool.leases()) {
                if (l.liveAt(now)) {
                    out.add(l);
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** The pool's limits and what live leases hold of them. */
    public record PoolView(PoolLimits limits, Map<String, BigDecimal> used, int nodes) {
    }

    public PoolView pool() {
        lock.lock();
        try {
            return new PoolView(pool.limits(), pool.used(), pool.nodes());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The usage report for {@code [from, to)} (see {@link ReportChain#report}).
     *
     * @throws RelayUnavailableException when the data directory is not open (tampered, another site)
     */
    public ReportChain.Stored report(Instant from, Instant to) throws IOException, LedgerTamperedException {
        if (key == null || log == null) {
            throw new RelayUnavailableException(status);
        }
        return reports.report(from, to, clock.instant(), reportSource(settings.dataDir(), key,
                settings.licenseKey().licenseId().toString(), settings.product(), fingerprint));
    }

    /**
     * Folds the usage log's records that the latest usage report covers into a signed checkpoint
     * ({@link UsageLog#compact}), so the log holds only what later reports still need. Under the relay's lock.
     *
     * @return what was folded, or null when there was nothing to fold (no report, or no record it covers)
     * @throws RelayUnavailableException when the data directory is not open
     */
    public UsageLog.Compaction compact() throws IOException, LedgerTamperedException {
        lock.lock();
        try {
            if (log == null) {
                throw new RelayUnavailableException(status);
            }
            List<ReportChain.Stored> chain = reports.load();
            if (chain.isEmpty()) {
                return null;
            }
            Map<Long, String> pins = new HashMap<>();
            chain.forEach(s -> pins.put(s.report().logSeq(), s.report().logHash()));
            org.licensing.core.usage.UsageReport last = chain.get(chain.size() - 1).report();
            UsageLog next;
            try {
                next = log.compact(last.logSeq(), last.to().toEpochMilli(), pins);
            } catch (IOException e) {
                fail(e); // the old log or the new one is whole on disk; a restart opens it
                throw e;
            }
            compactedReports = chain.size();
            if (next == log) {
                return null;
            }
            log = next;
            UsageLog.Compaction c = next.lastCompaction();
            LOG.infof("license-relay: compacted the usage log: %d records up to record %d (covered by usage report %d)"
                    + " folded into a checkpoint, %d -> %d bytes", c.folded(), c.checkpointSeq(), last.sequence(),
                    c.bytesBefore(), c.bytesAfter());
            return c;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@link #compact} when a usage report was made since the last compaction (by the HTTP endpoint or the report
     * command, which only writes the report file): the periodic tick calls it.
     */
    public void compactIfReported() {
        try {
            int count = reports == null ? 0 : reports.count();
            if (count == 0 || count == compactedReports || log == null) {
                return;
            }
            compact();
        } catch (IOException | LedgerTamperedException | RelayUnavailableException e) {
            LOG.warnf("license-relay: the usage log was not compacted: %s", e.getMessage());
        }
    }

    /** A report source reading the usage log on {@code dataDir} afresh (also what the report command uses). */
    public static ReportChain.Source reportSource(Path dataDir, RelayKey key, String licenseId, String product,
            String fingerprint) {
        return new ReportChain.Source() {
            @Override
            public String licenseId() {
                return licenseId;
            }

            @Override
            public String product() {
                return product;
            }

            @Override
            public String fingerprint() {
                return fingerprint;
            }

            @Override
            public LogRecord readLog(Consumer<LogRecord> visitor) throws IOException, LedgerTamperedException {
                LogRecord[] last = new LogRecord[1];
                UsageLog.read(dataDir, key, r -> {
                    last[0] = r;
                    visitor.accept(r);
                });
                return last[0];
            }
        };
    }

    private void closeLog() {
        if (log != null) {
            try {
                log.close();
            } catch (IOException e) {
                LOG.debug("closing the usage log", e);
            }
            log = null;
        }
        served = null;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closeLog();
            if (dirLock != null) {
                dirLock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            LOG.debug("closing the data directory lock", e);
        } finally {
            lock.unlock();
        }
    }
}
