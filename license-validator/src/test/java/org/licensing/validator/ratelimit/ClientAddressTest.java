package org.licensing.validator.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.licensing.core.key.LicenseKey;
import org.licensing.testsupport.ServiceTest;
import org.licensing.validator.TestLicenses;
import org.licensing.validator.TestTime;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The client address over real HTTP, with per-client limits that bite (burst 3, 1 per second): a trusted proxy's
 * {@code X-Forwarded-For} names the client, an untrusted peer's is ignored. Requests leave from two loopback
 * addresses: 127.0.0.1 (the one trusted proxy here) and 127.0.0.2 (any other peer; Linux routes all of 127/8 to
 * the loopback interface).
 */
@ServiceTest
@TestProfile(ClientAddressTest.TightClientLimits.class)
class ClientAddressTest {

    /** Where the test server listens. */
    static final String SERVER = "127.0.0.1";
    static final String TRUSTED_PEER = "127.0.0.1";
    static final String UNTRUSTED_PEER = "127.0.0.2";

    /** Three requests per client, then one per second; the per-key limit out of the way; one trusted proxy. */
    public static class TightClientLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("licensing.validator.rate-limit.per-client-burst", "3",
                    "licensing.validator.rate-limit.per-client-per-second", "1",
                    "licensing.validator.rate-limit.per-key-burst", "1000",
                    "licensing.validator.rate-limit.per-key-per-second", "1000",
                    "licensing.validator.rate-limit.trusted-proxies", TRUSTED_PEER);
        }
    }

    @TestHTTPResource("/v1/validate")
    URL validate;

    @BeforeEach
    void startClock() {
        TestTime.startAt("2026-08-01T16:45:00Z");
    }

    @Test
    void aTrustedProxysForwardedForNamesTheClient() throws IOException {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, post(TRUSTED_PEER, "203.0.113.10").status());
        }
        Answer refused = post(TRUSTED_PEER, "203.0.113.10");
        assertEquals(429, refused.status());
        assertEquals("1", refused.header("Retry-After"));
        assertEquals(true, refused.body().contains("https://licensing.dev/problems/rate-limited"), refused.body());
        // Another client behind the same proxy has a bucket of its own; the right-most untrusted hop counts.
        assertEquals(200, post(TRUSTED_PEER, "203.0.113.11").status());
        assertEquals(200, post(TRUSTED_PEER, "203.0.113.10, 203.0.113.12").status());

        TestTime.advance(Duration.ofSeconds(1));
        assertEquals(200, post(TRUSTED_PEER, "203.0.113.10").status(), "one token back after a second");
        assertEquals(429, post(TRUSTED_PEER, "203.0.113.10").status());
    }

    @Test
    void anUntrustedPeersForwardedForIsIgnored() throws IOException {
        // Each request claims another client: the header is not trusted, so all four count for the peer.
        for (int i = 1; i <= 3; i++) {
            assertEquals(200, post(UNTRUSTED_PEER, "198.51.100." + i).status());
        }
        assertEquals(429, post(UNTRUSTED_PEER, "198.51.100.4").status());
        assertEquals(429, post(UNTRUSTED_PEER, null).status());
        // The same claimed client through the trusted proxy is a client of its own.
        assertEquals(200, post(TRUSTED_PEER, "198.51.100.4").status());
    }

    record Answer(int status, String head, String body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    /** One HTTP/1.1 request from {@code localAddress}; a validation of an unknown key (200 NOT_FOUND when served). */
    Answer post(String localAddress, String forwardedFor) throws IOException {
        String body = "{\"key\":\"" + LicenseKey.generate(UUID.randomUUID()).text() + "\",\"productCode\":\""
                + TestLicenses.PRODUCT + "\",\"nonce\":\"" + UUID.randomUUID() + "\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder()
                .append("POST ").append(validate.getPath()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(validate.getHost()).append(':').append(validate.getPort()).append("\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Content-Length: ").append(bytes.length).append("\r\n")
                .append("Connection: close\r\n");
        if (forwardedFor != null) {
            request.append("X-Forwarded-For: ").append(forwardedFor).append("\r\n");
        }
        request.append("\r\n");
        try (Socket socket = new Socket(InetAddress.getByName(SERVER), validate.getPort(),
                InetAddress.getByName(localAddress), 0)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            String status = head.split(" ", 3)[1];
            return new Answer(Integer.parseInt(status), head, end < 0 ? "" : text.substring(end + 4));
        }
    }
}
