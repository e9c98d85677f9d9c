package org.licensing.client;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import org.licensing.core.json.Json;
import org.licensing.core.key.LicenseKey;

/**
 * This machine's seat: activation, heartbeats (through {@link Heartbeats}, re-activating a lapsed seat) and
 * deactivation, each one exchange with the validator's {@value LicenseClient#ACTIVATIONS_PATH}.
 */
final class Activations {

    private static final System.Logger LOG = System.getLogger(Activations.class.getName());
    private static final Set<String> PROBLEM_CODES = Set.of("EXPIRED", "NOT_FOUND", "SUSPENDED", "REVOKED",
            "NOT_YET_VALID", "TOO_MANY_ACTIVATIONS", "FINGERPRINT_MISMATCH", "PRODUCT_MISMATCH", "LIMIT_EXCEEDED",
            "MALFORMED_KEY");

    private final Transport transport;
    private final String productCode;
    private final LicenseKey key; // null: malformed
    private final String keyProblem;
    private final Fingerprints fingerprints;
    private final BooleanSupplier closed;
    private final Heartbeats heartbeats; // null: none configured

    Activations(Transport transport, String productCode, LicenseKey key, String keyProblem, Fingerprints fingerprints,
            Duration heartbeatInterval, BooleanSupplier closed) {
        this.transport = transport;
        this.productCode = productCode;
        this.key = key;
        this.keyProblem = keyProblem;
        this.fingerprints = fingerprints;
        this.closed = closed;
        this.heartbeats = heartbeatInterval == null ? null
                : new Heartbeats("license-heartbeat-" + productCode, heartbeatInterval, this::beat);
    }

    ActivationAnswer activate() {
        ActivationAnswer a = send();
        if (a.ok() && heartbeats != null && !closed.getAsBoolean()) {
            heartbeats.start();
        }
        return a;
    }

    ActivationAnswer heartbeat() {
        String fp = fingerprints.require("Machine activation");
        if (key == null) {
            return refusedLocally(fp);
        }
        return exchange("POST", LicenseClient.ACTIVATIONS_PATH + "/" + pathSegment(fp) + "/heartbeat", null,
                "License " + key.text(), fp, status -> ActivationAnswer.Outcome.SEEN);
    }

    ActivationAnswer deactivate() {
        String fp = fingerprints.require("Machine activation");
        if (key == null) {
            return refusedLocally(fp);
        }
        ActivationAnswer a = exchange("DELETE", LicenseClient.ACTIVATIONS_PATH + "/" + pathSegment(fp), null,
                "License " + key.text(), fp, status -> ActivationAnswer.Outcome.DEACTIVATED);
        if (a.ok()) {
            stopHeartbeats();
        }
        return a;
    }

    boolean heartbeatsRunning() {
        return heartbeats != null && heartbeats.running();
    }

    void stopHeartbeats() {
        if (heartbeats != null) {
            heartbeats.stop();
        }
    }

    void close() {
        if (heartbeats != null) {
            heartbeats.close();
        }
    }

    private ActivationAnswer send() {
        String fp = fingerprints.require("Machine activation");
        if (key == null) {
            return refusedLocally(fp);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", key.text());
        body.put("fingerprint", fp);
        body.put("productCode", productCode);
        return exchange("POST", LicenseClient.ACTIVATIONS_PATH, Json.write(body), null, fp,
                status -> status == 201 ? ActivationAnswer.Outcome.ACTIVATED : ActivationAnswer.Outcome.ALREADY_ACTIVE);
    }

    private void beat() {
        try {
            if (closed.getAsBoolean()) {
                return;
            }
            ActivationAnswer a = heartbeat();
            if (a.outcome() == ActivationAnswer.Outcome.REFUSED && a.code() == LicenseCode.FINGERPRINT_MISMATCH) {
                // The seat lapsed (floating seats) or was freed elsewhere: claim it again.
                a = send();
            }
            if (!a.ok() && !closed.getAsBoolean()) {
                LOG.log(System.Logger.Level.WARNING, "License heartbeat: " + a.outcome()
                        + (a.code() == null ? "" : " " + a.code()) + ": " + a.detail());
            }
        } catch (RuntimeException e) {
            if (!closed.getAsBoolean()) {
                LOG.log(System.Logger.Level.WARNING, "License heartbeat failed: " + e);
            }
        }
    }

    private ActivationAnswer refusedLocally(String fp) {
        return new ActivationAnswer(ActivationAnswer.Outcome.REFUSED, LicenseCode.MALFORMED_KEY, keyProblem, fp, null,
                null, null, null);
    }

    private ActivationAnswer exchange(String method, String path, String json, String authorization, String fp,
            IntFunction<ActivationAnswer.Outcome> success) {
        Transport.Answer http;
        try {
            http = transport.send(method, path, json, authorization);
        } catch (IOException e) {
            return new ActivationAnswer(ActivationAnswer.Outcome.UNAVAILABLE, null,
                    "The validator could not be reached (" + e.getMessage() + ")", fp, null, null, null, null);
        }
        int s = http.status();
        Map<String, Object> body = http.json();
        if (s >= 200 && s < 300) {
            return new ActivationAnswer(success.apply(s), null, "HTTP " + s, fp, integer(body.get("activeMachines")),
                    integer(body.get("maxActivations")), instant(body.get("heartbeatDueBy")), null);
        }
        String detail = http.detail();
        Duration retryAfter = http.retryAfter().map(Activations::seconds).orElse(null);
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
}
