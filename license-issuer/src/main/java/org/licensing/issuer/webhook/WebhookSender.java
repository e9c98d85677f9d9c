package org.licensing.issuer.webhook;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.licensing.issuer.config.IssuerConfig;
import org.licensing.issuer.webhook.DeliveryPolicy.Attempt;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * One attempt of one message over HTTP (Vert.x client): the URL's host resolved and checked by the
 * {@link AddressGuard} at every attempt, the connection made to the checked address itself (the Host header and TLS
 * name stay the URL's host, so certificates are verified against it), no redirect followed (a redirect is an answer
 * like any other non-2xx: a receiver cannot send us elsewhere), a timeout on connecting and on each wait for data,
 * and the answer's body never read (nothing a receiver sends can grow our memory). The connection is closed after
 * each attempt.
 */
@ApplicationScoped
public class WebhookSender {

    /** Standard Webhooks headers. */
    static final String ID = "webhook-id";
    static final String TIMESTAMP = "webhook-timestamp";
    static final String SIGNATURE = "webhook-signature";

    private final AddressGuard guard;
    private final IssuerConfig config;
    private final HttpClient client;

    public WebhookSender(AddressGuard guard, IssuerConfig config, Vertx vertx) {
        this.guard = guard;
        this.config = config;
        long timeout = config.webhooks().timeout().toMillis();
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(false)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout))
                .setIdleTimeout((int) Math.max(1, timeout))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setVerifyHost(true)
                .setForceSni(true)
                .setMaxRedirects(0));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** Sends {@code body} signed with every secret of {@code secrets}; never fails: a failure is an Attempt. */
    public Uni<Attempt> send(String url, String messageId, long timestamp, byte[] body, List<String> secrets) {
        long start = System.nanoTime();
        WebhookUrl target;
        try {
            target = WebhookUrl.parse(url, config.webhooks().allowHttp());
        } catch (RuntimeException e) {
            return Uni.createFrom().item(new Attempt(null, 0, "refused: the stored URL is no longer acceptable"));
        }
        return Uni.createFrom().item(() -> guard.resolve(target.host()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(resolved -> Uni.createFrom().<Attempt>emitter(em -> {
                    RequestOptions request = new RequestOptions()
                            .setMethod(HttpMethod.POST)
                            .setSsl(target.https())
                            .setHost(target.host())
                            .setPort(target.port())
                            .setURI(target.pathAndQuery())
                            .setServer(SocketAddress.inetSocketAddress(
                                    new InetSocketAddress(resolved.connectTo(), target.port())))
                            .setFollowRedirects(false)
                            .putHeader("content-type", "application/json")
                            .putHeader("user-agent", "licensing-webhooks/1")
                            .putHeader(ID, messageId)
                            .putHeader(TIMESTAMP, Long.toString(timestamp))
                            .putHeader(SIGNATURE, WebhookSigner.signature(secrets, messageId, timestamp, body));
                    client.request(request)
                            .compose(req -> req.send(Buffer.buffer(body)))
                            .onComplete(ar -> {
                                long ms = (System.nanoTime() - start) / 1_000_000;
                                if (ar.succeeded()) {
                                    int status = ar.result().statusCode();
                                    // the body is not read: closing the connection discards it
                                    ar.result().request().connection().close();
                                    em.complete(new Attempt(status, ms, null));
                                } else {
                                    em.complete(new Attempt(null, ms, describe(ar.cause())));
                                }
                            });
                }))
                .ifNoItem().after(config.webhooks().timeout().multipliedBy(3))
                .recoverWithItem(() -> new Attempt(null, (System.nanoTime() - start) / 1_000_000, "timed out"))
                .onFailure(RefusedAddressException.class)
                .recoverWithItem(e -> new Attempt(null, 0, "refused: " + e.getMessage()))
                .onFailure().recoverWithItem(e -> new Attempt(null, (System.nanoTime() - start) / 1_000_000,
                        describe(e)));
    }

    private static String describe(Throwable e) {
        // the exception's class and message only: never the request (its headers carry the signature)
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
