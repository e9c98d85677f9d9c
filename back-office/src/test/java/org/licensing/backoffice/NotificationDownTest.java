package org.licensing.backoffice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.util.Map;

import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import org.licensing.testsupport.ClosedPort;
import org.licensing.testsupport.idp.KeycloakServer.DemoUser;

/** With only the notification service down, the issuer's pages still work and say what is missing. */
@QuarkusTest
@WithTestResource(BackOfficeResource.class)
@TestProfile(NotificationDownTest.NotificationDown.class)
class NotificationDownTest {

    public static class NotificationDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // A port held bound and never listening: every connection is refused at once, on any machine.
            return Map.of("backoffice.notification-url", ClosedPort.shared().url().toString());
        }
    }

    @TestHTTPResource("/")
    URL root;

    @Test
    void dashboardAndLicensePageDegradeTheDigestIsA503() {
        URI base = URI.create("http://127.0.0.1:" + root.getPort());
        String id = BackOfficeHarness.shared().licenseId;
        try (Browser finance = Browser.signIn(base, DemoUser.FINANCE, "/")) {
            HtmlPage dashboard = finance.page("/");
            assertEquals(200, dashboard.getWebResponse().getStatusCode());
            assertTrue(dashboard.getHtmlElementById("dlq-unavailable").asNormalizedText().contains("not reachable"));

            HtmlPage detail = finance.page("/licenses/" + id);
            assertEquals(200, detail.getWebResponse().getStatusCode());
            assertTrue(detail.getHtmlElementById("reminders-note").asNormalizedText().contains("not reachable"));

            var digest = finance.post("/finance/digest", Map.of("csrf-token", finance.csrfToken()));
            assertEquals(503, digest.getStatusCode());
            assertTrue(digest.getContentAsString().contains("The notification service is not reachable"));
        }
    }
}
