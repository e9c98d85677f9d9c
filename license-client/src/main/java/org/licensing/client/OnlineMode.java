package org.licensing.client;

import java.io.IOException;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.licensing.core.json.Json;
import org.licensing.core.key.LicenseKey;

/**
 * Answers with a validator: one {@code POST /v1/validate} with a fresh nonce whose signed receipt decides (the body's
 * other members never do), falling back to the cached receipt when the validator cannot be reached.
 */
final class OnlineMode {

    private final Transport transport;
    private final String productCode;
    private final LicenseKey key;
    private final Fingerprints fingerprints;
    private final KeyRefresh keys;
    private final ReceiptCache cache;
    private final TrustedClock clock;
    private final SecureRandom random = new SecureRandom();

    OnlineMode(Transport transport, String productCode, LicenseKey key, Fingerprints fingerprints, KeyRefresh keys,
            ReceiptCache cache, TrustedClock clock) {
        this.transport = transport;
        this.productCode = productCode;
        this.key = key;
        this.fingerprints = fingerprints;
        this.keys = keys;
        this.cache = cache;
        this.clock = clock;
    }

    LicenseAnswer validate(Map<String, BigDecimal> used) {
        String fp = fingerprints.get();
        keys.refreshIfDue(); // at the first validation, then daily: a newer set may have dropped a key
        String nonce = newNonce(random);
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
        long request = cache.nextRequest();
        Transport.Answer http;
        try {
            http = transport.send("POST", LicenseClient.VALIDATE_PATH, Json.write(body), null);
        } catch (IOException e) {
            return offline(used, fp, "The validator could not be reached (" + e.getMessage() + ")");
        }
        if (http.status() == 200) {
            return online(http, request, nonce, fp, used);
        }
        if (http.status() == 400) {
            if ("MALFORMED_KEY".equals(http.json().get("code"))) {
                return LicenseAnswer.unsigned(LicenseCode.MALFORMED_KEY, "The validator: " + http.detail());
            }
            throw new LicenseClientException("The validator rejected the request as invalid: " + http.detail());
        }
        return offline(used, fp, "The validator answered HTTP " + http.status());
    }

    LicenseAnswer check(Map<String, BigDecimal> used) {
        return offline(used, fingerprints.get(), null);
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
            receipt = keys.verifyReceipt(compact, true);
        } catch (Untrusted u) {
            return Receipt.invalid(LicenseAnswer.Source.NETWORK, "The validator's receipt was rejected: "
                    + u.getMessage());
        }
        if (!nonce.equals(receipt.facts().nonce())) {
            return Receipt.invalid(LicenseAnswer.Source.NETWORK,
                    "The validator's receipt is for another request (its nonce is not the one sent)");
        }
        String mismatch = receipt.bindingProblem(productCode, fp, key.licenseId().toString());
        if (mismatch != null) {
            return Receipt.invalid(LicenseAnswer.Source.NETWORK, "The validator's receipt " + mismatch);
        }
        LicenseCode code = receipt.code();
        String detail = body.get("detail") instanceof String d ? d : "The validator answered " + code;
        String limit = code == LicenseCode.LIMIT_EXCEEDED && body.get("limit") instanceof String l ? l : null;
        LicenseAnswer answer = receipt.answer(code, LicenseAnswer.Source.NETWORK, detail, limit);
        Instant now = clock.now();
        cache.offer(receipt, request);
        if (answer.usable() && now.isBefore(receipt.issuedAt().minus(clock.tolerance()))) {
            return answer.refused(LicenseCode.CLOCK_TAMPERED, "The system clock (" + now + ") is behind the"
                    + " validator's time (" + receipt.issuedAt() + ") by more than " + clock.tolerance(), null);
        }
        return answer;
    }

    /** The cached receipt's answer; {@code why} says why the validator was not asked or did not answer. */
    private LicenseAnswer offline(Map<String, BigDecimal> used, String fp, String why) {
        String prefix = why == null ? "" : why + "; ";
        Receipt r;
        try {
            r = cache.cached();
        } catch (IOException e) {
            return LicenseAnswer.unsigned(LicenseCode.UNCONFIRMED, prefix + "the cached receipt cannot be read: " + e);
        } catch (Untrusted u) {
            return Receipt.invalid(LicenseAnswer.Source.CACHE, prefix + "the cached receipt was rejected: "
                    + u.getMessage());
        }
        if (r == null) {
            return LicenseAnswer.unsigned(LicenseCode.UNCONFIRMED, prefix + "there is no cached receipt");
        }
        String mismatch = r.bindingProblem(productCode, fp, key.licenseId().toString());
        if (mismatch != null) {
            return Receipt.invalid(LicenseAnswer.Source.CACHE, prefix + "the cached receipt " + mismatch);
        }
        LicenseAnswer answer = r.answer(r.code(), LicenseAnswer.Source.CACHE,
                prefix + "answered from the cached receipt of " + r.issuedAt(), null);
        return OfflineRules.apply(answer, r.issuedAt(), r.facts().leaseUntil(), used, true, clock);
    }

    /** 16 random bytes, base64url: the nonce a signed answer must echo (the relay mode's too). */
    static String newNonce(SecureRandom random) {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
