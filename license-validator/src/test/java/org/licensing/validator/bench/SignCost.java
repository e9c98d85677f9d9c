package org.licensing.validator.bench;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.UUID;

import org.licensing.core.crypto.SigningKeys;
import org.licensing.validator.config.ValidatorConfig;
import org.licensing.core.receipt.ValidationReceipt;
import org.licensing.validator.receipt.ReceiptSigner;
import org.licensing.validator.validation.ValidationCode;

/**
 * Benchmark helper: the cost of one receipt signature (the validator's {@link ReceiptSigner}, Ed25519) on this
 * machine right now, single-threaded, best of several rounds after warm-up. Prints {@code SIGN_US=<microseconds>}.
 */
public final class SignCost {

    /** What a real receipt carries: the license's entitlements are signed in. */
    private static final org.licensing.core.license.Entitlements ENTITLEMENTS =
            org.licensing.core.license.Entitlements.ofWholeLimits(java.util.Map.of("mig", true),
                    java.util.Map.of("gpus", 64L, "nodes", 8L));

    private SignCost() {
    }

    public static void main(String[] args) {
        ValidatorConfig config = (ValidatorConfig) Proxy.newProxyInstance(SignCost.class.getClassLoader(),
                new Class<?>[] {ValidatorConfig.class}, (proxy, method, a) -> {
                    if (method.getName().equals("receiptIssuer")) {
                        return "https://validator.licensing.dev";
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        ReceiptSigner signer = new ReceiptSigner(SigningKeys.generate("bench"), config);
        int n = 3000;
        long best = Long.MAX_VALUE;
        Instant now = Instant.now();
        for (int round = 0; round < 6; round++) {
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                signer.sign(new ValidationReceipt("nonce-" + i, ValidationCode.VALID.name(), "bench-product", null,
                        UUID.randomUUID().toString(), now, now.plusSeconds(86_400), ENTITLEMENTS));
            }
            best = Math.min(best, (System.nanoTime() - t) / n);
        }
        System.out.printf("SIGN_US=%.0f%n", best / 1000.0);
    }
}
