package org.licensing.issuer.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.licensing.core.problem.ProblemType;
import org.licensing.issuer.config.IssuerConfig;
import org.licensing.support.problem.Problems;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;

/**
 * {@code Idempotency-Key} handling for every POST.
 *
 * <p>The record is keyed by (JWT subject, key). A retry with the same body gets the first answer again (marked
 * {@code Idempotent-Replayed: true}); the same key with another body gets 422; a retry while the first request is
 * still running gets 409 until its lease ends, then takes over.
 *
 * <p>Operations that must never run twice (issuing a license) pass a <em>plan</em>: everything the operation will
 * write, decided up front (license id, key, record, audit event id). The plan is stored (encrypted) before anything
 * is written, and executing it is idempotent, so a retry after a crash at any step re-executes the same plan and
 * ends with exactly one license and the same key.
 */
@ApplicationScoped
public class Idempotency {

    /** The request header naming a POST for retries. */
    public static final String KEY_HEADER = "Idempotency-Key";
    /** The answer header marking a replayed first answer. */
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    public static final int MAX_KEY_LENGTH = 255;

    private static final Logger LOG = Logger.getLogger(Idempotency.class);
    static final String UNREADABLE_DETAIL = "The answer stored for this Idempotency-Key can no longer be read (the"
            + " server's idempotency secret has changed since). Retry with a new Idempotency-Key; for an issue, first"
            + " check with GET /v1/licenses whether the earlier attempt created the license.";

    private final IdempotencyStore store;
    private final AnswerCipher cipher;
    private final ObjectMapper json;
    private final Clock clock;
    private final IssuerConfig config;

    public Idempotency(IdempotencyStore store, AnswerCipher cipher, ObjectMapper json, Clock clock,
            IssuerConfig config) {
        this.store = store;
        this.cipher = cipher;
        this.json = json;
        this.clock = clock;
        this.config = config;
    }

    /** The outcome of a POST: the answer and whether it is a replay of an earlier one. */
    public record Result(StoredAnswer answer, boolean replayed) {

        /** The HTTP answer: stored status, JSON body and Location; {@code Idempotent-Replayed: true} if replayed. */
        public Response toResponse() {
            Response.ResponseBuilder b = Response.status(answer.status()).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(answer.body());
            if (answer.location() != null) {
                b.header("Location", answer.location());
            }
            if (replayed) {
                b.header(REPLAYED_HEADER, "true");
            }
            return b.build();
        }
    }

    public static void validateKey(String key) {
        if (key == null) {
            return;
        }
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw Problems.of(ProblemType.INVALID_IDEMPOTENCY_KEY, "Idempotency-Key must be 1 to " + MAX_KEY_LENGTH + " characters");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw Problems.of(ProblemType.INVALID_IDEMPOTENCY_KEY, "Idempotency-Key must be printable ASCII without spaces");
            }
        }
    }

    /** SHA-256 over what identifies a request: method, path and body. */
    public String fingerprint(String method, String path, Object body, String extra) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((method + " " + path + "\n" + (extra == null ? "" : extra) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            sha.update(body == null ? new byte[0] : json.writeValueAsBytes(body));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sha.digest());
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The HTTP answer of a write under {@code key} (validated; null: no key) for {@code subject}: {@code action}'s
     * answer the first time, the stored one on a retry with the same method, path and body.
     */
    public Uni<Response> respond(String subject, String key, String method, String path, Object body,
            Supplier<Uni<StoredAnswer>> action) {
        validateKey(key);
        return run(subject, key, fingerprint(method, path, body, null), action).map(Result::toResponse);
    }

    /** Runs {@code action} at most once per (actor, key) and replays its answer; no key: just runs it. */
    public Uni<Result> run(String actor, String key, String fingerprint, Supplier<Uni<StoredAnswer>> action) {
        if (key == null) {
            return action.get().map(a -> new Result(a, false));
        }
        return runPlanned(actor, key, fingerprint, () -> Uni.createFrom().nullItem(), plan -> action.get());
    }

    /**
     * Like {@link #run} for an operation split into {@code prepare} (reads only, returns the plan as bytes, or null
     * for none) and {@code execute} (idempotent given the same plan).
     */
    public Uni<Result> runPlanned(String actor, String key, String fingerprint, Supplier<Uni<byte[]>> prepare,
            Function<byte[], Uni<StoredAnswer>> execute) {
        if (key == null) {
            return prepare.get().chain(plan -> execute.apply(plan)).map(a -> new Result(a, false));
        }
        String pk = IdempotencyStore.pk(actor, key);
        return attempt(pk, key, fingerprint, prepare, execute, true);
    }

    private Uni<Result> attempt(String pk, String key, String fingerprint, Supplier<Uni<byte[]>> prepare,
            Function<byte[], Uni<StoredAnswer>> execute, boolean mayCreate) {
        Instant now = clock.instant();
        return store.find(pk, now).chain(found -> {
            if (found.isPresent()) {
                return resume(found.get(), key, fingerprint, prepare, execute);
            }
            if (!mayCreate) {
                throw Problems.of(ProblemType.IDEMPOTENCY_REQUEST_IN_PROGRESS, "A request with this Idempotency-Key is in progress; retry later");
            }
            return prepare.get().chain(plan -> {
                byte[] sealedPlan = plan == null ? null : cipher.encrypt(pk, key, plan);
                IdempotencyRecord rec = new IdempotencyRecord(pk, fingerprint, IdempotencyRecord.State.IN_PROGRESS,
                        sealedPlan, now.plus(config.idempotency().lease()).toEpochMilli(),
                        now.plus(config.idempotency().ttl()).getEpochSecond());
                return store.tryCreate(rec, now).chain(created -> created
                        ? executeAndComplete(pk, key, plan, execute)
                        : attempt(pk, key, fingerprint, prepare, execute, false));
            });
        });
    }

    private Uni<Result> resume(IdempotencyRecord rec, String key, String fingerprint, Supplier<Uni<byte[]>> prepare,
            Function<byte[], Uni<StoredAnswer>> execute) {
        if (!MessageDigest.isEqual(rec.fingerprint().getBytes(StandardCharsets.US_ASCII),
                fingerprint.getBytes(StandardCharsets.US_ASCII))) {
            throw Problems.of(ProblemType.IDEMPOTENCY_KEY_REUSED, "This Idempotency-Key was used for a different request; use a new key for a new request");
        }
        if (rec.state() == IdempotencyRecord.State.UNREADABLE) {
            throw Problems.of(ProblemType.IDEMPOTENT_ANSWER_UNREADABLE, UNREADABLE_DETAIL);
        }
        try {
            if (rec.state() == IdempotencyRecord.State.COMPLETED) {
                return Uni.createFrom().item(new Result(readAnswer(rec.pk(), key, rec.payload()), true));
            }
            if (rec.payload() != null) {
                // An unfinished planned operation (e.g. a crash mid-issue): finish the very same plan.
                byte[] plan = cipher.decrypt(rec.pk(), key, rec.payload());
                return executeAndComplete(rec.pk(), key, plan, execute).map(r -> new Result(r.answer(), true));
            }
        } catch (UnreadableAnswerException e) {
            return unreadable(rec);
        }
        Instant now = clock.instant();
        if (rec.lockedUntilMillis() > now.toEpochMilli()) {
            throw Problems.of(ProblemType.IDEMPOTENCY_REQUEST_IN_PROGRESS, "A request with this Idempotency-Key is in progress; retry later");
        }
        long until = now.plus(config.idempotency().lease()).toEpochMilli();
        return store.takeOver(rec.pk(), now, until).chain(taken -> {
            if (!taken) {
                throw Problems.of(ProblemType.IDEMPOTENCY_REQUEST_IN_PROGRESS, "A request with this Idempotency-Key is in progress; retry later");
            }
            return executeAndComplete(rec.pk(), key, null, execute);
        });
    }

    /**
     * A payload sealed under another secret can never be read with this key: a 422 that tells the client to use a
     * new key (a 500 would have it retry the same key forever). Logged by the one request that marks the record.
     */
    private Uni<Result> unreadable(IdempotencyRecord rec) {
        return store.markUnreadable(rec.pk()).map(first -> {
            if (first) {
                LOG.warnf("Idempotency record %s (%s) cannot be decrypted with the current"
                        + " licensing.idempotency.secret (rotated, or regenerated at start-up without a configured"
                        + " one): its retries now get 422 idempotent-answer-unreadable.%s", rec.pk(), rec.state(),
                        rec.state() == IdempotencyRecord.State.IN_PROGRESS
                                ? " It held an unfinished plan: a PENDING audit event, if any, is the reconciler's."
                                : "");
            }
            throw Problems.of(ProblemType.IDEMPOTENT_ANSWER_UNREADABLE, UNREADABLE_DETAIL);
        });
    }

    private Uni<Result> executeAndComplete(String pk, String key, byte[] plan,
            Function<byte[], Uni<StoredAnswer>> execute) {
        return Uni.createFrom().deferred(() -> execute.apply(plan))
                .onFailure().call(error -> plan == null ? store.release(pk) : Uni.createFrom().voidItem())
                .chain(answer -> store.complete(pk, cipher.encrypt(pk, key, writeAnswer(answer)))
                        .replaceWith(new Result(answer, false)));
    }

    private byte[] writeAnswer(StoredAnswer answer) {
        try {
            return json.writeValueAsBytes(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private StoredAnswer readAnswer(String pk, String key, byte[] sealed) {
        try {
            return json.readValue(cipher.decrypt(pk, key, sealed), StoredAnswer.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
