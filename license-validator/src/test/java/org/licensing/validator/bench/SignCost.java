package org.licensing.validator.bench;

import java.util.UUID;

import org.licensing.core.crypto.SigningKeys;

import com.nimbusds.jwt.JWTClaimsSet;

/**
 * Benchmark helper: the cost of one receipt signature (license-core's {@link SigningKeys#sign}, Ed25519) on this
 * machine right now, single-threaded after warm-up. Prints {@code SIGN_US=<microseconds>}.
 */
public final class SignCost {

    private SignCost() {
    }

    public static void main(String[] args) {
        SigningKeys keys = SigningKeys.generate("bench");
        int n = 3000;
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 4; round++) {
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                keys.sign(new JWTClaimsSet.Builder().issuer("https://validator.licensing.dev").claim("nonce", "n" + i)
                        .claim("code", "VALID").claim("license_id", UUID.randomUUID().toString())
                        .claim("lease_until", 1_800_000_000L).build(), "validation-receipt+jwt");
            }
            best = Math.min(best, (System.nanoTime() - t) / n);
        }
        System.out.printf("SIGN_US=%.0f%n", best / 1000.0);
    }
}
