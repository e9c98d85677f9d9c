package org.licensing.issuer.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed configuration of the issuer ({@code licensing.*}). */
@ConfigMapping(prefix = "licensing")
public interface IssuerConfig {

    /** DynamoDB table holding license records and idempotency records. */
    @WithDefault("licenses")
    String table();

    /**
     * When signing keys or the idempotency secret are not configured, generate ephemeral ones at start-up (with a
     * warning) instead of refusing to start. True in dev/test/local only.
     */
    @WithDefault("false")
    boolean ephemeralSecrets();

    Signing signing();

    Idempotency idempotency();

    ReadModel readModel();

    Events events();

    Webhooks webhooks();

    /** License files; the keys themselves are service-support's {@code licensing.signing.*} (SigningConfig). */
    interface Signing {
        /** {@code iss} claim of license files. */
        @WithDefault("https://licensing.dev/issuer")
        String issuer();
    }

    interface Idempotency {
        /**
         * Server-side secret (base64, at least 32 bytes) mixed into the key that encrypts stored answers.
         * Without it (dev/test/local only) an ephemeral secret is generated at start-up.
         */
        Optional<String> secret();

        /** How long a first answer is replayed for the same Idempotency-Key. */
        @WithDefault("PT24H")
        Duration ttl();

        /** How long an unfinished request holds its key before a retry may take over. */
        @WithDefault("PT30S")
        Duration lease();
    }

    /** The license read model in PostgreSQL ({@code licensing.read-model.*}): reconciler, rebuild, export. */
    interface ReadModel {
        /**
         * How often each replica runs the reconciler (Quarkus scheduler syntax: {@code 60s}, {@code 5m}; {@code off}
         * disables the schedule, the admin endpoint still runs it).
         */
        @WithDefault("60s")
        String reconcileEvery();

        /**
         * A PENDING audit event older than this is a change whose request died: the reconciler completes it. Longer
         * than any request takes (DynamoDB timeouts included), so a change still in flight is left alone.
         */
        @WithDefault("PT2M")
        Duration reconcileOlderThan();

        /** At most this many PENDING events per reconciler run. */
        @WithDefault("500")
        int reconcileBatch();

        /** Licenses per DynamoDB Scan page of a rebuild (one PostgreSQL transaction and one progress row each). */
        @WithDefault("200")
        int rebuildPageSize();

        /** A RUNNING rebuild whose progress has not moved for this long is taken over by the next POST (a crash). */
        @WithDefault("PT1M")
        Duration rebuildLease();

        /** Rows per keyset page of a CSV export: memory stays flat at about one page. */
        @WithDefault("500")
        int exportPageSize();

        /**
         * How long a status history of all customers (back office; per months and product) is answered from memory:
         * at a million licenses its statement reads a year of status changes (about a second), and a dashboard asks
         * on every view. {@code PT0S} turns the cache off. A portal token's (one customer's) is never cached.
         */
        @WithDefault("PT30S")
        Duration statusHistoryCache();
    }

    /** The event feed and its outbox ({@code licensing.events.*}). */
    interface Events {
        /**
         * How long events stay in the feed (and can be replayed to webhooks). At least a few days: the webhook
         * deliveries of an event are retried for a day and go with it when it is deleted.
         */
        @WithDefault("P30D")
        Duration retention();

        /** How often each replica deletes events past their retention (scheduler syntax; {@code off}: never). */
        @WithDefault("1h")
        String pruneEvery();

        /** At most this many events per delete (one transaction each; a run repeats until none is left). */
        @WithDefault("5000")
        int pruneBatch();
    }

    /** Webhook delivery ({@code licensing.webhooks.*}; README "Webhooks"). */
    interface Webhooks {
        /**
         * Address ranges (CIDR, e.g. {@code 127.0.0.1/32}) an endpoint may resolve to although they are loopback,
         * private, link-local or otherwise internal. None in production; the tests allow {@code 127.0.0.1/32} for
         * their receivers.
         */
        Optional<java.util.List<String>> allowedRanges();

        /**
         * Key (base64, at least 32 bytes) that encrypts the endpoints' signing secrets in PostgreSQL (AES-256-GCM).
         * Without it the key is derived from {@code licensing.idempotency.secret} (HKDF, its own label), so no
         * deployment needs a new secret; set it to rotate the two independently. Changing it makes the stored
         * secrets unreadable: rotate every endpoint's secret then.
         */
        Optional<String> secretKey();

        /** Whether {@code http://} endpoints are accepted (local and test only); otherwise https only. */
        @WithDefault("false")
        boolean allowHttp();

        /** How often each replica looks for due deliveries (scheduler syntax; {@code off}: this replica sends none). */
        @WithDefault("2s")
        String pollEvery();

        /** Deliveries a replica takes per poll. */
        @WithDefault("50")
        int batch();

        /** Connect plus answer timeout of one attempt. */
        @WithDefault("PT10S")
        Duration timeout();

        /** The delay after the first failure; each further failure doubles it (with jitter), up to maxBackoff. */
        @WithDefault("PT10S")
        Duration firstBackoff();

        @WithDefault("PT1H")
        Duration maxBackoff();

        /** How long a delivery is retried before it is dead-lettered (and its endpoint, failing since, disabled). */
        @WithDefault("PT25H")
        Duration retryFor();

        /** How long the previous secret keeps signing (a second signature) after a rotation, by default. */
        @WithDefault("PT24H")
        Duration rotationOverlap();
    }
}
