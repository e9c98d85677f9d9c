package org.licensing.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/** Command-line validation: every mistake is exit 2 before anything is sent. */
class ArgumentsTest {

    /** An issuer that counts what reaches it (and answers 500): a mistake must never get that far. */
    private static HttpServer issuer;
    private static final AtomicInteger REQUESTS = new AtomicInteger();
    private static Map<String, String> env;

    @BeforeAll
    static void start() throws IOException {
        issuer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer.createContext("/", ex -> {
            REQUESTS.incrementAndGet();
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        issuer.start();
        env = Map.of("LICENSECTL_CONFIG", "/nonexistent/licensectl.json",
                "LICENSECTL_URL", "http://127.0.0.1:" + issuer.getAddress().getPort(), "LICENSECTL_TOKEN", "t.t.t");
    }

    @AfterAll
    static void stop() {
        issuer.stop(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "frobnicate",
        "licenses",
        "licenses list --customer C1 --limit 0",
        "licenses list --limit 101",
        "licenses search --status NOPE",
        "licenses search --status ACTIVE,NOPE",
        "licenses search --customer C1 --expiring-before yesterday",
        "licenses list --expires-after 2027-13-01",
        "licenses list --expiring-within 30",
        "licenses list --expiring-within 0d",
        "licenses list --expiring-within -7d",
        "licenses list --expiring-within 30x",
        "licenses list --expiring-within 1y",
        "licenses list --expiring-within 7d --expires-before 2027-01-01",
        "licenses list --expiring-within 7d --expires-after 2027-01-01",
        "licenses list --expires-after 2027-02-01 --expires-before 2027-01-01",
        "licenses list --issued-after 2027-01-01 --issued-before 2027-01-01",
        "licenses list --min-limit cuda.device",
        "licenses list --min-limit cuda.device:eight",
        "licenses list --min-limit :8",
        "licenses list --min-limit cuda.device:-1",
        "licenses list --min-limit cuda.shares:0.1234567",
        "licenses list --policy P1",
        "licenses list --customer not-a-uuid",
        "licenses list --product GPU_Cluster",
        "licenses list --sort price",
        "licenses list --order up",
        "licenses list --csv --all",
        "licenses list --csv --limit 5",
        "licenses list --csv --cursor abc",
        "licenses list --csv --json",
        "licenses list --output licenses.csv",
        "licenses search acme --query acme",
        "licenses search acme globex",
        "licenses stats --sort expiresAt",
        "licenses stats --expiring-within soon",
        "licenses show",
        "licenses issue --customer not-a-uuid --policy 9d7c2c0e-7a1b-4c55-8f0e-2b6a1d3c4e5f",
        "licenses issue --customer 9d7c2c0e-7a1b-4c55-8f0e-2b6a1d3c4e5f",
        "licenses issue --customer 9d7c2c0e-7a1b-4c55-8f0e-2b6a1d3c4e5f --policy 9d7c2c0e-7a1b-4c55-8f0e-2b6a1d3c4e5f"
                + " --expires-at 2027-01-01 --duration-days 30",
        "licenses issue --customer 9d7c2c0e-7a1b-4c55-8f0e-2b6a1d3c4e5f --policy 9d7c2c0e-7a1b-4c55-8f0e-2b6a1d3c4e5f"
                + " --feature sso=maybe",
        "licenses issue --customer 9d7c2c0e-7a1b-4c55-8f0e-2b6a1d3c4e5f --policy 9d7c2c0e-7a1b-4c55-8f0e-2b6a1d3c4e5f"
                + " --limit gpus=eight",
        "licenses renew L1",
        "licenses renew L1 --extend-days 30 --expires-at 2027-01-01",
        "licenses renew L1 --extend-days thirty",
        "licenses renew L1 --extend-days 30 --idempotency-key has space",
        "licenses suspend",
        "licenses file L1 --license-key not-a-key",
        "login --url http://localhost:8080",
        "login --token abc",
        "login --url ftp://example.com --token abc",
        "verify",
        "verify license.lic",
        "verify license.lic --jwks /nonexistent/jwks.json",
    })
    void mistakesAreUsageErrors(String line) {
        int before = REQUESTS.get();
        Run r = Run.of(env, line.isEmpty() ? new String[0] : line.split(" "));
        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.out().isEmpty(), r::toString);
        assertFalse(r.err().isBlank(), r::toString);
        assertEquals(before, REQUESTS.get(), "nothing sent for: " + line);
    }

    @Test
    void aBadTimeoutIsAUsageError() {
        Map<String, String> e = new HashMap<>(env);
        e.put(Config.TIMEOUT_ENV, "soon");
        Run r = Run.of(e, "licenses", "show", "L1");
        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("LICENSECTL_TIMEOUT: 'soon' is not a duration"), r::toString);
    }

    @Test
    void helpAndVersionExitZero() {
        Run help = Run.of(env, "--help");
        assertEquals(0, help.code(), help::toString);
        assertTrue(help.out().contains("licenses") && help.out().contains("Exit codes"), help::toString);
        assertTrue(help.out().contains("${LICENSECTL_CONFIG:-"), help::toString);
        assertEquals(0, Run.of(env, "--version").code());
        assertEquals(0, Run.of(env, "licenses", "issue", "--help").code());
        assertEquals(0, Run.of(env, "licenses", "search", "--help").code());
    }

    @Test
    void unreachableIssuerIsOtherError() throws IOException {
        // A port this test bound and closed: nothing listens there now (the kernel does not hand a just-released
        // ephemeral port out again at once), unlike a fixed port someone may be using.
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Map<String, String> e = new HashMap<>(env);
        e.put("LICENSECTL_URL", "http://127.0.0.1:" + closed);
        Run r = Run.of(e, "licenses", "show", "L1");
        assertEquals(ExitCodes.OTHER, r.code(), r::toString);
        assertTrue(r.err().contains("Cannot reach the issuer"), r::toString);
    }
}
