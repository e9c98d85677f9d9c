package org.licensing.client;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How the client identifies the machine (or cluster) it runs on; the fingerprint is sent with every validation and
 * activation, and a cached receipt is only accepted for the fingerprint it was signed for. The client computes it
 * once per {@link LicenseClient} and remembers it.
 *
 * <p>Built-in strategies, each derived with the product code so two products on one host get different
 * fingerprints (the README gives the exact derivation for products in other languages):
 * <ul>
 *   <li>{@link #host()}: {@code "host-" + hex(SHA-256(UTF-8(productCode + ":" + machineId)))} from
 *       {@code /etc/machine-id} (or {@code /var/lib/dbus/machine-id});</li>
 *   <li>{@link #kubernetesCluster()}: {@code "k8s-" + hex(SHA-256(UTF-8(productCode + ":" + uid)))} with the UID of
 *       the {@code kube-system} namespace, read through the pod's service account;</li>
 *   <li>{@link #supplied(String)}: the product's own value, used as is;</li>
 *   <li>{@link #none()}: no fingerprint (the validator then skips its machine checks).</li>
 * </ul>
 */
@FunctionalInterface
public interface FingerprintStrategy {

    /**
     * This machine's fingerprint for {@code productCode}: 1 to 128 printable ASCII characters, or null for none.
     *
     * @throws IOException when it cannot be determined (the client then throws {@link LicenseClientException})
     */
    String fingerprint(String productCode) throws IOException;

    /** The host's systemd machine id ({@code /etc/machine-id}, else {@code /var/lib/dbus/machine-id}), hashed. */
    static FingerprintStrategy host() {
        return new HostFingerprint(List.of(Path.of("/etc/machine-id"), Path.of("/var/lib/dbus/machine-id")));
    }

    /** As {@link #host()}, reading the machine id from {@code machineIdFile} (tests, unusual layouts). */
    static FingerprintStrategy host(Path machineIdFile) {
        return new HostFingerprint(List.of(Objects.requireNonNull(machineIdFile, "machineIdFile")));
    }

    /**
     * The cluster: the UID of the {@code kube-system} namespace, read with the pod's service account token and CA
     * ({@code /var/run/secrets/kubernetes.io/serviceaccount}) from {@code https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT}.
     * The service account needs {@code get} on {@code namespaces} (resource name {@code kube-system}).
     */
    static FingerprintStrategy kubernetesCluster() {
        return KubernetesFingerprint.inCluster();
    }

    /**
     * As {@link #kubernetesCluster()} with the service account directory (holding {@code token} and {@code ca.crt})
     * and the API server's base URI given (tests, or a product that reaches the API another way).
     */
    static FingerprintStrategy kubernetesCluster(Path serviceAccountDirectory, URI apiServer) {
        return new KubernetesFingerprint(Objects.requireNonNull(serviceAccountDirectory, "serviceAccountDirectory"),
                Objects.requireNonNull(apiServer, "apiServer"));
    }

    /** A fingerprint the product computes itself, used exactly as given. */
    static FingerprintStrategy supplied(String fingerprint) {
        Objects.requireNonNull(fingerprint, "fingerprint");
        return productCode -> fingerprint;
    }

    /** No fingerprint: validations are not bound to a machine, and activation is not possible. */
    static FingerprintStrategy none() {
        return productCode -> null;
    }
}
