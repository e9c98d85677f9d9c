package org.licensing.core.crypto.bench;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.licensing.core.crypto.SigningKeys;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.JWTClaimsSet;

/**
 * Microbenchmark (plain main, no JMH, no assertions on time): the cost of one Ed25519 signature over a ~300-byte
 * JWS signing input with a fixed key, single thread, after JIT warm-up, for each implementation at hand:
 * <ul>
 * <li>{@code nimbus-tink-cached}: nimbus {@code Ed25519Signer} (Tink's pure-Java Ed25519) built once;</li>
 * <li>{@code nimbus-tink-per-call}: a new nimbus {@code Ed25519Signer} per signature (SigningKeys.sign before);</li>
 * <li>{@code jdk-sunec}: JDK 17 {@code Signature.getInstance("Ed25519")} (SunEC), initialised once;</li>
 * <li>{@code bc-signer}: BouncyCastle {@code org.bouncycastle.crypto.signers.Ed25519Signer}, initialised once;</li>
 * <li>{@code bc-rfc8032}: BouncyCastle {@code Ed25519.sign} over the raw seed and public key bytes;</li>
 * <li>{@code ref: hand-built JWS + bc}: the compact JWS assembled by hand around {@code bc-rfc8032} (cached
 * header, claims JSON, base64url): the floor for the whole JWS, not shipped;</li>
 * <li>{@code SigningKeys.sign}: the whole compact JWS (nimbus header + claims serialisation + signature) as
 * shipped (BouncyCastle behind nimbus {@code JWSObject.sign} since this benchmark; Tink per call before).</li>
 * </ul>
 * All raw implementations are first checked to produce the same signature (Ed25519 is deterministic).
 *
 * <pre>
 * ./mvnw -B -q -pl license-core test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/core.cp
 * java -cp license-core/target/test-classes:license-core/target/classes:$(cat /tmp/core.cp) \
 *   org.licensing.core.crypto.bench.Ed25519SignCost [opsPerImplementation=200000] [maxSecondsPerImplementation=40]
 * </pre>
 */
public final class Ed25519SignCost {

    private static volatile int sink;

    private Ed25519SignCost() {
    }

    /** One signature of {@code msg}; returns the 64 signature bytes. */
    @FunctionalInterface
    private interface Impl {
        byte[] sign(byte[] msg) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int ops = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        double maxSeconds = args.length > 1 ? Double.parseDouble(args[1]) : 40;

        SigningKeys keys = SigningKeys.generate("bench");
        OctetKeyPair okp = (OctetKeyPair) JWKSet.parse(keys.privateJwkSetJson()).getKeyByKeyId("bench");
        byte[] seed = okp.getDecodedD();
        byte[] pub = okp.getDecodedX();

        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID("bench")
                .type(new JOSEObjectType("validation-receipt+jwt")).build();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("https://validator.licensing.dev")
                .issueTime(new java.util.Date(1_764_000_000_000L)).expirationTime(new java.util.Date(1_764_086_400_000L))
                .jwtID("6f1c2b0e-4f7a-4c55-9d8e-2a9b7c3d1e0f").claim("nonce", "0123456789abcdef0123456789abcdef")
                .claim("code", "VALID").claim("product", "bench-product")
                .claim("license_id", "7d0f6a8e-1b2c-4d3e-8f90-a1b2c3d4e5f6").claim("lease_until", 1_764_086_400L)
                .build();
        String input = header.toBase64URL() + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        byte[] msg = input.getBytes(StandardCharsets.US_ASCII);

        Ed25519Signer nimbusCached = new Ed25519Signer(okp);
        PrivateKey jdkKey = KeyFactory.getInstance("Ed25519")
                .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initSign(jdkKey);
        org.bouncycastle.crypto.signers.Ed25519Signer bc = new org.bouncycastle.crypto.signers.Ed25519Signer();
        bc.init(true, new Ed25519PrivateKeyParameters(seed, 0));

        Map<String, Impl> impls = new LinkedHashMap<>();
        impls.put("nimbus-tink-cached", m -> nimbusCached.sign(header, m).decode());
        impls.put("nimbus-tink-per-call", m -> new Ed25519Signer(okp).sign(header, m).decode());
        impls.put("jdk-sunec", m -> {
            jdk.update(m);
            return jdk.sign();
        });
        impls.put("bc-signer", m -> {
            bc.update(m, 0, m.length);
            return bc.generateSignature();
        });
        impls.put("bc-rfc8032", m -> {
            byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
            Ed25519.sign(seed, 0, pub, 0, m, 0, m.length, sig, 0);
            return sig;
        });

        byte[] reference = impls.get("nimbus-tink-cached").sign(msg);
        for (var e : impls.entrySet()) {
            if (!Arrays.equals(reference, e.getValue().sign(msg))) {
                throw new IllegalStateException(e.getKey() + " produces a different signature");
            }
        }
        String headerB64 = header.toBase64URL().toString();
        impls.put("ref: hand-built JWS + bc", m -> {
            byte[] in = (headerB64 + "." + Base64URL.encode(claims.toString())).getBytes(StandardCharsets.US_ASCII);
            byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
            Ed25519.sign(seed, 0, pub, 0, in, 0, in.length, sig, 0);
            return (new String(in, StandardCharsets.US_ASCII) + "." + Base64URL.encode(sig)).getBytes(StandardCharsets.US_ASCII);
        });
        impls.put("SigningKeys.sign (whole JWS)", m -> {
            String jws = keys.sign(claims, "validation-receipt+jwt");
            return jws.getBytes(StandardCharsets.US_ASCII);
        });

        System.out.printf(Locale.ROOT, "Ed25519 signing, %d-byte input, single thread, %s, %d cores, load %s%n",
                msg.length, System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), loadAverage());
        System.out.printf(Locale.ROOT, "%-30s %10s %10s %10s %9s%n", "implementation", "best us", "median us",
                "ops", "ops/s");
        for (var e : impls.entrySet()) {
            run(e.getKey(), e.getValue(), msg, ops, maxSeconds);
        }
    }

    private static void run(String name, Impl impl, byte[] template, int ops, double maxSeconds) throws Exception {
        byte[] msg = template.clone();
        // warm-up: 10 % of the ops or 5 s, whichever comes first
        long warmEnd = System.nanoTime() + 5_000_000_000L;
        for (int i = 0; i < ops / 10 && System.nanoTime() < warmEnd; i++) {
            step(impl, msg, i);
        }
        int round = Math.max(1, ops / 20);
        List<Double> perOp = new ArrayList<>();
        long done = 0;
        long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
        while (done < ops && System.nanoTime() < deadline) {
            long t = System.nanoTime();
            int n = 0;
            // a round ends after `round` ops or 1 s, so slow implementations still give several rounds
            long roundEnd = t + 1_000_000_000L;
            while (n < round && (n % 64 != 0 || System.nanoTime() < roundEnd)) {
                step(impl, msg, (int) done + n);
                n++;
            }
            perOp.add((System.nanoTime() - t) / 1e3 / n);
            done += n;
        }
        perOp.sort(null);
        double best = perOp.get(0);
        double median = perOp.get(perOp.size() / 2);
        System.out.printf(Locale.ROOT, "%-30s %10.1f %10.1f %10d %9.0f%n", name, best, median, done, 1e6 / median);
    }

    private static void step(Impl impl, byte[] msg, int i) throws Exception {
        // vary the last bytes (inside the base64url payload alphabet) so every signature is over a new input
        msg[msg.length - 1] = (byte) ('A' + (i & 15));
        msg[msg.length - 2] = (byte) ('A' + ((i >>> 4) & 15));
        msg[msg.length - 3] = (byte) ('A' + ((i >>> 8) & 15));
        sink ^= impl.sign(msg)[0];
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ", 4)[0];
        } catch (Exception e) {
            return "?";
        }
    }
}
