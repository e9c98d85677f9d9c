package org.licensing.client;

import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.key.LicenseKey;
import org.licensing.core.receipt.ValidationReceipt;
import org.licensing.core.json.Json;

/**
 * A local stand-in for the validator on {@code com.sun.net.httpserver} (port 0): answers {@code POST /v1/validate}
 * in exactly the validator's format, with receipts signed by {@link #keys} (license-core's {@link SigningKeys}), and
 * lets each test change the receipt ({@link #onValidate}) or replace the whole answer ({@link #handler}).
 */
final class FakeValidator implements AutoCloseable {

    static final String PRODUCT = "gpu-orchestrator";
    static final String ISSUER = "https://validator.licensing.test";
    static final Duration LEASE = Duration.ofHours(24);

    /** The entitlements claim the lead will add to receipts; decimals on purpose. */
    static Map<String, Object> entitlements() {
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("cuda.shares", new BigDecimal("2.5"));
        limits.put("cuda.device", new BigDecimal("8"));
        limits.put("mem", new BigDecimal("137438953472"));
        limits.put("precise", new BigDecimal("0.1000000000000000055511151231257827"));
        limits.put("fine", new BigDecimal("999999999999.000001"));
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("features", Map.of("mig", true, "fabric-manager", false));
        e.put("limits", limits);
        return e;
    }

    /** What the next receipt says; tests change fields in {@link #onValidate}. */
    static final class Spec {
        String nonce;
        String code = "VALID";
        String product;
        String fingerprint;
        String licenseId;
        Instant iat;
        Instant leaseUntil;
        Object entitlements = entitlements();
        String typ = ValidationReceipt.TYP;
        SigningKeys signer;
        /** Extra (unsigned) members of the JSON answer. */
        final Map<String, Object> body = new LinkedHashMap<>();
        /** Applied to the signed receipt text before it is sent (tampering). */
        Function<String, String> mangle = Function.identity();
    }

    record Recorded(String method, String path, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    record Reply(int status, String body, Map<String, String> headers) {
        static Reply json(int status, String body) {
            return new Reply(status, body, Map.of("Content-Type", "application/json"));
        }
    }

    final SigningKeys keys;
    final Clock clock;
    final List<Recorded> requests = new CopyOnWriteArrayList<>();
    volatile Consumer<Spec> onValidate = s -> { };
    /** Replaces the default behaviour for every path when set. */
    volatile Function<Recorded, Reply> handler;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-validator");
        t.setDaemon(true);
        return t;
    });

    FakeValidator(Clock clock) throws IOException {
        this(clock, SigningKeys.generate("receipts-1"));
    }

    FakeValidator(Clock clock, SigningKeys keys) throws IOException {
        this.clock = clock;
        this.keys = keys;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    String pinnedJwks() {
        return keys.publicJwkSetJson();
    }

    List<Recorded> requests(String pathPrefix) {
        return requests.stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
            Recorded req = new Recorded(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), headers, body);
            requests.add(req);
            Reply reply;
            try {
                Function<Recorded, Reply> h = handler;
                reply = h != null ? h.apply(req) : defaultReply(req);
            } catch (RuntimeException e) {
                reply = Reply.json(500, "{\"detail\":\"test handler failed: " + e + "\"}");
            }
            reply.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            byte[] bytes = reply.body() == null ? new byte[0] : reply.body().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    private Reply defaultReply(Recorded req) {
        if (req.method().equals("POST") && req.path().equals("/v1/validate")) {
            return validate(req);
        }
        return Reply.json(404, "{\"status\":404,\"title\":\"Not found\",\"detail\":\"no such path\"}");
    }

    /** The validator's answer to {@code req}: echoes nonce, product, fingerprint; VALID with a 24 h lease. */
    Reply validate(Recorded req) {
        Map<String, Object> in;
        try {
            in = Json.parseObject(req.body());
        } catch (Json.JsonException e) {
            return Reply.json(400, "{\"detail\":\"Body is not valid UTF-8 JSON.\"}");
        }
        Spec s = new Spec();
        s.nonce = (String) in.get("nonce");
        s.product = (String) in.get("productCode");
        s.fingerprint = (String) in.get("fingerprint");
        s.licenseId = LicenseKey.parse((String) in.get("key")).licenseId().toString();
        s.iat = clock.instant();
        s.leaseUntil = s.iat.plus(LEASE);
        s.signer = keys;
        onValidate.accept(s);
        String receipt = s.mangle.apply(sign(s));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("code", s.code);
        out.put("detail", "Answer " + s.code + ".");
        if (s.licenseId != null) {
            out.put("licenseId", s.licenseId);
        }
        if (s.leaseUntil.isAfter(s.iat)) {
            out.put("leaseUntil", s.leaseUntil.toString());
        }
        out.putAll(s.body);
        out.put("receipt", receipt);
        return Reply.json(200, Json.write(out));
    }

    static String sign(Spec s) {
        // The entitlements claim is set as the test gives it (raw JSON shapes, decimals as text), not through core.
        JWTClaimsSet claims = new ValidationReceipt(s.nonce, s.code, s.product, s.fingerprint, s.licenseId, s.iat,
                s.leaseUntil, null).toClaims(ISSUER, UUID.randomUUID().toString());
        if (s.entitlements != null) {
            claims = new JWTClaimsSet.Builder(claims).claim("entitlements", s.entitlements).build();
        }
        return s.signer.sign(claims, s.typ);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
