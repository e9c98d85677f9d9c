package org.licensing.issuer.webhook;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where webhooks may go: never to loopback, private, link-local, unique-local, carrier-grade NAT, multicast,
 * unspecified or cloud metadata addresses, unless the operator allows a range (the tests allow their receivers'
 * 127.0.0.1). The host is resolved once and every address it resolves to must pass, and the delivery then connects
 * to the checked address itself: a name cannot resolve to a public address for the check and to an internal one for
 * the connection (DNS rebinding), nor hide an internal address among public ones.
 */
public final class AddressGuard {

    /** Internal ranges besides what {@link InetAddress}'s own predicates name. */
    private static final List<Cidr> INTERNAL = List.of(
            Cidr.parse("0.0.0.0/8"), Cidr.parse("100.64.0.0/10"), Cidr.parse("192.0.0.0/24"),
            Cidr.parse("198.18.0.0/15"), Cidr.parse("240.0.0.0/4"), Cidr.parse("fc00::/7"),
            Cidr.parse("fd00:ec2::254/128"), Cidr.parse("64:ff9b::/96"));

    private final List<Cidr> allowed;

    public AddressGuard(List<String> allowedRanges) {
        List<Cidr> ranges = new ArrayList<>();
        for (String r : allowedRanges) {
            ranges.add(Cidr.parse(r.trim()));
        }
        this.allowed = List.copyOf(ranges);
    }

    /** A host's addresses, all of them checked; the first is the one to connect to. */
    public record Resolved(String host, List<InetAddress> addresses) {
        public InetAddress connectTo() {
            return addresses.get(0);
        }
    }

    /**
     * Resolves {@code host} and checks every address.
     *
     * @throws RefusedAddressException naming the host and the refused address (or that it does not resolve)
     */
    public Resolved resolve(String host) {
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new RefusedAddressException(host + " does not resolve");
        }
        for (InetAddress a : all) {
            refusal(a).ifPresent(why -> {
                throw new RefusedAddressException(host + " resolves to " + a.getHostAddress() + ", " + why);
            });
        }
        return new Resolved(host, List.of(all));
    }

    /** Why {@code address} is refused, or empty when webhooks may go there. */
    public Optional<String> refusal(InetAddress address) {
        InetAddress a = unmapped(address);
        for (Cidr c : allowed) {
            if (c.contains(a)) {
                return Optional.empty();
            }
        }
        if (a.isLoopbackAddress()) {
            return Optional.of("a loopback address");
        }
        if (a.isLinkLocalAddress()) {
            return Optional.of("a link-local address (cloud metadata services live there)");
        }
        if (a.isSiteLocalAddress()) {
            return Optional.of("a private address");
        }
        if (a.isAnyLocalAddress() || a.isMulticastAddress()) {
            return Optional.of("not a unicast address");
        }
        for (Cidr c : INTERNAL) {
            if (c.contains(a)) {
                return Optional.of("an internal address (" + c + ")");
            }
        }
        return Optional.empty();
    }

    /** An IPv4-mapped or -compatible IPv6 address checked as the IPv4 address it carries. */
    private static InetAddress unmapped(InetAddress a) {
        if (a instanceof Inet6Address) {
            byte[] b = a.getAddress();
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && ((b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0
                    && (b[12] | b[13] | b[14]) != 0))) {
                try {
                    return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return a;
    }

    /** A CIDR range of IPv4 or IPv6 addresses. */
    record Cidr(byte[] network, int prefix, String text) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            try {
                String addr = slash < 0 ? text : text.substring(0, slash);
                if (!addr.matches("[0-9a-fA-F:.]+")) {
                    throw new IllegalArgumentException("not an address literal: " + text);
                }
                byte[] network = InetAddress.getByName(addr).getAddress();
                int prefix = slash < 0 ? network.length * 8 : Integer.parseInt(text.substring(slash + 1));
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException("prefix out of range: " + text);
                }
                return new Cidr(network, prefix, text);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("not a CIDR range: " + text, e);
            }
        }

        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != network.length) {
                return false;
            }
            int bits = b.length * 8;
            BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
            return new BigInteger(1, b).and(mask).equals(new BigInteger(1, network).and(mask));
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
