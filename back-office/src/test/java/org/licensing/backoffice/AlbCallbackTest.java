package org.licensing.backoffice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.htmlunit.WebResponse;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import org.licensing.testsupport.idp.KeycloakServer;
import org.licensing.testsupport.idp.KeycloakServer.DemoUser;

/**
 * The back office as deployed behind the TLS-terminating ALB (the {@code prod} profile, its https redirect scheme and
 * {@code /auth/callback} path), signing in against an IdP that, like Cognito, accepts only the exact registered
 * callback URL: a Keycloak client of the realm whose only redirect URI is {@code https://bo.example.test/auth/callback}.
 * Requests come as the ALB forwards them: plain http to the pod, the public {@code Host}, {@code X-Forwarded-Proto:
 * https}. Whatever page is opened, the IdP is sent exactly that callback; the IdP refuses any other; and the whole
 * round trip (login form, callback, code exchange) ends on the page first asked for, over https.
 */
@QuarkusTest
@WithTestResource(BackOfficeResource.class)
@TestProfile(AlbCallbackTest.BehindAlb.class)
class AlbCallbackTest {

    static final String HOST = "bo.example.test";
    static final String CALLBACK = "https://" + HOST + "/auth/callback";
    static final String CLIENT_ID = "back-office-behind-alb";
    static final String CLIENT_SECRET = "behind-alb-test-secret-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The prod profile exactly as deployed (https redirect scheme kept), signing in with the strict client. */
    public static class BehindAlb extends ProdProfile {
        @Override
        protected Map<String, String> extra() {
            return Map.of("quarkus.oidc.client-id", CLIENT_ID, "quarkus.oidc.credentials.secret", CLIENT_SECRET);
        }
    }

    @TestHTTPResource("/")
    URL root;

    /** Registers the Cognito-like client through Keycloak's admin API: one exact callback, no wildcard. */
    @BeforeAll
    static void strictClientAtTheIdp() throws Exception {
        KeycloakServer keycloak = BackOfficeHarness.shared().keycloak;
        HttpResponse<String> token = HTTP.send(HttpRequest.newBuilder(
                        keycloak.baseUrl().resolve("/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "password",
                        "client_id", "admin-cli", "username", keycloak.adminUser(),
                        "password", keycloak.adminPassword())))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, token.statusCode(), token.body());
        String admin = JSON.readTree(token.body()).path("access_token").asText();
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("clientId", CLIENT_ID);
        client.put("protocol", "openid-connect");
        client.put("publicClient", false);
        client.put("secret", CLIENT_SECRET);
        client.put("standardFlowEnabled", true);
        client.put("directAccessGrantsEnabled", false);
        client.put("redirectUris", List.of(CALLBACK));
        client.put("attributes", Map.of("pkce.code.challenge.method", "S256"));
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(
                        keycloak.baseUrl().resolve("/admin/realms/" + KeycloakServer.REALM + "/clients"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(client))).build(),
                HttpResponse.BodyHandlers.ofString());
        // 409: registered by an earlier run of this class in the same Keycloak.
        assertTrue(created.statusCode() == 201 || created.statusCode() == 409, created.body());
    }

    @Test
    void everyPageSendsTheOneRegisteredHttpsCallbackAndTheRoundTripEndsOnThatPage() throws Exception {
        KeycloakServer keycloak = BackOfficeHarness.shared().keycloak;
        for (String path : List.of("/", "/licenses?status=ACTIVE&q=acme", "/customers/3f0f6f7e-5a47-4f0e-9a43-0d3f2f1f9b10",
                "/catalog")) {
            Raw answer = viaAlb("GET", path, List.of());
            assertEquals(302, answer.status(), path + ": " + answer);
            URI toIdp = URI.create(answer.header("Location").get(0));
            assertEquals(keycloak.authorizationEndpoint().getPath(), toIdp.getPath(), answer.toString());
            Map<String, String> query = query(toIdp);
            assertEquals(CALLBACK, query.get("redirect_uri"), "for " + path + ": " + toIdp);
            assertEquals(CLIENT_ID, query.get("client_id"));
            assertEquals("S256", query.get("code_challenge_method"));
        }

        // The IdP is as strict as Cognito: the path asked for, or the callback over http, is refused outright.
        URI toIdp = URI.create(viaAlb("GET", "/licenses?status=ACTIVE", List.of()).header("Location").get(0));
        for (String other : List.of("https://" + HOST + "/licenses", "http://" + HOST + "/auth/callback",
                "https://" + HOST + "/auth/callback/", "https://127.0.0.1:" + root.getPort() + "/auth/callback")) {
            HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(withQuery(toIdp, "redirect_uri", other))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, refused.statusCode(), other);
            assertTrue(refused.body().contains("redirect_uri"), refused.body());
        }

        // The whole trip: the login form accepts the exact callback and sends the code to it over https.
        Raw start = viaAlb("GET", "/licenses?status=ACTIVE", List.of());
        List<String> stateCookies = cookies(start);
        assertTrue(stateCookies.stream().anyMatch(c -> c.startsWith("q_auth")), start.toString());
        URI callback;
        try (Browser idp = new Browser(keycloak.baseUrl())) {
            idp.web.getOptions().setRedirectEnabled(false);
            HtmlPage login = idp.send(new org.htmlunit.WebRequest(new URL(start.header("Location").get(0))));
            assertEquals(200, login.getWebResponse().getStatusCode(), login.asXml());
            HtmlForm form = login.getHtmlElementById("kc-form-login");
            form.getInputByName("username").setValue(DemoUser.VIEWER.username());
            form.getInputByName("password").setValue(DemoUser.VIEWER.password());
            WebResponse sent = ((HtmlElement) form.getFirstByXPath(".//*[@type='submit']")).click().getWebResponse();
            assertEquals(302, sent.getStatusCode(), sent.getContentAsString());
            callback = URI.create(sent.getResponseHeaderValue("Location"));
        }
        assertEquals(CALLBACK, callback.getScheme() + "://" + callback.getAuthority() + callback.getPath());
        assertTrue(query(callback).containsKey("code"), callback.toString());

        // The ALB forwards the callback to the back office, which exchanges the code (the IdP checks the same
        // redirect_uri again) and sends the user back to the page first asked for, over https.
        Raw landed = viaAlb("GET", callback.getRawPath() + "?" + callback.getRawQuery(), stateCookies);
        assertEquals(302, landed.status(), landed.toString());
        assertEquals("https://" + HOST + "/licenses?status=ACTIVE", landed.header("Location").get(0));
        assertTrue(cookies(landed).stream().anyMatch(c -> c.startsWith("q_session")), landed.toString());
    }

    /** One HTTP/1.1 exchange as the ALB sends it: plain http to the pod, the public Host, X-Forwarded-Proto https. */
    private Raw viaAlb(String method, String pathAndQuery, List<String> cookies) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), root.getPort())) {
            socket.setSoTimeout(30_000);
            StringBuilder request = new StringBuilder(method + " " + pathAndQuery + " HTTP/1.1\r\n")
                    .append("Host: ").append(HOST).append("\r\n")
                    .append("X-Forwarded-Proto: https\r\nX-Forwarded-Port: 443\r\nX-Forwarded-For: 203.0.113.9\r\n")
                    .append("Accept: text/html\r\nConnection: close\r\n");
            if (!cookies.isEmpty()) {
                request.append("Cookie: ").append(String.join("; ", cookies)).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            in.transferTo(all);
            return Raw.parse(all.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A raw answer: status line and headers (the body is not needed). */
    record Raw(int status, List<String[]> headers, String text) {
        static Raw parse(String text) {
            String head = text.split("\r\n\r\n", 2)[0];
            String[] lines = head.split("\r\n");
            List<String[]> headers = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.add(new String[] { lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim() });
            }
            return new Raw(Integer.parseInt(lines[0].split(" ")[1]), headers, head);
        }

        List<String> header(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).toList();
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** The name=value of each Set-Cookie that sets something (deletions left out). */
    private static List<String> cookies(Raw answer) {
        return answer.header("Set-Cookie").stream().map(c -> c.split(";", 2)[0])
                .filter(c -> !c.endsWith("=")).toList();
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            values.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return values;
    }

    private static URI withQuery(URI uri, String name, String value) {
        Map<String, String> values = query(uri);
        values.put(name, value);
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath() + "?" + form(values));
    }

    private static String form(Map<String, String> values) {
        List<String> pairs = new ArrayList<>();
        values.forEach((k, v) -> pairs.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return String.join("&", pairs);
    }
}
