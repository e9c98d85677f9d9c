package org.licensing.issuer.webhook;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The address rules, on literal addresses (no DNS needed); the service's tests check names and real receivers. */
class AddressGuardTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void internalAddressesAreRefusedAndPublicOnesPass() throws Exception {
        AddressGuard guard = new AddressGuard(List.of());
        for (String internal : List.of("127.0.0.1", "127.8.9.10", "::1", "10.0.0.1", "172.16.0.1", "172.31.255.255",
                "192.168.1.1", "169.254.169.254", "fe80::1", "fd00:ec2::254", "fc00::1", "100.64.0.1", "0.0.0.0",
                "::", "224.0.0.1", "::ffff:10.1.2.3", "::ffff:169.254.169.254", "198.18.0.1", "64:ff9b::a00:1")) {
            assertTrue(guard.refusal(ip(internal)).isPresent(), internal + " is refused");
        }
        for (String external : List.of("8.8.8.8", "93.184.216.34", "172.32.0.1", "100.128.0.1", "2001:4860:4860::8888",
                "::ffff:8.8.8.8")) {
            assertEquals(java.util.Optional.empty(), guard.refusal(ip(external)), external + " passes");
        }
        RefusedAddressException e = assertThrows(RefusedAddressException.class, () -> guard.resolve("169.254.169.254"));
        assertTrue(e.getMessage().contains("link-local"), e.getMessage());
    }

    @Test
    void theOperatorMayAllowARangeAndOnlyThatRange() throws Exception {
        AddressGuard guard = new AddressGuard(List.of("127.0.0.2/32", "10.20.0.0/16"));
        assertTrue(guard.refusal(ip("127.0.0.2")).isEmpty());
        assertTrue(guard.refusal(ip("10.20.255.1")).isEmpty());
        assertTrue(guard.refusal(ip("127.0.0.1")).isPresent());
        assertTrue(guard.refusal(ip("10.21.0.1")).isPresent());
        assertTrue(guard.refusal(ip("169.254.169.254")).isPresent());
        assertThrows(IllegalArgumentException.class, () -> new AddressGuard(List.of("localhost/8")));
        assertThrows(IllegalArgumentException.class, () -> new AddressGuard(List.of("10.0.0.0/33")));
    }
}
