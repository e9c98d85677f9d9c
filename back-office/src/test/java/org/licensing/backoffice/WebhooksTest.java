package org.licensing.backoffice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.htmlunit.html.HtmlCheckBoxInput;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import org.licensing.testsupport.idp.KeycloakServer.DemoUser;

/**
 * Webhook endpoints through the pages, against the issuer's real delivery: a receiver on loopback (the harness
 * issuer allows 127.0.0.1) gets the events; the log shows them; disable, enable, rotate and replay act at the issuer.
 */
@QuarkusTest
@WithTestResource(BackOfficeResource.class)
class WebhooksTest {

    @TestHTTPResource("/")
    URL root;

    URI base() {
        return URI.create("http://127.0.0.1:" + root.getPort());
    }

    @Test
    void anAdminManagesAnEndpointAndSeesItsDeliveries() throws Exception {
        BackOfficeHarness harness = BackOfficeHarness.shared();
        String token = harness.keycloak.seedToken();
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.add(exchange.getRequestHeaders().getFirst("webhook-id"));
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try (Browser admin = Browser.signIn(base(), DemoUser.ADMIN, "/webhooks")) {
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            HtmlForm form = admin.page("/webhooks").getHtmlElementById("webhook-form");
            form.getInputByName("url").setValue(url);
            form.getInputByName("description").setValue("CRM " + UUID.randomUUID());
            form.<HtmlCheckBoxInput>getFirstByXPath(".//input[@value='customer.created']").setChecked(true);
            HtmlPage created = submit(form);
            assertEquals(200, created.getWebResponse().getStatusCode(), created.asXml());
            String secret = created.getHtmlElementById("webhook-secret").asNormalizedText();
            assertTrue(secret.startsWith("whsec_"), secret);
            HtmlPage detail = click(created.getHtmlElementById("webhook-continue"));
            String id = detail.getUrl().getPath().substring("/webhooks/".length());
            assertFalse(detail.getWebResponse().getContentAsString().contains(secret), "the secret is shown once");
            JsonNode atIssuer = harness.get(token, "/v1/webhook-endpoints/" + id);
            assertEquals(url, atIssuer.path("url").asText());
            assertEquals("[\"customer.created\"]", atIssuer.path("eventTypes").toString());

            // an event is delivered and logged: state, attempts, the receiver's answer, latency
            harness.newCustomer("Hooked " + UUID.randomUUID().toString().substring(0, 8));
            HtmlElement row = await(admin, id, r -> r.asNormalizedText().contains("DELIVERED"));
            assertEquals("1", cell(row, "delivery-attempts"));
            assertEquals("200", cell(row, "delivery-answer"));
            assertTrue(row.asNormalizedText().contains(" ms"), row.asNormalizedText());
            String eventId = row.getAttribute("data-event-id");
            assertTrue(received.contains(eventId), received.toString());

            // disable, then enable, each confirmed
            HtmlPage disabled = confirm(admin, "/webhooks/" + id + "/disable");
            assertTrue(disabled.getHtmlElementById("webhook-state").asNormalizedText().startsWith("DISABLED"));
            assertFalse(harness.get(token, "/v1/webhook-endpoints/" + id).path("enabled").asBoolean(true));
            HtmlPage enabled = confirm(admin, "/webhooks/" + id + "/enable");
            assertEquals("ENABLED", enabled.getHtmlElementById("webhook-state").asNormalizedText());
            assertTrue(harness.get(token, "/v1/webhook-endpoints/" + id).path("enabled").asBoolean(false));

            // rotate: a new secret, once
            HtmlPage rotated = confirm(admin, "/webhooks/" + id + "/rotate-secret");
            String second = rotated.getHtmlElementById("webhook-secret").asNormalizedText();
            assertTrue(second.startsWith("whsec_"));
            assertNotEquals(secret, second);

            // replay the one event: delivered again with the same webhook-id
            HtmlPage replayed = confirm(admin, "/webhooks/" + id + "/replay?eventId=" + eventId);
            assertEquals("Replay queued: 1 deliveries.", replayed.getHtmlElementById("done").asNormalizedText());
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (received.stream().filter(eventId::equals).count() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertEquals(2, received.stream().filter(eventId::equals).count(), received.toString());
            HtmlPage badRange = admin.page("/webhooks/" + id + "/replay?since=yesterday&until=today");
            assertTrue(badRange.getElementById("webhook-error") != null, badRange.asXml());
        } finally {
            receiver.stop(0);
        }
        try (Browser viewer = Browser.signIn(base(), DemoUser.VIEWER, "/webhooks")) {
            assertEquals(403, viewer.get("/webhooks").getStatusCode());
            assertEquals(403, viewer.post("/webhooks", Map.of("csrf-token", viewer.csrfToken(),
                    "url", "http://127.0.0.1:9/x")).getStatusCode(), "a forged create is refused");
        }
    }

    private static HtmlPage confirm(Browser browser, String path) {
        HtmlPage page = browser.page(path);
        assertEquals(200, page.getWebResponse().getStatusCode(), page.asXml());
        return submit(page.getHtmlElementById("confirm-form"));
    }

    private static HtmlElement await(Browser browser, String id, Predicate<HtmlElement> done) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            HtmlPage page = browser.page("/webhooks/" + id);
            for (HtmlElement row : page.<HtmlElement>getByXPath("//table[@id='webhook-deliveries']/tbody/tr")) {
                if (done.test(row)) {
                    return row;
                }
            }
            assertTrue(System.nanoTime() < deadline, "no delivery: " + page.asNormalizedText());
            Thread.sleep(500);
        }
    }

    private static String cell(HtmlElement row, String cssClass) {
        HtmlElement cell = row.getFirstByXPath("td[@class='" + cssClass + "']");
        return cell == null ? "" : cell.asNormalizedText();
    }

    private static HtmlPage submit(HtmlForm form) {
        return click(form.getFirstByXPath(".//*[@type='submit']"));
    }

    private static HtmlPage click(HtmlElement element) {
        try {
            return element.click();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
