package org.licensing.issuer.usage;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.licensing.core.problem.ProblemType;
import org.licensing.support.problem.Problems;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.OctetKeyPair;

import io.smallrye.mutiny.Uni;

/**
 * What the checkout feature asks of usage reporting: remember the relay key a relay checkout certifies (so the
 * site's reports can be verified later), and, where the policy requires usage reports, refuse a new relay checkout
 * for a site whose reports do not reach the previous one's issue time.
 *
 * <p>Why that point: a site hands in its latest report together with its checkout request, so it can never cover "now"
 * at the vendor; requiring reports up to the previous relay checkout's issue time means every renewal brings back at
 * least everything used before the checkout it replaces, so what a site has not reported is at most one checkout
 * period (which the vendor sets with {@code durationDays}). A site that reports at each renewal, as the relay's
 * walk-through says, is always covered up to the day it asked.
 */
@ApplicationScoped
public class RelayReporting {

    /** Longest relay key id the issuer stores ({@code relay_checkouts.relay_kid}). */
    public static final int MAX_RELAY_KID = 200;

    private final UsageStore store;

    public RelayReporting(UsageStore store) {
        this.store = store;
    }

    /** A relay key the issuer can store; checked before the checkout is written. */
    public static void requireStorable(OctetKeyPair relayKey) {
        if (relayKey.getKeyID().length() > MAX_RELAY_KID) {
            throw Problems.badRequest("relay_key kid is longer than " + MAX_RELAY_KID + " characters");
        }
    }

    /**
     * Inside the caller's transaction (the checkout's PENDING audit event, before the DynamoDB write): the relay
     * checkout and the key it certified. A retry of the same checkout replaces it.
     */
    public Uni<Void> recordRelayCheckout(String licenseId, String checkoutId, String fingerprint, long sequence,
            Instant issuedAt, Instant until, OctetKeyPair relayKey) {
        RelayCheckout c = new RelayCheckout();
        c.checkoutId = UUID.fromString(checkoutId);
        c.licenseId = UUID.fromString(licenseId);
        c.fingerprint = fingerprint;
        c.sequence = sequence;
        c.relayKid = relayKey.getKeyID();
        try {
            c.relayThumbprint = relayKey.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot compute the relay key's thumbprint", e);
        }
        c.relayKey = relayKey.toPublicJWK().toJSONString();
        c.issuedAt = issuedAt;
        c.until = until;
        return store.recordRelayCheckout(c);
    }

    /** Inside the caller's transaction (the checkout's event marked FAILED): the checkout never happened. */
    public Uni<Void> forgetRelayCheckout(String checkoutId) {
        return store.forgetRelayCheckout(UUID.fromString(checkoutId));
    }

    /**
     * Fails with 409 {@code usage-report-required} when the site {@code fingerprint} had a relay checkout of the
     * license and its accepted reports end before that checkout's issue time. A site's first relay checkout needs
     * none.
     */
    public Uni<Void> requireReportsForRenewal(String licenseId, String fingerprint) {
        UUID id = UUID.fromString(licenseId);
        return store.latestRelayCheckout(id, fingerprint).chain(previous -> {
            if (previous == null) {
                return Uni.createFrom().voidItem();
            }
            return store.reportedUntil(id, fingerprint).invoke(until -> {
                if (until == null || until.isBefore(previous.issuedAt)) {
                    var problem = Problems.builder(ProblemType.USAGE_REPORT_REQUIRED, "The license's policy requires"
                                    + " the site's usage reports before its relay checkout is renewed: send the relay's"
                                    + " reports (POST /v1/licenses/" + licenseId + "/usage-reports) up to at least "
                                    + previous.issuedAt + ", when its previous checkout " + previous.checkoutId
                                    + " was made; " + (until == null ? "none was received yet"
                                    : "they reach " + until))
                            .with("reportsRequiredUntil", previous.issuedAt.toString());
                    if (until != null) {
                        problem.with("reportedUntil", until.toString());
                    }
                    throw problem.build();
                }
            }).replaceWithVoid();
        });
    }
}
