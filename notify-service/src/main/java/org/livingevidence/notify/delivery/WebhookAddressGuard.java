package org.livingevidence.notify.delivery;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hc.client5.http.DnsResolver;
import org.livingevidence.support.problems.InputProblem;

/**
 * The SSRF guard. Webhook URLs are refused when their host resolves to loopback, private, link-local, cloud
 * metadata or reserved addresses, unless {@code evidence.delivery.allowed-address-kinds} lists that kind (tests
 * allow LOOPBACK). It is also the HTTP client's DNS resolver, so the addresses it approved are the ones connected
 * to: a name that resolves differently at send time (DNS rebinding) is checked again there.
 *
 * <p>IPv6 addresses that carry an IPv4 address (IPv4-mapped and IPv4-compatible, NAT64, 6to4, Teredo, ISATAP) are
 * judged by the IPv4 address they lead to, since that is where a translator or tunnel delivers the request:
 * {@code ::ffff:127.0.0.1} is loopback, {@code 64:ff9b::a00:1} is private.
 */
@Singleton
public class WebhookAddressGuard implements DnsResolver {

    /** Kinds of address a webhook may not reach unless configured. */
    public enum AddressKind { LOOPBACK, PRIVATE, LINK_LOCAL, METADATA, RESERVED }

    /** Looks a host name up; the system resolver in production, a fixed table in tests. */
    @FunctionalInterface
    public interface HostResolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final Set<AddressKind> allowed;
    private final HostResolver resolver;

    @Inject
    WebhookAddressGuard(@Value("${evidence.delivery.allowed-address-kinds:}") List<String> allowedKinds) {
        this(allowedKinds, InetAddress::getAllByName);
    }

    WebhookAddressGuard(List<String> allowedKinds, HostResolver resolver) {
        this.allowed = allowedKinds.stream().filter(s -> !s.isBlank())
                .map(s -> AddressKind.valueOf(s.trim().toUpperCase(Locale.ROOT))).collect(Collectors.toUnmodifiableSet());
        this.resolver = resolver;
    }

    /** Refuses a webhook URL whose host does not resolve, or resolves to any address of a refused kind (422). */
    public void refuseUnsafe(String field, String url) {
        String host = URI.create(url).getHost();
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw InputProblem.invalid(field, "the host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            Optional<AddressKind> kind = refusedKind(address);
            if (kind.isPresent()) {
                throw InputProblem.invalid(field, "the host " + host + " resolves to " + address.getHostAddress() + ", a "
                        + kind.get().name().toLowerCase(Locale.ROOT).replace('_', '-') + " address, which webhooks may not reach");
            }
        }
    }

    /** Resolves for the HTTP client, keeping only addresses a webhook may reach. */
    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        InetAddress[] all = resolver.resolve(host);
        List<InetAddress> safe = new ArrayList<>();
        for (InetAddress address : all) {
            if (refusedKind(address).isEmpty()) {
                safe.add(address);
            }
        }
        if (safe.isEmpty()) {
            throw new UnknownHostException(host + " resolves only to addresses webhooks may not reach: "
                    + Arrays.stream(all).map(InetAddress::getHostAddress).toList());
        }
        return safe.toArray(InetAddress[]::new);
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        return resolve(host)[0].getCanonicalHostName();
    }

    Optional<AddressKind> refusedKind(InetAddress address) {
        AddressKind kind = classify(address);
        return kind == null || allowed.contains(kind) ? Optional.empty() : Optional.of(kind);
    }

    /** The kind of a non-public address, or null for a public one. */
    static AddressKind classify(InetAddress address) {
        if (address instanceof Inet4Address) {
            return classifyV4(address.getAddress());
        }
        if (address instanceof Inet6Address) {
            byte[] b = address.getAddress();
            List<byte[]> embedded = embeddedIpv4(b);
            if (!embedded.isEmpty()) {
                // The most restrictive reading wins: a guard must not guess in the attacker's favour.
                return embedded.stream().map(WebhookAddressGuard::classifyV4).filter(java.util.Objects::nonNull)
                        .min(java.util.Comparator.naturalOrder()).orElse(null);
            }
            return classifyV6(address, b);
        }
        return AddressKind.RESERVED;
    }

    private static AddressKind classifyV4(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        int third = b[2] & 0xff;
        int fourth = b[3] & 0xff;
        if (first == 169 && second == 254 && third == 169 && fourth == 254 || first == 100 && second == 100 && third == 100 && fourth == 200) {
            return AddressKind.METADATA;
        }
        if (first == 127) {
            return AddressKind.LOOPBACK;
        }
        if (first == 169 && second == 254) {
            return AddressKind.LINK_LOCAL;
        }
        if (first == 10 || first == 172 && second >= 16 && second <= 31 || first == 192 && second == 168
                || first == 100 && second >= 64 && second <= 127) {
            return AddressKind.PRIVATE;
        }
        if (first == 0 || first >= 224 || first == 192 && second == 0 && third == 0
                || first == 192 && second == 0 && third == 2 || first == 198 && (second == 18 || second == 19)
                || first == 198 && second == 51 && third == 100 || first == 203 && second == 0 && third == 113) {
            return AddressKind.RESERVED;
        }
        return null;
    }

    private static AddressKind classifyV6(InetAddress address, byte[] b) {
        if (b[0] == (byte) 0xfd && b[1] == 0x00 && b[2] == 0x0e && b[3] == (byte) 0xc2) {
            return AddressKind.METADATA;
        }
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
            return AddressKind.LOOPBACK;
        }
        if (address.isLinkLocalAddress()) {
            return AddressKind.LINK_LOCAL;
        }
        if ((b[0] & 0xfe) == 0xfc || address.isSiteLocalAddress()) {
            return AddressKind.PRIVATE;
        }
        if (address.isMulticastAddress() || b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && (b[3] & 0xff) == 0xb8
                || b[0] == 0x01 && b[1] == 0x00 && allZero(b, 2, 8)) {
            return AddressKind.RESERVED;
        }
        return null;
    }

    /**
     * The IPv4 addresses an IPv6 address leads to: IPv4-mapped ({@code ::ffff:0:0/96}) and IPv4-compatible
     * ({@code ::/96}), NAT64 ({@code 64:ff9b::/96}, and the local-use {@code 64:ff9b:1::/48} read at both the /96
     * and the /48 positions of RFC 6052), 6to4 ({@code 2002::/16}), Teredo ({@code 2001::/32}, the client address
     * inverted in the last 32 bits) and ISATAP (interface id {@code 0:5efe} or {@code 200:5efe}).
     */
    static List<byte[]> embeddedIpv4(byte[] b) {
        List<byte[]> found = new ArrayList<>();
        boolean first80Zero = allZero(b, 0, 10);
        if (first80Zero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            found.add(last32(b));
        } else if (first80Zero && b[10] == 0 && b[11] == 0 && !allZero(b, 12, 16)
                && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && b[15] == 1)) {
            found.add(last32(b));
        } else if (b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            if (allZero(b, 4, 12)) {
                found.add(last32(b));
            } else if (b[4] == 0x00 && b[5] == 0x01) {
                found.add(last32(b));
                found.add(new byte[] {b[6], b[7], b[9], b[10]});
            }
        } else if (b[0] == 0x20 && b[1] == 0x02) {
            found.add(new byte[] {b[2], b[3], b[4], b[5]});
        } else if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00) {
            found.add(new byte[] {(byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15]});
        } else if ((b[8] & 0xfd) == 0x00 && b[9] == 0x00 && b[10] == 0x5e && (b[11] & 0xff) == 0xfe) {
            found.add(last32(b));
        }
        return found;
    }

    private static byte[] last32(byte[] b) {
        return new byte[] {b[12], b[13], b[14], b[15]};
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
