package org.licensing.backoffice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.util.Map;

import org.htmlunit.WebResponse;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import org.licensing.testsupport.ClosedPort;
import org.licensing.testsupport.idp.KeycloakServer.DemoUser;

/** With the issuer unreachable every page is a clear 503 naming it, never a stack trace. */
@QuarkusTest
@WithTestResource(BackOfficeResource.class)
@TestProfile(IssuerDownTest.IssuerDown.class)
class IssuerDownTest {

    public static class IssuerDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // A port held bound and never listening: every connection is refused at once, on any machine.
            return Map.of("backoffice.issuer-url", ClosedPort.shared().url().toString());
        }
    }

    @TestHTTPResource("/")
    URL root;

    @Test
    void pagesNeedingTheIssuerAnswer503WithAClearMessage() {
        URI base = URI.create("http://127.0.0.1:" + root.getPort());
        try (Browser viewer = Browser.signIn(base, DemoUser.VIEWER, "/customers")) {
            // A well-formed filter: a malformed one is refused on the page itself (LicenseFilters), before any call.
            for (String path : new String[] { "/", "/licenses?customerId=3f0f6f7e-5a47-4f0e-9a43-0d3f2f1f9b10",
                "/customers", "/licenses.csv" }) {
                WebResponse page = viewer.get(path);
                assertEquals(503, page.getStatusCode(), path);
                String body = page.getContentAsString();
                assertTrue(body.contains("The license issuer is not reachable"), body);
                assertTrue(body.contains("Try again in a minute"), body);
                assertFalse(body.contains("Exception") || body.contains("at org."), body);
            }
        }
    }
}
