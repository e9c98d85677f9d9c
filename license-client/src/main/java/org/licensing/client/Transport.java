package org.licensing.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.licensing.core.json.Json;

/**
 * The validator's HTTP API over {@link HttpClient} (HTTP/1.1): bounded answer size, and a deadline over the whole
 * exchange (connect + request timeout), so neither a slow nor a huge answer can hold the product.
 */
final class Transport {

    /** Largest answer body read (a validation answer is about 1-2 KiB). */
    static final int MAX_BODY = 256 * 1024;

    private final String base; // without trailing slash
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Duration deadline;

    Transport(URI validator, Duration connectTimeout, Duration requestTimeout, ProxySelector proxy, SSLContext ssl) {
        this.base = validator.toString().replaceAll("/+$", "");
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER);
        if (proxy != null) {
            b.proxy(proxy);
        }
        if (ssl != null) {
            b.sslContext(ssl);
        }
        this.http = b.build();
        this.requestTimeout = requestTimeout;
        this.deadline = connectTimeout.plus(requestTimeout);
    }

    /** An HTTP answer: status, body text (UTF-8) and the {@code Retry-After} header when present. */
    record Answer(int status, String body, Optional<String> retryAfter) {

        /** The body as a JSON object, or an empty map when it is none (an error page, a proxy's HTML). */
        Map<String, Object> json() {
            try {
                return Json.parseObject(body);
            } catch (Json.JsonException e) {
                return Map.of();
            }
        }

        /** The problem's {@code detail}, else {@code HTTP <status>}. */
        String detail() {
            return json().get("detail") instanceof String d ? d : "HTTP " + status;
        }
    }

    /**
     * One exchange.
     *
     * @param json the request body (sent as {@code application/json}), or null for none
     * @param authorization the {@code Authorization} header value, or null
     * @throws IOException for a network error, a timeout or an answer larger than {@link #MAX_BODY}
     */
    Answer send(String method, String path, String json, String authorization) throws IOException {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path)).timeout(requestTimeout)
                .header("Accept", "application/json");
        if (authorization != null) {
            req.header("Authorization", authorization);
        }
        if (json != null) {
            req.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        } else {
            req.method(method, HttpRequest.BodyPublishers.noBody());
        }
        CompletableFuture<HttpResponse<byte[]>> future = http.sendAsync(req.build(), info -> new Bounded(MAX_BODY));
        HttpResponse<byte[]> response;
        try {
            response = future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new IOException("no answer within " + deadline.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause.toString(), cause);
        }
        return new Answer(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8),
                response.headers().firstValue("Retry-After"));
    }

    /** Collects the body up to {@code max} bytes; a larger body fails the exchange. */
    private static final class Bounded implements HttpResponse.BodySubscriber<byte[]> {
        private final int max;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        Bounded(int max) {
            this.max = max;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer b : buffers) {
                if (out.size() + b.remaining() > max) {
                    subscription.cancel();
                    result.completeExceptionally(new IOException("answer larger than " + max + " bytes"));
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                out.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(out.toByteArray());
        }
    }
}
