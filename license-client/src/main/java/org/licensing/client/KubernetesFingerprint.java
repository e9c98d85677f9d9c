package org.licensing.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.licensing.core.json.Json;

/**
 * {@link FingerprintStrategy#kubernetesCluster()}: {@code GET /api/v1/namespaces/kube-system} with the service
 * account's bearer token, TLS trusting only the service account's {@code ca.crt}; the fingerprint is
 * {@code "k8s-" + hex(SHA-256(UTF-8(productCode + ":" + metadata.uid)))}.
 */
final class KubernetesFingerprint implements FingerprintStrategy {

    static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_BODY = 256 * 1024;

    private final Path serviceAccount;
    private final URI apiServer; // null: from KUBERNETES_SERVICE_HOST/PORT when asked

    KubernetesFingerprint(Path serviceAccount, URI apiServer) {
        this.serviceAccount = serviceAccount;
        this.apiServer = apiServer;
    }

    static KubernetesFingerprint inCluster() {
        return new KubernetesFingerprint(SERVICE_ACCOUNT, null);
    }

    @Override
    public String fingerprint(String productCode) throws IOException {
        URI base = apiServer != null ? apiServer : fromEnvironment();
        String token = Files.readString(serviceAccount.resolve("token"), StandardCharsets.US_ASCII).strip();
        if (token.isEmpty()) {
            throw new IOException("Service account token " + serviceAccount.resolve("token") + " is empty");
        }
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1);
        if ("https".equalsIgnoreCase(base.getScheme())) {
            http.sslContext(trusting(serviceAccount.resolve("ca.crt")));
        }
        String path = base.getPath() == null || base.getPath().isEmpty() ? "" : base.getPath().replaceAll("/+$", "");
        URI uri = base.resolve(path + "/api/v1/namespaces/kube-system");
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json")
                .header("Authorization", "Bearer " + token).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.build().send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while reading the kube-system namespace", e);
        }
        String body;
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new IOException("Kubernetes API answer is larger than " + MAX_BODY + " bytes");
            }
            body = new String(bytes, StandardCharsets.UTF_8);
        }
        if (response.statusCode() != 200) {
            throw new IOException("Kubernetes API answered HTTP " + response.statusCode() + " for " + uri
                    + (response.statusCode() == 403 ? " (the service account needs get on namespaces/kube-system)" : ""));
        }
        String uid;
        try {
            Object metadata = Json.parseObject(body).get("metadata");
            Object u = metadata instanceof Map<?, ?> m ? m.get("uid") : null;
            uid = u instanceof String s ? s : null;
        } catch (Json.JsonException e) {
            throw new IOException("Kubernetes API answer is not JSON: " + e.getMessage(), e);
        }
        if (uid == null || uid.isBlank()) {
            throw new IOException("The kube-system namespace has no metadata.uid");
        }
        return "k8s-" + HostFingerprint.sha256Hex(productCode + ":" + uid);
    }

    private static URI fromEnvironment() throws IOException {
        String host = System.getenv("KUBERNETES_SERVICE_HOST");
        String port = System.getenv("KUBERNETES_SERVICE_PORT");
        if (host == null || host.isBlank()) {
            throw new IOException("Not running in Kubernetes: KUBERNETES_SERVICE_HOST is not set");
        }
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return URI.create("https://" + h + ":" + (port == null || port.isBlank() ? "443" : port.strip()));
    }

    /** An SSL context that trusts exactly the certificates in the PEM file {@code caFile}. */
    static SSLContext trusting(Path caFile) throws IOException {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new IOException("No certificate in " + caFile);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot use the CA certificates in " + caFile + ": " + e.getMessage(), e);
        }
    }
}
