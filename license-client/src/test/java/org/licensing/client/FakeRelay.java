package org.licensing.client;

import com.nimbusds.jose.jwk.OctetKeyPair;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.licensing.core.checkout.CheckoutDocument;
import org.licensing.core.checkout.CheckoutFiles;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.document.LicenseDocument;
import org.licensing.core.json.Json;
import org.licensing.core.key.LicenseKey;
import org.licensing.core.relay.LeaseClaims;

/**
 * A local stand-in for a site's license-relay, in the relay's wire format: a relay checkout made as the issuer makes
 * it (license-core's {@link CheckoutFiles}, signed by {@link #vendor}, certifying {@link #relayKeys}, encrypted for
 * the license key on {@link #SITE}), a pool with exact limits, and leases signed with license-core's
 * {@link LeaseClaims} by the relay key. Tests forge the signer ({@link #signer}) or what is signed ({@link #mangle}).
 * It serves on {@link FakeValidator}'s HTTP server with the handler replaced (one test HTTP server in this module).
 */
final class FakeRelay implements AutoCloseable {

    static final String SITE = "k8s-" + "5".repeat(64);
    static final Duration TTL = Duration.ofMinutes(2);

    final SigningKeys vendor = SigningKeys.generate("vendor-1");
    final SigningKeys relayKeys = SigningKeys.generate("relay-1");
    final FakeValidator http;
    final Clock clock;
    final UUID checkoutId = UUID.randomUUID();
    final String licenseId;
    final String checkoutJws;
    final String checkoutFile;
    private final Map<String, BigDecimal> limits;
    private final Map<UUID, Held> leases = new LinkedHashMap<>();
    /** Signs the next leases (a forger's key in tests). */
    volatile SigningKeys signer = relayKeys;
    /** Applied to a lease's claims before signing (another nonce, another node). */
    volatile UnaryOperator<LeaseClaims> mangle = UnaryOperator.identity();
    /** When set, every request gets this status and a problem body (503: not serving). */
    volatile Integer failWith;

    private record Held(UUID id, String node, Map<String, BigDecimal> quantities, Instant until) {
    }

    FakeRelay(Clock clock, LicenseKey key, Map<String, BigDecimal> limits) throws IOException {
        this.clock = clock;
        this.limits = Map.copyOf(limits);
        this.licenseId = key.licenseId().toString();
        Instant now = clock.instant();
        LicenseDocument license = new LicenseDocument(key.licenseId().toString(), "cust-1", "Acme GPU",
                FakeValidator.PRODUCT, Map.of("mig", true), limits, 8, now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofDays(30)), now.plus(Duration.ofDays(300)), 7);
        CheckoutDocument doc = new CheckoutDocument(checkoutId, license, SITE, 1, now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(30)), FakeRelay.publicKey(relayKeys));
        this.checkoutJws = CheckoutFiles.sign(doc, "https://issuer.licensing.test", vendor);
        this.checkoutFile = CheckoutFiles.encrypt(checkoutJws, key.licenseId(), key.secretHash(), SITE);
        this.http = new FakeValidator(clock);
        http.handler = this::handle;
    }

    static OctetKeyPair publicKey(SigningKeys keys) {
        return (OctetKeyPair) keys.publicJwkSet().getKeys().get(0);
    }

    URI url() {
        return http.url();
    }

    /** What the pinned resource of the product holds: the vendor's public keys. */
    String pinnedJwks() {
        return vendor.publicJwkSetJson();
    }

    synchronized int liveLeases() {
        Instant now = clock.instant();
        return (int) leases.values().stream().filter(h -> now.isBefore(h.until())).count();
    }

    /** Loses every lease (a relay started on an empty data directory). */
    synchronized void forget() {
        leases.clear();
    }

    private synchronized FakeValidator.Reply handle(FakeValidator.Recorded req) {
        if (failWith != null) {
            return problem(failWith, "relay-not-serving", "No checkout installed", Map.of());
        }
        Map<String, Object> in;
        try {
            in = req.body().isEmpty() ? Map.of() : Json.parseObject(req.body());
        } catch (Json.JsonException e) {
            return problem(400, "malformed-request-body", e.getMessage(), Map.of());
        }
        String path = req.path();
        if (req.method().equals("POST") && path.equals("/v1/leases")) {
            return lease((String) in.get("fingerprint"), (String) in.get("nonce"), quantities(in.get("quantities")));
        }
        if (path.startsWith("/v1/leases/")) {
            UUID id = UUID.fromString(path.substring("/v1/leases/".length()));
            Held h = leases.get(id);
            if (h == null || !clock.instant().isBefore(h.until())) {
                return problem(404, "lease-not-found", "No live lease " + id, Map.of());
            }
            if (req.method().equals("DELETE")) {
                leases.remove(id);
                return new FakeValidator.Reply(204, null, Map.of());
            }
            Held extended = new Held(id, h.node(), h.quantities(), clock.instant().plus(TTL));
            leases.put(id, extended);
            return answer(200, extended, (String) in.get("nonce"));
        }
        return problem(404, "not-found", "no such path", Map.of());
    }

    private FakeValidator.Reply lease(String node, String nonce, Map<String, BigDecimal> q) {
        Instant now = clock.instant();
        leases.values().removeIf(h -> h.node().equals(node) || !now.isBefore(h.until()));
        for (Map.Entry<String, BigDecimal> e : q.entrySet()) {
            BigDecimal used = leases.values().stream().map(h -> h.quantities().getOrDefault(e.getKey(), BigDecimal.ZERO))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal limit = limits.get(e.getKey());
            if (limit == null) {
                return problem(400, "invalid-request", "The license sets no limit " + e.getKey(), Map.of());
            }
            if (used.add(e.getValue()).compareTo(limit) > 0) {
                return problem(409, "pool-exhausted", e.getKey() + ": " + e.getValue().toPlainString()
                        + " requested, " + limit.subtract(used).toPlainString() + " available", Map.of("quantity",
                                e.getKey(), "requested", e.getValue().toPlainString(), "available",
                                limit.subtract(used).toPlainString(), "limit", limit.toPlainString()));
            }
        }
        Held h = new Held(UUID.randomUUID(), node, q, now.plus(TTL));
        leases.put(h.id(), h);
        return answer(201, h, nonce);
    }

    private FakeValidator.Reply answer(int status, Held h, String nonce) {
        LeaseClaims claims = mangle.apply(new LeaseClaims(h.id(), clock.instant(), h.until(), nonce, h.node(),
                h.quantities(), licenseId, FakeValidator.PRODUCT, checkoutId, SITE));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("leaseId", h.id().toString());
        out.put("fingerprint", h.node());
        out.put("nonce", nonce);
        out.put("leaseUntil", h.until().toString());
        out.put("quantities", h.quantities());
        out.put("lease", signer.sign(claims.toClaims(), LeaseClaims.TYP));
        out.put("checkout", checkoutJws);
        out.put("checkoutFile", checkoutFile);
        return FakeValidator.Reply.json(status, Json.write(out));
    }

    private static Map<String, BigDecimal> quantities(Object v) {
        Map<String, BigDecimal> q = new LinkedHashMap<>();
        if (v instanceof Map<?, ?> m) {
            m.forEach((k, n) -> q.put((String) k, (BigDecimal) n));
        }
        return q;
    }

    private static FakeValidator.Reply problem(int status, String type, String detail, Map<String, Object> members) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "https://licensing.dev/problems/" + type);
        p.put("status", status);
        p.put("detail", detail);
        p.putAll(members);
        return new FakeValidator.Reply(status, Json.write(p), Map.of("Content-Type", "application/problem+json"));
    }

    @Override
    public void close() {
        http.close();
    }
}
