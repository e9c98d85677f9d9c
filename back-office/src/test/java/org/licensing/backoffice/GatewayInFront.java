package org.licensing.backoffice;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server standing in for the load balancer in front of the issuer: it forwards to the issuer, or answers
 * what an AWS ALB answers when its targets fail (502/503/504 with its own small HTML page), or accepts a request and
 * never answers (a target that hangs past the back office's timeout).
 */
final class GatewayInFront implements AutoCloseable {

    enum Mode {
        FORWARD, BAD_GATEWAY, UNAVAILABLE, UNAVAILABLE_PROBLEM, GATEWAY_TIMEOUT, SILENT
    }

    /** In every page this gateway writes, never to be shown by the back office. */
    static final String MARKER = "awselb/2.0";

    private static final List<String> FORWARDED_REQUEST_HEADERS = List.of("Authorization", "Accept",
            "Content-Type", "If-Match", "Idempotency-Key");
    private static final List<String> FORWARDED_ANSWER_HEADERS = List.of("Content-Type", "ETag",
            "Content-Disposition");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI target;
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.FORWARD);
    private final AtomicInteger unanswered = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);

    /** Listens on {@code port} of 127.0.0.1 (the one the back office was configured with) in front of {@code target}. */
    GatewayInFront(int port, URI target) {
        this.target = target;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    void set(Mode value) {
        mode.set(value);
    }

    /** Requests that were accepted and never answered (SILENT). */
    int unanswered() {
        return unanswered.get();
    }

    /** Requests answered with a 5xx of the gateway's own. */
    int failed() {
        return failed.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            switch (mode.get()) {
                case FORWARD -> forward(exchange);
                case BAD_GATEWAY -> albPage(exchange, 502, "Bad Gateway");
                case UNAVAILABLE -> albPage(exchange, 503, "Service Temporarily Unavailable");
                case GATEWAY_TIMEOUT -> albPage(exchange, 504, "Gateway Time-out");
                case UNAVAILABLE_PROBLEM -> answer(exchange, 503, "application/problem+json",
                        "{\"type\":\"https://licensing.dev/problems/unavailable\",\"title\":\"Service unavailable\","
                                + "\"status\":503,\"detail\":\"database failover in progress\"}");
                case SILENT -> {
                    unanswered.incrementAndGet();
                    // Holds the connection open with no answer until the test ends.
                    released.await(5, TimeUnit.MINUTES);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void albPage(HttpExchange exchange, int status, String reason) throws IOException {
        failed.incrementAndGet();
        exchange.getResponseHeaders().set("Server", MARKER);
        answer(exchange, status, "text/html", "<html>\r\n<head><title>" + status + " " + reason
                + "</title></head>\r\n<body>\r\n<center><h1>" + status + " " + reason + "</h1></center>\r\n<hr><center>"
                + MARKER + "</center>\r\n</body>\r\n</html>\r\n");
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private void forward(HttpExchange exchange) throws IOException, InterruptedException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                .timeout(Duration.ofSeconds(30))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String name : FORWARDED_REQUEST_HEADERS) {
            String value = exchange.getRequestHeaders().getFirst(name);
            if (value != null) {
                request.header(name, value);
            }
        }
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        for (String name : FORWARDED_ANSWER_HEADERS) {
            response.headers().firstValue(name).ifPresent(v -> exchange.getResponseHeaders().set(name, v));
        }
        byte[] answer = response.body();
        exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
        exchange.getResponseBody().write(answer);
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
