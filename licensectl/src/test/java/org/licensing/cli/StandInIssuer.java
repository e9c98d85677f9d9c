package org.licensing.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on a port of its own (bind 0) that answers as the test scripts it, per {@code METHOD path}:
 * the issuer's side of the wire for the CLI's unit tests (the real issuer is driven by the e2e LicensectlIT).
 */
final class StandInIssuer implements AutoCloseable {

    /** A request as it arrived. */
    record Seen(String method, URI uri, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        String accept() {
            return header("Accept");
        }

        String authorization() {
            return header("Authorization");
        }

        /** Every value of query parameter {@code name}, decoded, in order. */
        List<String> params(String name) {
            List<String> values = new ArrayList<>();
            String q = uri.getRawQuery();
            if (q == null) {
                return values;
            }
            for (String pair : q.split("&")) {
                int eq = pair.indexOf('=');
                String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                if (k.equals(name)) {
                    values.add(eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return values;
        }

        String param(String name) {
            List<String> v = params(name);
            return v.isEmpty() ? null : v.get(0);
        }
    }

    /** What to answer: status, content type, body. */
    record Reply(int status, String type, String body) {
        static Reply json(String body) {
            return new Reply(200, "application/json", body);
        }

        static Reply problem(int status, String type, String title, String detail) {
            return new Reply(status, "application/problem+json", "{\"type\":\"https://licensing.dev/problems/" + type
                    + "\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}");
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Map<String, Function<Seen, Reply>> routes = new ConcurrentHashMap<>();

    StandInIssuer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        // Its own threads: a handler that holds its answer back (the timeout tests) blocks no other request.
        server.setExecutor(threads);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers {@code METHOD path} (no query) with what {@code reply} makes of the request. */
    StandInIssuer on(String methodAndPath, Function<Seen, Reply> reply) {
        routes.put(methodAndPath, reply);
        return this;
    }

    StandInIssuer on(String methodAndPath, Reply reply) {
        return on(methodAndPath, r -> reply);
    }

    List<Seen> seen() {
        return seen;
    }

    Seen last() {
        return seen.get(seen.size() - 1);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Seen s = new Seen(ex.getRequestMethod(), ex.getRequestURI(), Map.copyOf(ex.getRequestHeaders()), body);
            seen.add(s);
            Function<Seen, Reply> route = routes.get(s.method() + " " + s.uri().getRawPath());
            Reply reply = route != null ? route.apply(s)
                    : Reply.problem(404, "not-found", "Not found", s.uri().getRawPath() + " was not found");
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", reply.type());
            ex.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
