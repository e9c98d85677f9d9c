package org.licensing.client;

import java.io.IOException;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.licensing.core.document.LicenseDocument;
import org.licensing.core.json.Json;
import org.licensing.core.relay.LeaseClaims;
import org.licensing.core.relay.LeaseRejectedException;
import org.licensing.core.relay.LeaseVerifier;
import org.licensing.core.relay.VerifiedLease;

/**
 * Answers with a site's relay (license-relay): leases the configured quantities for this node ({@code POST
 * /v1/leases}: the node's fingerprint, the quantities, a fresh nonce), believes a lease only through license-core's
 * {@link LeaseVerifier} (lease -> certified relay key -> relay checkout opened with the license key -> pinned vendor
 * key; this nonce, this node), extends it before it ends ({@code PUT /v1/leases/{id}}, on {@link Heartbeats}),
 * releases it on close ({@code DELETE}), and while the relay cannot be reached answers from the lease it holds until
 * that lease ends, under the same trusted-clock rules as a cached receipt ({@link OfflineRules}). Only the relay's
 * signed lease grants anything; its unsigned refusals (pool exhausted, node limit) only refuse. Thread-safe: one
 * exchange with the relay at a time.
 *
 * <p>The held lease is also kept in the cache directory ({@link CacheStore#LEASE}: the relay's answer as it came), so
 * a product restarted while the relay is away still answers from it until it ends. A kept lease is believed only
 * after the whole chain verifies again on load, for this node and these quantities; it is forgotten when released,
 * ended, or unknown to the relay, and kept when a release could not reach the relay (the relay still counts it).
 */
final class RelayMode {

    static final String LEASES_PATH = "/v1/leases";
    private static final System.Logger LOG = System.getLogger(RelayMode.class.getName());
    private static final Duration MIN_BEAT = Duration.ofSeconds(1);

    private final Transport transport;
    private final String productCode;
    private final LeaseVerifier verifier;
    private final Fingerprints fingerprints;
    private final Map<String, BigDecimal> requested;
    private final TrustedClock clock;
    private final Duration heartbeatInterval; // null: a third of each lease
    private final BooleanSupplier closed;
    private final SecureRandom random = new SecureRandom();
    private final Object lock = new Object();
    private final CacheStore store;
    private volatile VerifiedLease held;
    private Heartbeats heartbeats; // guarded by lock; started with the first lease
    private boolean loaded; // guarded by lock: the kept lease was read (once per client)
    private String keptRefused; // guarded by lock: why the kept lease was not believed, or null

    RelayMode(Transport transport, String productCode, LeaseVerifier verifier, Fingerprints fingerprints,
            Map<String, BigDecimal> requested, TrustedClock clock, Duration heartbeatInterval, BooleanSupplier closed,
            CacheStore store) {
        this.transport = transport;
        this.store = store;
        this.productCode = productCode;
        this.verifier = verifier;
        this.fingerprints = fingerprints;
        this.requested = Map.copyOf(requested);
        this.clock = clock;
        this.heartbeatInterval = heartbeatInterval;
        this.closed = closed;
    }

    /** What one exchange with the relay came to: a verified lease, a final answer, the lease gone, or no answer. */
    private record Outcome(VerifiedLease lease, LicenseAnswer answer, boolean gone, String unreachable, Kept kept) {
        Outcome(VerifiedLease lease, LicenseAnswer answer, boolean gone, String unreachable) {
            this(lease, answer, gone, unreachable, null);
        }
    }

    /** The relay's answer as it came: what {@link CacheStore#LEASE} keeps and what is verified again on load. */
    private record Kept(String lease, String checkoutFile, String nonce) {
        String json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("v", 1);
            m.put("lease", lease);
            m.put("checkout_file", checkoutFile);
            m.put("nonce", nonce);
            return Json.write(m);
        }

        static Kept parse(String json) throws Json.JsonException {
            Map<String, Object> m = Json.parseObject(json);
            if (m.get("lease") instanceof String l && m.get("checkout_file") instanceof String f
                    && m.get("nonce") instanceof String n) {
                return new Kept(l, f, n);
            }
            throw new Json.JsonException("lease, checkout_file and nonce must be strings");
        }
    }

    /** Extends the live lease, or leases anew (none held, it ended, or the relay no longer knows it). */
    LicenseAnswer validate(Map<String, BigDecimal> used) {
        synchronized (lock) {
            String fp = fingerprints.require("Relay mode");
            loadKept(fp);
            VerifiedLease h = held;
            if (h != null && clock.now().isBefore(h.lease().leaseUntil())) {
                Outcome o = exchange("PUT", LEASES_PATH + "/" + h.lease().leaseId(), fp, false);
                if (!o.gone()) {
                    return answer(o, used);
                }
                forget(); // ended, released or lost on the relay's side: ask for a new one
            }
            return answer(exchange("POST", LEASES_PATH, fp, true), used);
        }
    }

    /** From the held lease only, no network. */
    LicenseAnswer check(Map<String, BigDecimal> used) {
        loadKeptIfNodeKnown();
        return offline(used, null);
    }

    /** The quantities of the held lease while it runs, else empty. */
    Map<String, BigDecimal> leased() {
        loadKeptIfNodeKnown();
        VerifiedLease h = held;
        return h != null && clock.now().isBefore(h.lease().leaseUntil()) ? h.lease().quantities() : Map.of();
    }

    private Outcome exchange(String method, String path, String fp, boolean withQuantities) {
        String nonce = OnlineMode.newNonce(random);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("fingerprint", fp);
        body.put("nonce", nonce);
        if (withQuantities) {
            body.put("quantities", new LinkedHashMap<>(requested));
        }
        Transport.Answer http;
        try {
            http = transport.send(method, path, Json.write(body), null);
        } catch (IOException e) {
            return new Outcome(null, null, false, "The relay could not be reached (" + e.getMessage() + ")");
        }
        int status = http.status();
        Map<String, Object> json = http.json();
        if (status == 200 || status == 201) {
            if (!(json.get("lease") instanceof String lease) || !(json.get("checkoutFile") instanceof String file)) {
                return new Outcome(null, null, false, "The relay's answer has no lease and checkout file");
            }
            try {
                return new Outcome(verifier.verify(lease, file, nonce, fp, clock.now()), null, false, null,
                        new Kept(lease, file, nonce));
            } catch (LeaseRejectedException e) {
                return new Outcome(null, refusal(LicenseCode.INVALID_LEASE, "The relay's lease was refused ("
                        + e.reason() + "): " + e.getMessage(), null), false, null);
            }
        }
        if (status == 404 && method.equals("PUT")) {
            return new Outcome(null, null, true, null);
        }
        String type = json.get("type") instanceof String t ? t : "";
        if (status == 409 && type.endsWith("/pool-exhausted")) {
            String quantity = json.get("quantity") instanceof String q ? q : null;
            return new Outcome(null, refusal(LicenseCode.POOL_EXHAUSTED, "The site's pool has no room: "
                    + http.detail(), quantity), false, null);
        }
        if (status == 409 && type.endsWith("/too-many-activations")) {
            return new Outcome(null, refusal(LicenseCode.TOO_MANY_ACTIVATIONS, "The site's node limit is reached: "
                    + http.detail(), null), false, null);
        }
        if (status == 400) {
            throw new LicenseClientException("The relay rejected the request as invalid: " + http.detail());
        }
        // 503 (not serving: no checkout, clock, storage), 429, 5xx, a proxy's page: the held lease answers.
        return new Outcome(null, null, false, "The relay answered HTTP " + status + ": " + http.detail());
    }

    private LicenseAnswer answer(Outcome o, Map<String, BigDecimal> used) {
        if (o.unreachable() != null) {
            return offline(used, o.unreachable());
        }
        if (o.answer() != null) {
            return o.answer();
        }
        VerifiedLease v = o.lease();
        held = v;
        keep(o.kept());
        // The checkout's iat is the vendor's word on time; the lease's iat (the site's clock) only raises it below.
        clock.resetIfNewer(v.checkout().document().sequence(), v.checkout().document().issuedAt());
        startHeartbeats(v.lease());
        LeaseClaims l = v.lease();
        LicenseAnswer a = answerOf(v, LicenseAnswer.Source.RELAY, "Leased from the relay until " + l.leaseUntil()
                + " (lease " + l.leaseId() + ", checkout " + v.checkout().document().sequence() + " of site "
                + l.site() + ")");
        return OfflineRules.apply(a, l.issuedAt(), l.leaseUntil(), used, true, clock);
    }

    private LicenseAnswer offline(Map<String, BigDecimal> used, String why) {
        String prefix = why == null ? "" : why + "; ";
        VerifiedLease h = held;
        if (h == null) {
            String refused;
            synchronized (lock) {
                refused = keptRefused;
            }
            return LicenseAnswer.unsigned(LicenseCode.UNCONFIRMED, prefix + "no lease is held from the relay"
                    + (refused == null ? "" : " (" + refused + ")"));
        }
        LicenseAnswer a = answerOf(h, LicenseAnswer.Source.CACHE, prefix + "answered from the lease held since "
                + h.lease().issuedAt());
        return OfflineRules.apply(a, h.lease().issuedAt(), h.lease().leaseUntil(), used, true, clock);
    }

    /** The answer a lease gives: its quantities are this node's limits, the checkout's license the rest. */
    private LicenseAnswer answerOf(VerifiedLease v, LicenseAnswer.Source source, String detail) {
        LeaseClaims l = v.lease();
        LicenseDocument d = v.checkout().document().license();
        LicenseCode code = clock.now().isBefore(d.expiresAt()) ? LicenseCode.VALID : LicenseCode.EXPIRED_IN_GRACE;
        return new LicenseAnswer(code, detail, source, l.licenseId(), new Entitlements(d.features(), l.quantities()),
                l.issuedAt(), l.leaseUntil(), d.expiresAt(), null);
    }

    private static LicenseAnswer refusal(LicenseCode code, String detail, String limit) {
        return new LicenseAnswer(code, detail, LicenseAnswer.Source.RELAY, null, null, null, null, null, limit);
    }

    private void startHeartbeats(LeaseClaims lease) {
        if (heartbeats != null || closed.getAsBoolean()) {
            return;
        }
        Duration interval = heartbeatInterval;
        if (interval == null) {
            // Three beats per lease: two may be lost before the lease ends.
            interval = Duration.between(lease.issuedAt(), lease.leaseUntil()).dividedBy(3);
            interval = interval.compareTo(MIN_BEAT) < 0 ? MIN_BEAT : interval;
        }
        heartbeats = new Heartbeats("license-relay-lease-" + productCode, interval, this::beat);
        heartbeats.start();
    }

    private void beat() {
        try {
            if (closed.getAsBoolean()) {
                return;
            }
            LicenseAnswer a = validate(Map.of());
            if (!a.usable() && !closed.getAsBoolean()) {
                LOG.log(System.Logger.Level.WARNING, "Relay lease heartbeat: " + a.code() + ": " + a.detail());
            }
        } catch (RuntimeException e) {
            if (!closed.getAsBoolean()) {
                LOG.log(System.Logger.Level.WARNING, "Relay lease heartbeat failed: " + e);
            }
        }
    }

    /**
     * Once per client: the lease a previous run kept, believed only when the whole chain verifies again (lease ->
     * certified relay key -> checkout opened with this license key -> pinned vendor key), for this node, with the
     * quantities asked now, and still running. A file that fails is refused (and left for inspection), never used.
     */
    private void loadKept(String fp) {
        if (loaded || held != null) {
            loaded = true;
            return;
        }
        loaded = true;
        String text;
        try {
            text = store.readLease();
        } catch (IOException e) {
            refuseKept("the kept lease could not be read: " + e.getMessage());
            return;
        }
        if (text == null || verifier == null) {
            return;
        }
        Kept kept;
        VerifiedLease v;
        try {
            kept = Kept.parse(text);
            v = verifier.verify(kept.lease(), kept.checkoutFile(), kept.nonce(), fp, clock.now());
        } catch (Json.JsonException e) {
            refuseKept("the kept lease in " + CacheStore.LEASE + " is not readable: " + e.getMessage());
            return;
        } catch (LeaseRejectedException e) {
            refuseKept("the kept lease in " + CacheStore.LEASE + " was refused (" + e.reason() + "): "
                    + e.getMessage());
            return;
        }
        if (!clock.now().isBefore(v.lease().leaseUntil())) {
            deleteKept(); // ended: nothing to answer from
            return;
        }
        if (!sameQuantities(v.lease().quantities(), requested)) {
            return; // the product asks for other quantities now: lease those (the relay replaces this node's lease)
        }
        held = v;
        clock.resetIfNewer(v.checkout().document().sequence(), v.checkout().document().issuedAt());
        startHeartbeats(v.lease());
    }

    private void loadKeptIfNodeKnown() {
        synchronized (lock) {
            if (loaded) {
                return;
            }
            String fp;
            try {
                fp = fingerprints.require("Relay mode");
            } catch (LicenseClientException unknown) {
                return; // validate() says why; nothing kept can be checked for an unknown node
            }
            loadKept(fp);
        }
    }

    private void refuseKept(String why) {
        keptRefused = why;
        LOG.log(System.Logger.Level.WARNING, "Relay mode: " + why);
    }

    private static boolean sameQuantities(Map<String, BigDecimal> a, Map<String, BigDecimal> b) {
        return a.size() == b.size() && a.entrySet().stream().allMatch(e -> b.get(e.getKey()) != null
                && b.get(e.getKey()).compareTo(e.getValue()) == 0);
    }

    private void keep(Kept kept) {
        keptRefused = null;
        try {
            store.writeLease(kept.json());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot keep the relay lease in " + store.directory()
                    + ": a restarted product will lease anew (" + e + ")");
        }
    }

    private void forget() {
        held = null;
        deleteKept();
    }

    private void deleteKept() {
        try {
            store.deleteLease();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot delete the kept relay lease: " + e);
        }
    }

    /** Stops the heartbeats and gives the lease back (best effort: an unreachable relay reaps it when it ends). */
    void close() {
        Heartbeats hb;
        synchronized (lock) {
            hb = heartbeats;
        }
        if (hb != null) {
            hb.close();
        }
        VerifiedLease h;
        synchronized (lock) {
            h = held;
            held = null;
        }
        if (h == null || !clock.now().isBefore(h.lease().leaseUntil())) {
            if (h != null) {
                deleteKept();
            }
            return;
        }
        String path = LEASES_PATH + "/" + h.lease().leaseId() + "?fingerprint="
                + Activations.pathSegment(h.lease().fingerprint());
        try {
            Transport.Answer a = transport.send("DELETE", path, null, null);
            if (a.status() != 204 && a.status() != 404) {
                LOG.log(System.Logger.Level.WARNING, "Releasing the relay lease: HTTP " + a.status() + " "
                        + a.detail() + "; it ends by itself at " + h.lease().leaseUntil());
            } else {
                deleteKept(); // given back: a restarted product must not answer from it
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Releasing the relay lease: " + e.getMessage()
                    + "; it ends by itself at " + h.lease().leaseUntil());
        }
    }
}
