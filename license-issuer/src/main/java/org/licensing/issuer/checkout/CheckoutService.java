package org.licensing.issuer.checkout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.licensing.core.checkout.CheckoutDocument;
import org.licensing.core.checkout.CheckoutFiles;
import org.licensing.core.checkout.CheckoutRequest;
import org.licensing.core.checkout.CheckoutReturn;
import org.licensing.core.checkout.Fingerprint;
import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.license.LicenseStatus;
import org.licensing.core.problem.ProblemType;
import org.licensing.issuer.audit.AuditAction;
import org.licensing.issuer.audit.AuditEvent;
import org.licensing.issuer.audit.AuditLog;
import org.licensing.issuer.catalog.CatalogStore;
import org.licensing.issuer.catalog.Policy;
import org.licensing.issuer.config.IssuerConfig;
import org.licensing.issuer.license.LicenseFileService;
import org.licensing.issuer.security.Caller;
import org.licensing.issuer.security.LicenseVisibility;
import org.licensing.issuer.usage.RelayReporting;
import org.licensing.store.Activation;
import org.licensing.store.Checkout;
import org.licensing.store.CheckoutStore;
import org.licensing.store.LicenseRecord;
import org.licensing.store.LicenseStore;
import org.licensing.support.async.Async;
import org.licensing.support.problem.Problems;

import com.fasterxml.jackson.databind.JsonNode;

import com.nimbusds.jose.jwk.OctetKeyPair;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkiverse.resteasy.problem.HttpProblem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Checkouts of a license: each attempt reads the record (one consistent GetItem), decides, and writes one conditional
 * UpdateItem ({@link CheckoutStore}) that takes the seat, the next sequence number and the checkout entry together;
 * when the condition fails (a concurrent checkout, activation or status change) it reads again and decides again, a
 * bounded number of times. The seat limit is the validator's {@code maxActivations}, over one map, so checkouts and
 * online activations together never exceed it.
 *
 * <p>The file is signed, then encrypted under the license key's stored hash and the fingerprint
 * ({@link CheckoutFiles#encrypt}): the issuer never needs the customer's key, and only the key holder on that machine
 * opens it. Every checkout, return and unbound file follows the licenses' protocol: its audit event is written PENDING
 * before the DynamoDB write (revised when a lost condition makes an attempt decide again), COMMITTED after it, FAILED
 * when it was refused; a crash in between leaves the PENDING event for the reconciler (readmodel.Reconciler), which
 * decides it from the checkout entry and sequence number of the license item. A checkout is therefore never without
 * its event, and so without its published event.
 */
@ApplicationScoped
public class CheckoutService {

    static final int ATTEMPTS = 8;

    private final LicenseVisibility visibility;
    private final LicenseStore store;
    private final CheckoutStore checkouts;
    private final CatalogStore catalog;
    private final AuditLog audit;
    private final SigningKeys keys;
    private final IssuerConfig config;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final RelayReporting reporting;

    public CheckoutService(LicenseVisibility visibility, LicenseStore store, CheckoutStore checkouts,
            CatalogStore catalog, AuditLog audit, SigningKeys keys, IssuerConfig config, Clock clock,
            MeterRegistry metrics, RelayReporting reporting) {
        this.visibility = visibility;
        this.store = store;
        this.checkouts = checkouts;
        this.catalog = catalog;
        this.audit = audit;
        this.keys = keys;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        this.reporting = reporting;
    }

    /** A checkout of license {@code licenseId} for the machine of {@code body.request()}. */
    public Uni<IssuedCheckout> checkOut(String licenseId, CheckoutBody body, Caller caller) {
        CheckoutRequest request = parseRequest(body.request());
        // fixed across attempts: the PENDING event and a relay checkout's row are revised, never duplicated
        Pending pending = new Pending(UUID.randomUUID(), UUID.randomUUID().toString(), caller, body.reason(),
                request.relayKey());
        return visibility.visibleLicense(licenseId, caller).chain(license -> {
            if (!request.licenseId().toString().equals(license.licenseId())) {
                throw Problems.of(ProblemType.CHECKOUT_REQUEST_MISMATCH, "The checkout request is for license "
                        + request.licenseId() + ", not " + license.licenseId());
            }
            if (!request.productCode().equals(license.productCode())) {
                throw Problems.of(ProblemType.CHECKOUT_REQUEST_MISMATCH, "The checkout request is for product "
                        + request.productCode() + "; license " + license.licenseId() + " is for "
                        + license.productCode());
            }
            requireUsable(license);
            return policyOf(license).chain(policy -> {
                int maxDays = policy == null ? Policy.DEFAULT_MAX_CHECKOUT_DAYS : policy.maxCheckoutDays;
                if (body.durationDays() > maxDays) {
                    throw Problems.badRequest("durationDays " + body.durationDays() + " is longer than the policy's"
                            + " longest checkout (maxCheckoutDays " + maxDays + ")");
                }
                Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
                Instant until = now.plus(Duration.ofDays(body.durationDays()));
                if (until.isAfter(license.graceEndsAt())) {
                    throw Problems.badRequest("A checkout of " + body.durationDays() + " days would run past the"
                            + " license's end (expiry + grace: " + license.graceEndsAt() + "); at most "
                            + Math.max(0, Duration.between(now, license.graceEndsAt()).toDays()) + " days");
                }
                if (request.relayKey() == null) {
                    return pending.refusedFails(attempt(license, request, now, until, pending, 1));
                }
                RelayReporting.requireStorable(request.relayKey());
                Uni<Void> reported = policy != null && policy.requireUsageReports
                        ? reporting.requireReportsForRenewal(license.licenseId(), request.fingerprint())
                        : Uni.createFrom().voidItem();
                return reported.chain(() -> pending.refusedFails(
                        attempt(license, request, now, until, pending, 1)));
            });
        }).chain(written -> {
            LicenseRecord r = written.license();
            Checkout c = written.checkout();
            CheckoutDocument doc = new CheckoutDocument(UUID.fromString(c.checkoutId()),
                    LicenseFileService.documentOf(r), c.fingerprint(), c.sequence(), c.issuedAt(), c.until(),
                    request.relayKey());
            return pending.commit()
                    .invoke(() -> metrics.counter("licensing.checkouts", "action", "checkout").increment())
                    .replaceWith(() -> issued(r, doc));
        });
    }

    /** The checkouts of a license, newest first. */
    public Uni<List<CheckoutView>> list(String licenseId, Caller caller) {
        return visibility.visibleLicense(licenseId, caller).map(r -> {
            Instant now = clock.instant();
            return r.checkouts().values().stream()
                    .sorted(Comparator.comparingLong(Checkout::sequence).reversed())
                    .map(c -> CheckoutView.of(r.licenseId(), c, now))
                    .toList();
        });
    }

    /** An operator returns the latest checkout of {@code fingerprint} (the machine is gone or its file deleted). */
    public Uni<CheckoutView> returnByFingerprint(String licenseId, String fingerprint, String reason, Caller caller) {
        if (!Fingerprint.isWellFormed(fingerprint)) {
            throw Problems.badRequest("fingerprint must be 1-" + Fingerprint.MAX_LENGTH
                    + " printable ASCII characters without spaces");
        }
        return visibility.visibleLicense(licenseId, caller).chain(license -> {
            Checkout c = license.checkouts().get(fingerprint);
            if (c == null || c.returnedAt() != null) {
                throw Problems.of(ProblemType.CHECKOUT_NOT_FOUND, "License " + license.licenseId()
                        + " has no unreturned checkout for machine " + fingerprint);
            }
            return giveBack(license, c, reason, caller);
        });
    }

    /** The machine's own return file: authentic only if made with the license's current key on that machine. */
    public Uni<CheckoutView> returnByFile(String licenseId, ReturnBody body, Caller caller) {
        CheckoutReturn ret;
        try {
            ret = CheckoutReturn.parse(textOf(body.returnFile()));
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest(e.getMessage());
        }
        return visibility.visibleLicense(licenseId, caller).chain(license -> {
            if (!ret.licenseId().toString().equals(license.licenseId())) {
                throw Problems.of(ProblemType.INVALID_CHECKOUT_RETURN, "The return file is for license "
                        + ret.licenseId() + ", not " + license.licenseId());
            }
            if (!ret.verify(license.keyHash())) {
                throw Problems.of(ProblemType.INVALID_CHECKOUT_RETURN, "The return file was not made with this"
                        + " license's current key on machine " + ret.fingerprint() + " (another key, or an altered"
                        + " file)");
            }
            Checkout c = license.checkouts().get(ret.fingerprint());
            if (c == null || !c.checkoutId().equals(ret.checkoutId().toString()) || c.sequence() != ret.sequence()) {
                throw Problems.of(ProblemType.INVALID_CHECKOUT_RETURN, "The return file names checkout "
                        + ret.checkoutId() + " (seq " + ret.sequence() + ") of machine " + ret.fingerprint()
                        + ", which is not that machine's latest checkout");
            }
            if (c.returnedAt() != null) {
                // The same file again: it changes nothing.
                return Uni.createFrom().item(CheckoutView.of(license.licenseId(), c, clock.instant()));
            }
            return giveBack(license, c, null, caller);
        });
    }

    /**
     * A license file bound to no machine: only where the license's policy allows them. It is a checkout without
     * {@code fp} (encrypted under the key's hash, running to the license's expiry + grace), taking a sequence number
     * but no seat.
     */
    public Uni<IssuedCheckout> unboundFile(String licenseId, Caller caller) {
        Pending pending = new Pending(UUID.randomUUID(), UUID.randomUUID().toString(), caller, null, null);
        return visibility.visibleLicense(licenseId, caller).chain(license -> {
            requireUsable(license);
            return policyOf(license).chain(policy -> {
                if (policy == null || !policy.allowUnboundFiles) {
                    throw Problems.of(ProblemType.UNBOUND_FILES_DISABLED, "The policy of license "
                            + license.licenseId() + " allows no license file bound to no machine; make a checkout"
                            + " (POST /v1/licenses/" + license.licenseId() + "/checkouts) for the machine instead");
                }
                return pending.refusedFails(takeSequence(license.licenseId(), pending, 1));
            });
        }).chain(r -> {
            // the document is made from the record the sequence was written on, with the number it took
            CheckoutDocument doc = new CheckoutDocument(UUID.fromString(pending.checkoutId),
                    LicenseFileService.documentOf(r), null, r.checkoutSequence(), fileIssuedAt(), r.graceEndsAt(),
                    null);
            IssuedCheckout file = issued(r, doc);
            return pending.commit()
                    .invoke(() -> metrics.counter("licensing.checkouts", "action", "unbound-file").increment())
                    .replaceWith(file);
        });
    }

    private record Written(LicenseRecord license, Checkout checkout) {
    }

    private Uni<Written> attempt(LicenseRecord license, CheckoutRequest request, Instant now, Instant until,
            Pending pending, int attempt) {
        String licenseId = license.licenseId();
        String fp = request.fingerprint();
        return Async.of(() -> store.find(licenseId)).chain(found -> {
            LicenseRecord r = found.orElseThrow(() -> Problems.notFound("License " + licenseId));
            requireUsable(r);
            Map<String, Activation> counting = r.countingSeats(now);
            List<String> ended = r.activations().keySet().stream().filter(f -> !counting.containsKey(f)).toList();
            if (!ended.isEmpty()) {
                // Seats that no longer count (ended checkouts, lapsed floating seats): free them, then decide again.
                return Async.of(() -> checkouts.pruneSeats(licenseId, ended, r.heartbeatCutoff(now), now))
                        .chain(ignored -> retry(attempt,
                                () -> attempt(license, request, now, until, pending, attempt + 1)));
            }
            boolean replaces = r.activations().containsKey(fp);
            if (!replaces && r.maxActivations() > 0 && r.activations().size() >= r.maxActivations()) {
                throw Problems.builder(ProblemType.TOO_MANY_ACTIVATIONS, "License " + licenseId + " has "
                                + r.maxActivations() + " seats and all are taken (activations and checkouts); return"
                                + " a checkout or deactivate a machine first")
                        .with("maxActivations", r.maxActivations())
                        .build();
            }
            Checkout checkout = new Checkout(fp, pending.checkoutId, r.checkoutSequence() + 1, now, until,
                    null, request.label());
            AuditEvent event = pending.event(AuditAction.LICENSE_CHECKED_OUT, r)
                    .after(CheckoutView.of(licenseId, checkout, now)).build();
            return pending.write(event, checkout)
                    .chain(() -> Async.of(() -> checkouts.checkOut(licenseId, checkout, r.checkoutSequence(),
                            r.maxActivations(), replaces)))
                    .chain(updated -> updated == null
                            ? retry(attempt, () -> attempt(license, request, now, until, pending, attempt + 1))
                            : Uni.createFrom().item(new Written(updated, checkout)));
        });
    }

    private Uni<LicenseRecord> takeSequence(String licenseId, Pending pending, int attempt) {
        return Async.of(() -> store.find(licenseId)).chain(found -> {
            LicenseRecord r = found.orElseThrow(() -> Problems.notFound("License " + licenseId));
            requireUsable(r);
            Instant now = fileIssuedAt();
            if (!r.graceEndsAt().isAfter(now)) {
                throw Problems.invalidTransition("License " + r.licenseId() + " has ended (expiry + grace "
                        + r.graceEndsAt() + "); it has no license file");
            }
            AuditEvent event = pending.event(AuditAction.LICENSE_FILE_ISSUED, r)
                    .after(Map.of("checkoutId", pending.checkoutId, "sequence", r.checkoutSequence() + 1,
                            "until", r.graceEndsAt().toString()))
                    .build();
            return pending.write(event, null)
                    .chain(() -> Async.of(() -> checkouts.takeSequence(licenseId, r.checkoutSequence())))
                    .chain(updated -> updated == null
                            ? retry(attempt, () -> takeSequence(licenseId, pending, attempt + 1))
                            : Uni.createFrom().item(updated));
        });
    }

    /** An unbound file's issue time: now, to the second (a JWT's {@code iat}). */
    private Instant fileIssuedAt() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private Uni<CheckoutView> giveBack(LicenseRecord license, Checkout c, String reason, Caller caller) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Pending pending = new Pending(UUID.randomUUID(), c.checkoutId(), caller, reason, null);
        CheckoutView view = CheckoutView.of(license.licenseId(), c.returned(now), now);
        AuditEvent event = pending.event(AuditAction.LICENSE_CHECKOUT_RETURNED, license)
                .before(CheckoutView.of(license.licenseId(), c, now)).after(view).build();
        return pending.refusedFails(pending.write(event, null)
                        .chain(() -> Async.of(() -> checkouts.returnCheckout(license.licenseId(), c.fingerprint(),
                                c.checkoutId(), now)))
                        .invoke(updated -> {
                            if (updated == null) {
                                throw Problems.of(ProblemType.CONFLICT, "Checkout " + c.checkoutId() + " of machine "
                                        + c.fingerprint() + " changed meanwhile (returned, or checked out again);"
                                        + " read the checkouts and retry");
                            }
                        }))
                .chain(pending::commit)
                .invoke(() -> metrics.counter("licensing.checkouts", "action", "return").increment())
                .replaceWith(view);
    }

    /**
     * One change's audit event through the protocol: {@link #write} PENDING (with a relay checkout's key) before
     * each DynamoDB attempt, {@link #commit} after the write, FAILED when it was refused ({@link #refusedFails}).
     */
    private final class Pending {

        final UUID eventId;
        final String checkoutId;
        final String actor;
        final String address;
        final String reason;
        final OctetKeyPair relayKey;

        Pending(UUID eventId, String checkoutId, Caller caller, String reason, OctetKeyPair relayKey) {
            this.eventId = eventId;
            this.checkoutId = checkoutId;
            this.actor = caller.actor();
            this.address = caller.clientAddress();
            this.reason = reason;
            this.relayKey = relayKey;
        }

        AuditLog.EventBuilder event(AuditAction action, LicenseRecord license) {
            return audit.event(action).id(eventId).actor(actor).clientAddress(address).target(license.licenseId())
                    .customer(license.customerId()).reason(reason);
        }

        /** Before the DynamoDB write. A relay checkout's key is kept with it, so reports can be verified later. */
        Uni<Void> write(AuditEvent event, Checkout c) {
            return Panache.withTransaction(() -> audit.writePending(event).call(() -> relayKey == null || c == null
                    ? Uni.createFrom().voidItem()
                    : reporting.recordRelayCheckout(event.targetId, c.checkoutId(), c.fingerprint(), c.sequence(),
                            c.issuedAt(), c.until(), relayKey)));
        }

        Uni<Void> commit() {
            return Panache.withTransaction(() -> audit.commitPending(eventId));
        }

        /**
         * A refusal (a problem answer: seats taken, a lost condition too often, a status) wrote nothing: FAILED. Any
         * other failure (DynamoDB's answer lost) leaves the event PENDING for the reconciler to decide.
         */
        <T> Uni<T> refusedFails(Uni<T> change) {
            return change.onFailure(HttpProblem.class).call(() -> Panache.withTransaction(() -> audit.fail(eventId)
                    .call(() -> relayKey == null ? Uni.createFrom().voidItem()
                            : reporting.forgetRelayCheckout(checkoutId))));
        }
    }

    private IssuedCheckout issued(LicenseRecord r, CheckoutDocument doc) {
        String jws = CheckoutFiles.sign(doc, config.signing().issuer(), keys);
        String jwe = CheckoutFiles.encrypt(jws, UUID.fromString(r.licenseId()), r.keyHash(), doc.fingerprint());
        String name = r.licenseId() + (doc.bound() ? "-" + doc.sequence() + ".checkout" : ".lic.jwe");
        return new IssuedCheckout(r.licenseId(), doc.checkoutId().toString(), doc.fingerprint(), doc.sequence(),
                doc.issuedAt(), doc.until(), keys.activeKid(), name, jwe);
    }

    private Uni<Policy> policyOf(LicenseRecord license) {
        if (license.policyId() == null) {
            return Uni.createFrom().nullItem();
        }
        return catalog.policy(UUID.fromString(license.policyId()));
    }

    /** 409 with the license's own problem type: a suspended or revoked license gets no file. */
    static void requireUsable(LicenseRecord license) {
        if (license.status() == LicenseStatus.REVOKED) {
            throw Problems.of(ProblemType.LICENSE_REVOKED, "License " + license.licenseId()
                    + " is revoked; it gets no checkout or license file");
        }
        if (license.status() == LicenseStatus.SUSPENDED) {
            throw Problems.of(ProblemType.LICENSE_SUSPENDED, "License " + license.licenseId()
                    + " is suspended; it gets no checkout or license file until it is reinstated");
        }
    }

    private static <T> Uni<T> retry(int attempt, Supplier<Uni<T>> next) {
        if (attempt >= ATTEMPTS) {
            return Uni.createFrom().failure(Problems.builder(ProblemType.LICENSE_BUSY,
                    "The license was changed concurrently too many times; retry.").withHeader("Retry-After", 1).build());
        }
        return next.get();
    }

    static CheckoutRequest parseRequest(JsonNode node) {
        try {
            return CheckoutRequest.parse(textOf(node));
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest(e.getMessage());
        }
    }

    /** A JSON string member is the file's text; an object member is the file itself. */
    private static String textOf(JsonNode node) {
        return node.isTextual() ? node.textValue() : node.toString();
    }
}
