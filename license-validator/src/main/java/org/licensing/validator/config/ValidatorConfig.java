package org.licensing.validator.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Operator settings of the validator ({@code licensing.validator.*}); see the module README for each one. */
@ConfigMapping(prefix = "licensing.validator")
public interface ValidatorConfig {

    /** Issuer ({@code iss}) of validation receipts. */
    @WithDefault("https://validator.licensing.dev")
    String receiptIssuer();

    /** Longest offline lease a VALID receipt grants; never beyond expiry + grace. */
    @WithDefault("PT24H")
    Duration lease();

    /** Longest accepted client nonce (characters). */
    @WithDefault("128")
    int nonceMaxLength();

    /** Longest accepted machine fingerprint (characters). */
    @WithDefault("128")
    int fingerprintMaxLength();

    /**
     * While DynamoDB is failing, how often readiness asks it again (one GetItem): an unready pod gets no traffic, so
     * this probe is what brings it back into service.
     */
    @WithDefault("PT5S")
    Duration storeProbeInterval();

    Cache cache();

    RateLimit rateLimit();

    interface Cache {
        /** How long a license record is answered from memory: the bound on refusing a revoked or suspended license. */
        @WithDefault("PT5S")
        Duration ttl();

        /**
         * Age after which a cached record is reloaded in the background on its next use (refresh-ahead); must be
         * below {@link #ttl()} to have an effect.
         */
        @WithDefault("PT3S")
        Optional<Duration> refreshAfter();

        /** How long an unknown license id is remembered as unknown (at most {@link #ttl()}). */
        @WithDefault("PT2S")
        Duration negativeTtl();

        /** Most records kept in memory. */
        @WithDefault("100000")
        long maxSize();
    }

    interface RateLimit {
        /** Turns both limits off (benchmarks behind another limiter). */
        @WithDefault("true")
        boolean enabled();

        /** Sustained requests per second per license id, counted once the key's secret matched. */
        @WithDefault("10")
        double perKeyPerSecond();

        /** Burst per license id (matching secrets only). */
        @WithDefault("30")
        int perKeyBurst();

        /** Sustained requests per second per client address. */
        @WithDefault("50")
        double perClientPerSecond();

        /** Burst per client address. */
        @WithDefault("200")
        int perClientBurst();

        /** Sustained failed attempts (unknown id or wrong secret) per second per (license id, client address). */
        @WithDefault("1")
        double failedPerSecond();

        /** Burst of failed attempts per (license id, client address). */
        @WithDefault("10")
        int failedBurst();

        /**
         * Addresses of proxies (API gateway, load balancer) whose forwarding header is trusted; exact IPs or
         * IPv4 CIDRs. Empty: the TCP peer is the client.
         */
        Optional<List<String>> trustedProxies();

        /** Header carrying the client address when the peer is a trusted proxy. */
        @WithDefault("X-Forwarded-For")
        String clientAddressHeader();
    }
}
