package org.licensing.notification.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.licensing.testsupport.LocalBackends;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP hop between the service and the SES emulator, so a test can take SES down (connections dropped without
 * an answer) or make it throttle (429 TooManyRequestsException), then bring it back, without restarting anything.
 * It forwards real requests to the real emulator; nothing of the SDK is mocked.
 */
public final class SesProxy {

    private static final String CONTROL = "/__proxy/";
    private static SesProxy shared;

    private final HttpServer server;
    private final URI upstream;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile boolean down;
    private final AtomicInteger throttleNext = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "transfer-encoding", "keep-alive");

    private SesProxy(URI upstream) throws IOException {
        this.upstream = upstream;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "ses-proxy");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    public static synchronized SesProxy shared() {
        if (shared == null) {
            try {
                shared = new SesProxy(LocalBackends.shared().sesEndpoint());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** SES stops answering: every request's connection is dropped. */
    public void down() {
        down = true;
    }

    public void up() {
        down = false;
        throttleNext.set(0);
    }

    /** The next {@code n} requests get 429 TooManyRequestsException. */
    public void throttleNext(int n) {
        throttleNext.set(n);
    }

    /** Requests refused (dropped or throttled) so far. */
    public int refused() {
        return refused.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith(CONTROL)) {
                control(exchange, path.substring(CONTROL.length()), exchange.getRequestURI().getQuery());
                return;
            }
            if (down) {
                refused.incrementAndGet();
                // No response: closing the exchange drops the connection, as a dead endpoint would.
                exchange.getResponseBody().close();
                return;
            }
            if (throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                refused.incrementAndGet();
                byte[] answer = "{\"message\":\"Maximum sending rate exceeded.\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.getResponseHeaders().add("x-amzn-ErrorType", "TooManyRequestsException");
                exchange.sendResponseHeaders(429, answer.length);
                exchange.getResponseBody().write(answer);
                return;
            }
            forward(exchange, body);
        }
    }

    private void control(HttpExchange exchange, String command, String query) throws IOException {
        switch (command) {
            case "down" -> down();
            case "up" -> up();
            case "throttle" -> throttleNext(Integer.parseInt(query.substring("n=".length())));
            default -> {
            }
        }
        byte[] answer = Integer.toString(refused()).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, answer.length);
        exchange.getResponseBody().write(answer);
    }

    /**
     * Controls the proxy over HTTP, so a test class and the test resource agree whatever class loader each was
     * loaded by. Commands: down, up, throttle (with n), refused; returns the refused count.
     */
    public static int command(String endpoint, String command, Integer n) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + CONTROL + command
                    + (n == null ? "" : "?n=" + n))).POST(HttpRequest.BodyPublishers.noBody()).build();
            return Integer.parseInt(HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString())
                    .body().trim());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void forward(HttpExchange exchange, byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().toString()))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        response.headers().map().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
            }
        });
        byte[] answer;
        try (InputStream in = response.body()) {
            answer = in.readAllBytes();
        }
        exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }
}
