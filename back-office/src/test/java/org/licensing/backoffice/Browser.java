package org.licensing.backoffice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.htmlunit.BrowserVersion;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebClient;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.util.NameValuePair;
import org.htmlunit.util.WebConnectionWrapper;

import org.licensing.testsupport.idp.KeycloakServer.DemoUser;

/**
 * A cookie-keeping HTML client (HtmlUnit, JavaScript off: the pages must work without it) that signs in through
 * Keycloak's real login form: authorization code flow with PKCE, as a browser does it. Every answer's headers are
 * recorded so tests can check cookies and security headers of the redirects too.
 */
final class Browser implements AutoCloseable {

    /** One answer on the way (redirects included). */
    record Exchange(String method, URL url, int status, List<NameValuePair> headers) {
        List<String> header(String name) {
            return headers.stream().filter(h -> h.getName().equalsIgnoreCase(name)).map(NameValuePair::getValue)
                    .toList();
        }
    }

    final URI base;
    final WebClient web = new WebClient(BrowserVersion.FIREFOX);
    final List<Exchange> exchanges = new ArrayList<>();

    Browser(URI base) {
        this.base = base;
        web.getOptions().setJavaScriptEnabled(false);
        web.getOptions().setCssEnabled(false);
        web.getOptions().setThrowExceptionOnFailingStatusCode(false);
        web.getOptions().setRedirectEnabled(true);
        new WebConnectionWrapper(web) {
            @Override
            public WebResponse getResponse(WebRequest request) throws IOException {
                WebResponse response = super.getResponse(request);
                synchronized (exchanges) {
                    exchanges.add(new Exchange(request.getHttpMethod().name(), request.getUrl(),
                            response.getStatusCode(), response.getResponseHeaders()));
                }
                return loopbackIsSecure(response);
            }
        };
    }

    /**
     * Keycloak sets its login cookies {@code SameSite=None; Secure}. Chromium and Firefox keep Secure cookies
     * from http://127.0.0.1 (a loopback origin is a secure context); HtmlUnit does not send them over http, so for
     * loopback answers such cookies are stored again without the Secure attribute, as those browsers effectively
     * treat them. The recorded headers stay as sent.
     */
    private WebResponse loopbackIsSecure(WebResponse response) {
        String host = response.getWebRequest().getUrl().getHost();
        if (!"127.0.0.1".equals(host)) {
            return response;
        }
        for (NameValuePair header : response.getResponseHeaders()) {
            if (!header.getName().equalsIgnoreCase("Set-Cookie")
                    || !header.getValue().toLowerCase().matches(".*;\\s*secure\\s*(;.*)?")) {
                continue;
            }
            String[] parts = header.getValue().split(";");
            String[] nameValue = parts[0].split("=", 2);
            String path = "/";
            boolean httpOnly = false;
            boolean expired = false;
            String sameSite = null;
            for (String part : parts) {
                String p = part.trim();
                String lower = p.toLowerCase();
                if (lower.startsWith("path=")) {
                    path = p.substring(5);
                } else if (lower.equals("httponly")) {
                    httpOnly = true;
                } else if (lower.startsWith("max-age=")) {
                    expired = p.substring(8).trim().equals("0");
                } else if (lower.startsWith("samesite=")) {
                    sameSite = p.substring(9);
                }
            }
            org.htmlunit.http.Cookie cookie = new org.htmlunit.http.Cookie(host, nameValue[0].trim(),
                    nameValue.length > 1 ? nameValue[1] : "", path, null, false, httpOnly, sameSite);
            web.getCookieManager().removeCookie(cookie);
            if (!expired) {
                web.getCookieManager().addCookie(cookie);
            }
        }
        return response;
    }

    /** Opens the back office, is sent to Keycloak, fills in its login form and lands back on {@code path}. */
    static Browser signIn(URI base, DemoUser user, String path) {
        Browser browser = new Browser(base);
        HtmlPage login = browser.page(path);
        assertTrue(login.getUrl().getPath().contains("/realms/licensing/"),
                "expected Keycloak's login page, got " + login.getUrl());
        HtmlForm form = login.getHtmlElementById("kc-form-login");
        form.getInputByName("username").setValue(user.username());
        form.getInputByName("password").setValue(user.password());
        HtmlElement submit = form.getFirstByXPath(".//*[@type='submit']");
        try {
            HtmlPage landed = submit.click();
            assertEquals(base.getPort(), landed.getUrl().getPort(),
                    "sign-in did not come back to the back office: " + landed.getUrl() + "\n" + landed.asXml());
            return browser;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    HtmlPage page(String path) {
        try {
            Page page = web.getPage(base.resolve(path).toURL());
            if (!(page instanceof HtmlPage html)) {
                throw new AssertionError(path + " is not HTML: " + page.getWebResponse().getContentType());
            }
            return html;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    WebResponse get(String path) {
        try {
            return web.getPage(base.resolve(path).toURL()).getWebResponse();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A form POST the way a forged page or a script would send it (no page involved). */
    WebResponse post(String path, Map<String, String> form) {
        try {
            WebRequest request = new WebRequest(base.resolve(path).toURL(), HttpMethod.POST);
            List<NameValuePair> params = new ArrayList<>();
            form.forEach((k, v) -> params.add(new NameValuePair(k, v)));
            request.setRequestParameters(params);
            return web.getPage(request).getWebResponse();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CSRF cookie's value (a script cannot read it: HttpOnly; a forging client with its own cookie jar can). */
    String csrfToken() {
        try {
            return web.getCookies(base.toURL()).stream().filter(c -> c.getName().equals("csrf-token"))
                    .map(org.htmlunit.http.Cookie::getValue).findFirst()
                    .orElseThrow(() -> new AssertionError("no csrf-token cookie"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The request a click on the form's submit button sends. Sent twice it is a double click (or a retried POST):
     * the same fields, the same CSRF token and the same idempotency key rendered into the form.
     */
    static WebRequest submission(HtmlForm form) {
        return form.getWebRequest(form.<org.htmlunit.html.SubmittableElement>getFirstByXPath(
                ".//*[@type='submit']"));
    }

    /** Sends a request the way the browser does (cookies, redirects followed) and answers the page it lands on. */
    HtmlPage send(WebRequest request) {
        try {
            Page page = web.getPage(request);
            if (!(page instanceof HtmlPage html)) {
                throw new AssertionError(request.getUrl() + " is not HTML: " + page.getWebResponse().getContentType());
            }
            return html;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Exchange> exchanges() {
        synchronized (exchanges) {
            return List.copyOf(exchanges);
        }
    }

    @Override
    public void close() {
        web.close();
    }
}
