package org.licensing.validator.ratelimit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.licensing.validator.config.ValidatorConfig;

import io.vertx.core.http.HttpServerRequest;

/**
 * The client address used for rate limiting: the TCP peer, unless the peer is a configured trusted proxy, in
 * which case the right-most address of the forwarding header that is not itself a trusted proxy.
 */
@Singleton
public class ClientAddress {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final List<byte[][]> trusted = new ArrayList<>();
    private final String header;

    @Inject
    public ClientAddress(ValidatorConfig config) {
        this(config.rateLimit().trustedProxies().orElse(List.of()), config.rateLimit().clientAddressHeader());
    }

    public ClientAddress(List<String> trustedProxies, String header) {
        this.header = header;
        trustedProxies.forEach(p -> trusted.add(parse(p.trim())));
    }

    public String of(HttpServerRequest request) {
        String peer = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        if (trusted.isEmpty()) {
            return peer;
        }
        return resolve(peer, request.getHeader(header));
    }

    /** The client for a TCP peer and the value of the forwarding header (may be null). */
    public String resolve(String peer, String forwarded) {
        if (trusted.isEmpty() || !isTrusted(peer)) {
            return peer;
        }
        if (forwarded == null || forwarded.isBlank()) {
            return peer;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (hop.isEmpty() || hop.length() > 64 || bytes(hop) == null) {
                return peer; // not an address: the header is not usable
            }
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return peer;
    }

    boolean isTrusted(String address) {
        byte[] a = bytes(address);
        if (a == null) {
            return false;
        }
        for (byte[][] range : trusted) {
            if (range != null && matches(range[0], range[1], a)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(byte[] network, byte[] mask, byte[] a) {
        if (network.length != a.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if ((a[i] & mask[i]) != (network[i] & mask[i])) {
                return false;
            }
        }
        return true;
    }

    /** {network, mask} for "ip" or "ip/prefix". */
    private static byte[][] parse(String spec) {
        int slash = spec.indexOf('/');
        byte[] network = bytes(slash < 0 ? spec : spec.substring(0, slash));
        if (network == null) {
            throw new IllegalArgumentException("licensing.validator.rate-limit.trusted-proxies: not an IP address: " + spec);
        }
        int prefix = slash < 0 ? network.length * 8 : Integer.parseInt(spec.substring(slash + 1));
        byte[] mask = new byte[network.length];
        for (int i = 0; i < mask.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            mask[i] = (byte) (bits == 0 ? 0 : 0xff << (8 - bits));
        }
        return new byte[][] {network, mask};
    }

    /** Literal IPv4/IPv6 only: never a DNS lookup. */
    private static byte[] bytes(String address) {
        if (address == null) {
            return null;
        }
        String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        boolean literal = IPV4.matcher(a).matches() || (a.indexOf(':') >= 0 && IPV6.matcher(a).matches());
        if (!literal) {
            return null;
        }
        try {
            return InetAddress.getByName(a).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
