package org.licensing.relay;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.licensing.client.FingerprintStrategy;
import org.licensing.core.document.LicenseDocument;
import org.licensing.relay.engine.Relay;
import org.licensing.relay.engine.RelaySettings;

/** A relay on a data directory with a test vendor: starts it, installs a checkout made from its own request. */
public final class TestSite {

    public static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    public static final String SITE = "k8s-" + "5".repeat(64);

    public final TestVendor vendor;
    public final Path dataDir;
    public final MutableClock clock;
    public final String fingerprint;
    public Relay relay;

    public TestSite(TestVendor vendor, Path dataDir, MutableClock clock, String fingerprint) {
        this.vendor = vendor;
        this.dataDir = dataDir;
        this.clock = clock;
        this.fingerprint = fingerprint;
    }

    /** Quantities from name/value pairs: {@code q("cuda.device", "8", "cuda.shares", "2.5")}. */
    public static Map<String, BigDecimal> q(String... kv) {
        Map<String, BigDecimal> m = new java.util.TreeMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], new BigDecimal(kv[i + 1]));
        }
        return m;
    }

    public static TestSite create(Path dataDir) {
        return new TestSite(new TestVendor(), dataDir, new MutableClock(T0), SITE);
    }

    public RelaySettings settings(Duration leaseTtl) {
        try {
            return new RelaySettings(dataDir, vendor.licenseKey, TestVendor.PRODUCT,
                    FingerprintStrategy.supplied(fingerprint), JWKSet.parse(vendor.publicJwks()), TestVendor.ISSUER,
                    null, leaseTtl, Duration.ofMinutes(5), "test site");
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts a relay (a new one after {@link #stop}). */
    public Relay start(Duration leaseTtl) {
        relay = new Relay(settings(leaseTtl), clock);
        relay.start();
        return relay;
    }

    public void stop() {
        if (relay != null) {
            relay.close();
            relay = null;
        }
    }

    public String request() {
        try {
            return Files.readString(dataDir.resolve(Relay.REQUEST_FILE), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public LicenseDocument license(Map<String, BigDecimal> limits, int maxActivations) {
        return vendor.license(limits, maxActivations, T0.minus(Duration.ofDays(30)), T0.plus(Duration.ofDays(335)));
    }

    /** A checkout from this relay's request, signed now, running {@code length}; written to the checkout file. */
    public String installCheckout(Map<String, BigDecimal> limits, int maxActivations, long seq, Duration length) {
        String jwe = vendor.relayCheckout(request(), license(limits, maxActivations), seq, clock.instant(),
                clock.instant().plus(length));
        try {
            Files.writeString(dataDir.resolve("checkout.jwe"), jwe, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jwe;
    }
}
