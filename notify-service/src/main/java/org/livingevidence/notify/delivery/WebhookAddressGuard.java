package org.livingevidence.notify.delivery;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.hc.client5.http.DnsResolver;
import org.livingevidence.support.problems.InputProblem;

/**
 * The SSRF guard. Webhook URLs are refused when their host resolves to loopback, private, link-local, cloud
 * metadata or reserved addresses, unless {@code evidence.delivery.allowed-address-kinds} lists that kind (tests
 * allow LOOPBACK). It is also the HTTP client's DNS resolver, so the addresses it approved are the ones connected
 * to: a name that resolves differently at send time (DNS rebinding) is checked again there.
 */
@Singleton
public class WebhookAddressGuard implements DnsResolver {

    /** Kinds of address a webhook may not reach unless configured. */
    public enum AddressKind { LOOPBACK, PRIVATE, LINK_LOCAL, METADATA, RESERVED }

    private final Set<AddressKind> allowed;

    WebhookAddressGuard(@Value("${evidence.delivery.allowed-address-kinds:}") List<String> allowedKinds) {
        this.allowed = allowedKinds.stream().filter(s -> !s.isBlank()).map(s -> AddressKind.valueOf(s.trim().toUpperCase(java.util.Locale.ROOT)))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** Refuses a webhook URL whose host does not resolve, or resolves to any address of a refused kind (422). */
    public void refuseUnsafe(String field, String url) {
        String host = URI.create(url).getHost();
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw InputProblem.invalid(field, "the host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            Optional<AddressKind> kind = refusedKind(address);
            if (kind.isPresent()) {
                throw InputProblem.invalid(field, "the host " + host + " resolves to " + address.getHostAddress() + ", a "
                        + kind.get().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " address, which webhooks may not reach");
            }
        }
    }

    /** Resolves for the HTTP client, keeping only addresses a webhook may reach. */
    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        InetAddress[] all = InetAddress.getAllByName(host);
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
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 169 && second == 254 && (b[2] & 0xff) == 169 && (b[3] & 0xff) == 254
                    || first == 100 && second == 100 && (b[2] & 0xff) == 100 && (b[3] & 0xff) == 200) {
                return AddressKind.METADATA;
            }
            if (address.isLoopbackAddress()) {
                return AddressKind.LOOPBACK;
            }
            if (address.isLinkLocalAddress()) {
                return AddressKind.LINK_LOCAL;
            }
            if (address.isSiteLocalAddress() || first == 100 && second >= 64 && second <= 127) {
                return AddressKind.PRIVATE;
            }
            if (first == 0 || first >= 224 || first == 192 && second == 0 && (b[2] & 0xff) == 0
                    || first == 198 && (second == 18 || second == 19)) {
                return AddressKind.RESERVED;
            }
            return null;
        }
        if (address instanceof Inet6Address) {
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
            if (address.isMulticastAddress() || b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && (b[3] & 0xff) == 0xb8) {
                return AddressKind.RESERVED;
            }
            return null;
        }
        return AddressKind.RESERVED;
    }
}
