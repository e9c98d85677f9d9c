package org.licensing.backoffice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.Map;

import org.htmlunit.WebResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import org.licensing.backoffice.GatewayInFront.Mode;
import org.licensing.testsupport.idp.KeycloakServer.DemoUser;

/**
 * The issuer behind a load balancer that fails the way an ALB does (a real HTTP server in front of the real
 * issuer): 502, 503 and 504 with the balancer's own HTML page, a 503 problem+json of the service, and a request
 * accepted and never answered. Each is its own clear page with the matching status (no stack trace, none of the
 * balancer's HTML, the back office's own timeout named as such), and the pages work again once the issuer answers.
 */
@QuarkusTest
@WithTestResource(BackOfficeResource.class)
@TestProfile(IssuerBehindGatewayTest.BehindGateway.class)
class IssuerBehindGatewayTest {

    /** The port the gateway listens on, chosen once per JVM (the profile may be asked for its overrides twice). */
    private static final String PORT_PROPERTY = "harness.gateway-in-front-port";

    public static class BehindGateway implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String port = System.getProperty(PORT_PROPERTY);
            if (port == null) {
                try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    port = Integer.toString(free.getLocalPort());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                System.setProperty(PORT_PROPERTY, port);
            }
            // A short timeout, so the silent gateway's case takes 2 s per page.
            return Map.of("backoffice.issuer-url", "http://127.0.0.1:" + port, "backoffice.api-timeout", "2s");
        }
    }

    private static GatewayInFront gateway;

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void gatewayInFrontOfTheIssuer() {
        gateway = new GatewayInFront(Integer.parseInt(System.getProperty(PORT_PROPERTY)),
                BackOfficeHarness.shared().issuerUrl);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    /** Every page that reads the issuer: dashboard, search, customers, a license, the CSV. */
    private static List<String> pages() {
        BackOfficeHarness harness = BackOfficeHarness.shared();
        return List.of("/", "/licenses?customerId=" + harness.customerId, "/customers",
                "/licenses/" + harness.licenseId, "/licenses.csv?customerId=" + harness.customerId);
    }

    @Test
    void eachGatewayFailureIsItsOwnClearPageAndThePagesRecover() {
        URI base = URI.create("http://127.0.0.1:" + root.getPort());
        gateway.set(Mode.FORWARD);
        try (Browser viewer = Browser.signIn(base, DemoUser.VIEWER, "/customers")) {
            assertPagesWork(viewer);

            gateway.set(Mode.BAD_GATEWAY);
            assertEveryPage(viewer, 502, "The license issuer is not answering properly (502 Bad Gateway)",
                    "answered 502 Bad Gateway: it got no valid answer from the license issuer");
            gateway.set(Mode.UNAVAILABLE);
            assertEveryPage(viewer, 503, "The license issuer is unavailable (503 Service Unavailable)",
                    "cannot serve requests just now");
            gateway.set(Mode.GATEWAY_TIMEOUT);
            assertEveryPage(viewer, 504, "The license issuer timed out (504 Gateway Timeout)",
                    "answered 504 Gateway Timeout: the license issuer took too long to answer it");
            assertEquals(3 * pages().size(), gateway.failed(), "every page went to the gateway and got its 5xx page");

            // The service's own 503 problem: its detail is worth showing.
            gateway.set(Mode.UNAVAILABLE_PROBLEM);
            assertEveryPage(viewer, 503, "The license issuer is unavailable (503 Service Unavailable)",
                    "It says: database failover in progress");

            gateway.set(Mode.FORWARD);
            assertPagesWork(viewer);
        }
    }

    @Test
    void aGatewayThatNeverAnswersIsATimeoutNamedAsSuch() {
        URI base = URI.create("http://127.0.0.1:" + root.getPort());
        gateway.set(Mode.FORWARD);
        try (Browser viewer = Browser.signIn(base, DemoUser.VIEWER, "/customers")) {
            int before = gateway.unanswered();
            gateway.set(Mode.SILENT);
            for (String path : List.of("/customers", "/licenses/" + BackOfficeHarness.shared().licenseId)) {
                WebResponse page = viewer.get(path);
                String body = page.getContentAsString();
                assertEquals(504, page.getStatusCode(), path + ": " + body);
                assertTrue(body.contains("The license issuer timed out (no answer within 2 s)"), body);
                assertTrue(body.contains("The request to the license issuer timed out: it did not answer within 2 s"
                        + " (backoffice.api-timeout)"), body);
                assertClean(body);
            }
            assertEquals(before + 2, gateway.unanswered(), "the requests reached the gateway and hung there");

            gateway.set(Mode.FORWARD);
            assertPagesWork(viewer);
        }
    }

    private static void assertEveryPage(Browser viewer, int status, String title, String detail) {
        for (String path : pages()) {
            WebResponse page = viewer.get(path);
            String body = page.getContentAsString();
            assertEquals(status, page.getStatusCode(), path + ": " + body);
            assertTrue(page.getContentType().startsWith("text/html"), path + ": " + page.getContentType());
            assertTrue(body.contains("<h1>" + title + "</h1>"), path + ": " + body);
            assertTrue(body.contains(detail), path + ": " + body);
            assertTrue(body.contains("Try again in a minute"), path + ": " + body);
            assertClean(body);
        }
    }

    /** None of the gateway's page and no trace of the back office's code. */
    private static void assertClean(String body) {
        assertFalse(body.contains(GatewayInFront.MARKER) || body.contains("<center>"), body);
        assertFalse(body.contains("Exception") || body.contains("at org."), body);
    }

    private static void assertPagesWork(Browser viewer) {
        BackOfficeHarness harness = BackOfficeHarness.shared();
        for (String path : pages()) {
            WebResponse page = viewer.get(path);
            assertEquals(200, page.getStatusCode(), path + ": " + page.getContentAsString());
        }
        String license = viewer.get("/licenses/" + harness.licenseId).getContentAsString();
        assertTrue(license.contains(harness.licenseId) && license.contains("Acme GPU Cloud"), license);
        String csv = viewer.get("/licenses.csv?customerId=" + harness.customerId).getContentAsString();
        assertTrue(csv.contains(harness.licenseId), csv);
    }
}
