package org.licensing.backoffice;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The prod profile as deployed, bound to loopback on a free port, with the two secrets a deployment provides from its
 * environment; a test adds what its case needs in {@link #extra()}.
 */
public abstract class ProdProfile implements QuarkusTestProfile {

    @Override
    public String getConfigProfile() {
        return "prod";
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(Map.of("quarkus.http.test-port", "0",
                "quarkus.http.host", "127.0.0.1", "backoffice.api-timeout", "5s",
                "BACKOFFICE_SESSION_SECRET", "prod-like-session-secret-0123456789abcdef",
                "BACKOFFICE_STATE_SECRET", "prod-like-state-secret-0123456789abcdefgh"));
        overrides.putAll(extra());
        return overrides;
    }

    /** The test's own settings on top of the prod profile. */
    protected abstract Map<String, String> extra();
}
