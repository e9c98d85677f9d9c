package org.licensing.issuer.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.IntUnaryOperator;

import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver for tests: a real HTTP server (the JDK's) on a loopback address, recording every request it
 * gets and answering what {@code answer} says for the n-th request (0-based), after {@code delayMillis(n)}.
 */
final class Receiver implements AutoCloseable {

    /** One request as received: its headers (lower-case names, first value) and body. */
    record Received(Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile IntUnaryOperator answer;
    private volatile IntUnaryOperator delayMillis = n -> 0;

    private Receiver(String address, IntUnaryOperator answer) throws IOException {
        this.answer = answer;
        server = HttpServer.create(new InetSocketAddress(address, 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
            int n;
            synchronized (received) {
                n = received.size();
                received.add(new Received(headers, new String(body, StandardCharsets.UTF_8)));
            }
            try {
                Thread.sleep(this.delayMillis.applyAsInt(n));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // the fields, not the constructor's parameter: a test changes the answer while the receiver runs
            int status = this.answer.applyAsInt(n);
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    static Receiver on(String address, IntUnaryOperator answer) throws IOException {
        return new Receiver(address, answer);
    }

    void answer(IntUnaryOperator answer) {
        this.answer = answer;
    }

    void delay(IntUnaryOperator delayMillis) {
        this.delayMillis = delayMillis;
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port() + "/hooks/licensing";
    }

    List<Received> received() {
        return new ArrayList<>(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
