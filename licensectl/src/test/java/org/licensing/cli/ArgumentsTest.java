package org.licensing.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Command-line validation: every mistake is exit 2 before anything is sent. */
class ArgumentsTest {

    /** No config and no reachable issuer: a request would fail with another code. */
    private static final Map<String, String> ENV = Map.of("LICENSECTL_CONFIG", "/nonexistent/licensectl.json",
            "LICENSECTL_URL", "http://127.0.0.1:9", "LICENSECTL_TOKEN", "t.t.t");

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "frobnicate",
        "licenses",
        "licenses list",
        "licenses list --customer C1 --limit 0",
        "licenses list --customer C1 --limit 101",
        "licenses search --status ACTIVE",
        "licenses search --customer C1 --status NOPE",
        "licenses search --customer C1 --expiring-before yesterday",
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
        Run r = Run.of(ENV, line.isEmpty() ? new String[0] : line.split(" "));
        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.out().isEmpty(), r::toString);
    }

    @Test
    void helpAndVersionExitZero() {
        Run help = Run.of(ENV, "--help");
        assertEquals(0, help.code(), help::toString);
        assertTrue(help.out().contains("licenses") && help.out().contains("Exit codes"), help::toString);
        assertTrue(help.out().contains("${LICENSECTL_CONFIG:-"), help::toString);
        assertEquals(0, Run.of(ENV, "--version").code());
        assertEquals(0, Run.of(ENV, "licenses", "issue", "--help").code());
    }

    @Test
    void unreachableIssuerIsOtherError() {
        Run r = Run.of(ENV, "licenses", "show", "L1");
        assertEquals(ExitCodes.OTHER, r.code(), r::toString);
        assertTrue(r.err().contains("Cannot reach the issuer"), r::toString);
    }
}
