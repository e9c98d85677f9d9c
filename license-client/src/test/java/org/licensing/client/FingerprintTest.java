package org.licensing.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.File;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintTest {

    private static final String MACHINE_ID = "4f1c2b7e9d0a4e6b8c3f5a7d9e1b3c5d";
    private static final String UID = "8a1c7e0e-3c2d-4f4b-9a51-2b7d6c1e9f00";

    @TempDir
    Path tmp;

    static String sha256Hex(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void hostFingerprintIsTheHashedMachineIdPerProduct() throws Exception {
        Path id = Files.writeString(tmp.resolve("machine-id"), MACHINE_ID + "\n");
        FingerprintStrategy host = FingerprintStrategy.host(id);
        String a = host.fingerprint("gpu-orchestrator");
        assertEquals("host-" + sha256Hex("gpu-orchestrator:" + MACHINE_ID), a);
        assertNotEquals(a, host.fingerprint("inference-gateway"), "two products on one host differ");
        assertTrue(a.length() <= LicenseClient.MAX_FINGERPRINT);
    }

    @Test
    void hostFingerprintProblemsAreClearExceptions() throws Exception {
        Fixture f = new Fixture(tmp);
        try (f; LicenseClient client = f.builder().fingerprint(FingerprintStrategy.host(tmp.resolve("absent"))).build()) {
            LicenseClientException e = assertThrows(LicenseClientException.class, client::validate);
            assertTrue(e.getMessage().contains("machine id"), e.getMessage());
        }
        Path empty = Files.writeString(tmp.resolve("empty-id"), "\n");
        assertThrows(java.io.IOException.class, () -> FingerprintStrategy.host(empty).fingerprint("p"));
    }

    @Test
    void theRealHostHasOneOrSaysWhyNot() {
        try {
            String fp = FingerprintStrategy.host().fingerprint("p");
            assertTrue(fp.startsWith("host-") && fp.length() == 69, fp);
        } catch (java.io.IOException e) {
            assertTrue(e.getMessage().contains("machine id"), e.getMessage());
        }
    }

    @Test
    void suppliedFingerprintsAreUsedAsIsAndChecked() throws Exception {
        Fixture f = new Fixture(tmp);
        try (f; LicenseClient client = f.builder().fingerprint(FingerprintStrategy.supplied("rack-7/node-3")).build()) {
            assertEquals("rack-7/node-3", client.fingerprint());
            assertEquals(LicenseCode.VALID, client.validate().code());
        }
        Fixture g = new Fixture(tmp.resolve("g"));
        try (g; LicenseClient client = g.builder().fingerprint(FingerprintStrategy.supplied("naïve")).build()) {
            assertThrows(LicenseClientException.class, client::validate);
        }
    }

    @Test
    void kubernetesClusterOverTlsWithTheServiceAccount() throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        // Not a silent skip: without keytool the Kubernetes path would go untested.
        assertTrue(Files.isExecutable(keytool), "keytool is needed to make a test certificate: run the tests on a"
                + " full JDK 17+ (e.g. apt-get install openjdk-17-jdk-headless), not a JRE; looked at " + keytool);
        Path ks = tmp.resolve("server.p12");
        Path sa = Files.createDirectory(tmp.resolve("serviceaccount"));
        run(keytool.toString(), "-genkeypair", "-alias", "api", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=kubernetes", "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
        run(keytool.toString(), "-exportcert", "-rfc", "-alias", "api", "-keystore", ks.toString(),
                "-storepass", "changeit", "-file", sa.resolve("ca.crt").toString());
        Files.writeString(sa.resolve("token"), "sa-token-123\n");

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);

        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        AtomicReference<String> auth = new AtomicReference<>();
        AtomicReference<String> path = new AtomicReference<>();
        server.createContext("/", ex -> {
            try (ex) {
                auth.set(ex.getRequestHeaders().getFirst("Authorization"));
                path.set(ex.getRequestURI().getPath());
                byte[] body = ("{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"kube-system\",\"uid\":\"" + UID
                        + "\"}}").getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
        });
        server.start();
        try {
            URI api = URI.create("https://127.0.0.1:" + server.getAddress().getPort());
            String fp = FingerprintStrategy.kubernetesCluster(sa, api).fingerprint("gpu-orchestrator");
            assertEquals("k8s-" + sha256Hex("gpu-orchestrator:" + UID), fp);
            assertEquals("Bearer sa-token-123", auth.get());
            assertEquals("/api/v1/namespaces/kube-system", path.get());

            // A CA that did not sign the API server's certificate: refused.
            Path otherSa = Files.createDirectory(tmp.resolve("other"));
            Files.writeString(otherSa.resolve("token"), "t");
            Path otherKs = tmp.resolve("other.p12");
            run(keytool.toString(), "-genkeypair", "-alias", "x", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=other", "-validity", "2", "-keystore", otherKs.toString(), "-storetype", "PKCS12",
                    "-storepass", "changeit", "-keypass", "changeit");
            run(keytool.toString(), "-exportcert", "-rfc", "-alias", "x", "-keystore", otherKs.toString(),
                    "-storepass", "changeit", "-file", otherSa.resolve("ca.crt").toString());
            assertThrows(java.io.IOException.class,
                    () -> FingerprintStrategy.kubernetesCluster(otherSa, api).fingerprint("gpu-orchestrator"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void kubernetesApiRefusalsAndMissingServiceAccountAreClear() throws Exception {
        Path sa = Files.createDirectory(tmp.resolve("sa"));
        try (FakeValidator api = new FakeValidator(new TestClock())) {
            api.handler = r -> FakeValidator.Reply.json(403, "{\"kind\":\"Status\",\"reason\":\"Forbidden\"}");
            Files.writeString(sa.resolve("token"), "t");
            java.io.IOException e = assertThrows(java.io.IOException.class,
                    () -> FingerprintStrategy.kubernetesCluster(sa, api.url()).fingerprint("p"));
            assertTrue(e.getMessage().contains("get on namespaces/kube-system"), e.getMessage());

            api.handler = r -> FakeValidator.Reply.json(200, "{\"metadata\":{}}");
            assertThrows(java.io.IOException.class,
                    () -> FingerprintStrategy.kubernetesCluster(sa, api.url()).fingerprint("p"));

            api.handler = r -> FakeValidator.Reply.json(200, "{\"metadata\":{\"uid\":\"" + UID + "\"}}");
            assertEquals("k8s-" + sha256Hex("p:" + UID),
                    FingerprintStrategy.kubernetesCluster(sa, api.url()).fingerprint("p"), "plain http when given");
        }
        assertThrows(java.nio.file.NoSuchFileException.class,
                () -> FingerprintStrategy.kubernetesCluster(tmp.resolve("absent"), URI.create("https://127.0.0.1:1"))
                        .fingerprint("p"));
    }

    private void run(String... cmd) throws Exception {
        File log = tmp.resolve("keytool.log").toFile();
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "keytool finished");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + Files.readString(log.toPath()));
    }
}
