package org.licensing.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.licensing.cli.StandInIssuer.Reply;

/**
 * The README's exit-code table, one issuer answer at a time, for a read and for a change; and a timeout: an
 * issuer that accepts the request and never answers (LICENSECTL_TIMEOUT bounds the wait).
 */
class ExitCodesTest {

    private StandInIssuer issuer;
    private Map<String, String> env;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        issuer = new StandInIssuer();
        env = Map.of("LICENSECTL_CONFIG", "/nonexistent/licensectl.json", "LICENSECTL_URL", issuer.url(),
                "LICENSECTL_TOKEN", "t.t.t", Config.TIMEOUT_ENV, "1s");
    }

    @AfterEach
    void stop() {
        release.countDown();
        issuer.close();
    }

    @ParameterizedTest(name = "{0} {1} -> exit {3}")
    @CsvSource({
        "400, invalid-request, Invalid request, 2",
        "401, unauthorized, Unauthorized, 3",
        "403, forbidden, Forbidden, 3",
        "404, not-found, Not found, 4",
        "409, stale-version, Stale version, 5",
        "412, precondition-failed, Precondition failed, 5",
        "422, idempotency-key-reused, Idempotency-Key reused, 1",
        "429, rate-limited, Too many requests, 1",
        "500, internal-error, Internal error, 1",
        "503, store-unavailable, License store unavailable, 1",
    })
    void problemAnswersMapToTheDocumentedExitCodes(int status, String type, String title, int exit) {
        Reply problem = Reply.problem(status, type, title, "the detail");
        issuer.on("GET /v1/licenses/L1", problem).on("POST /v1/licenses/L1/renew", problem)
                .on("GET /v1/licenses", problem);
        for (String[] args : new String[][] {{"licenses", "show", "L1"}, {"licenses", "list", "--query", "acme"},
            {"licenses", "renew", "L1", "--extend-days", "30"}}) {
            Run r = Run.of(env, args);
            assertEquals(exit, r.code(), () -> String.join(" ", args) + "\n" + r);
            assertTrue(r.err().contains("licensectl: " + title + ": the detail\n"), r::toString);
            assertTrue(r.out().isEmpty(), r::toString);
            // Only when the change may not have happened (no answer, 429, 5xx) is a retry with the same key offered.
            assertEquals(args[1].equals("renew") && (status >= 500 || status == 429),
                    r.err().contains("add --idempotency-key"), r::toString);
        }
    }

    @Test
    void anAnswerThatIsNotAProblemStillMapsByStatus() {
        issuer.on("GET /v1/licenses/L1", new Reply(404, "text/html", "<h1>no</h1>"));
        Run r = Run.of(env, "licenses", "show", "L1");
        assertEquals(ExitCodes.NOT_FOUND, r.code(), r::toString);
        assertTrue(r.err().contains("Not Found (HTTP 404)"), r::toString);
    }

    @Test
    void anUnreadableStoredAnswerSaysToCheckBeforeRetryingWithANewKey() {
        issuer.on("POST /v1/licenses/L1/revoke", Reply.problem(422, "idempotent-answer-unreadable",
                "Stored answer unreadable", "retry with a new Idempotency-Key"));
        Run r = Run.of(env, "licenses", "revoke", "L1", "--idempotency-key", "k-1");
        assertEquals(ExitCodes.OTHER, r.code(), r::toString);
        assertTrue(r.err().contains("licenses show"), r::toString);
        assertFalse(r.err().contains("add --idempotency-key"), "the old key cannot help: " + r);
    }

    @Test
    void aReadThatTimesOutIsExitOne() throws Exception {
        issuer.on("GET /v1/licenses/L1", s -> hold());
        Run r = Run.of(env, "licenses", "show", "L1");
        assertEquals(ExitCodes.OTHER, r.code(), r::toString);
        assertTrue(r.err().contains("did not answer in time (/v1/licenses/L1, 1s; set LICENSECTL_TIMEOUT"),
                r::toString);
        assertEquals(1, issuer.seen().size(), "the request reached the issuer");
    }

    @Test
    void aChangeThatTimesOutPrintsTheKeyToRetryWith() {
        issuer.on("POST /v1/licenses/L1/suspend", s -> hold());
        Run r = Run.of(env, "licenses", "suspend", "L1", "--reason", "payment overdue");
        assertEquals(ExitCodes.OTHER, r.code(), r::toString);
        assertTrue(r.err().contains("did not answer in time"), r::toString);
        String sent = issuer.last().header("Idempotency-Key");
        assertNotNull(sent);
        assertTrue(r.err().contains("add --idempotency-key " + sent), "the key the issuer saw: " + r);
    }

    @Test
    void aCsvExportThatTimesOutIsExitOne() {
        issuer.on("GET /v1/licenses.csv", s -> hold());
        Run r = Run.of(env, "licenses", "list", "--csv");
        assertEquals(ExitCodes.OTHER, r.code(), r::toString);
        assertTrue(r.err().contains("did not answer in time"), r::toString);
    }

    /** Holds the answer back until the test is over, far past the client's timeout. */
    private Reply hold() {
        try {
            release.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Reply.json("{}");
    }
}
