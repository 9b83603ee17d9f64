package org.livingevidence.notify.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.livingevidence.notify.delivery.WebhookAddressGuard.AddressKind;
import org.livingevidence.support.problems.InputProblem;

class WebhookAddressGuardTest {

    private static AddressKind kind(String literal) throws UnknownHostException {
        return WebhookAddressGuard.classify(InetAddress.getByName(literal));
    }

    @Test
    void classifiesTheAddressesAWebhookMustNotReach() throws UnknownHostException {
        assertThat(kind("127.0.0.1")).isEqualTo(AddressKind.LOOPBACK);
        assertThat(kind("::1")).isEqualTo(AddressKind.LOOPBACK);
        assertThat(kind("::ffff:127.0.0.1")).isEqualTo(AddressKind.LOOPBACK);
        assertThat(kind("10.0.0.8")).isEqualTo(AddressKind.PRIVATE);
        assertThat(kind("172.20.1.1")).isEqualTo(AddressKind.PRIVATE);
        assertThat(kind("192.168.1.1")).isEqualTo(AddressKind.PRIVATE);
        assertThat(kind("100.64.0.1")).isEqualTo(AddressKind.PRIVATE);
        assertThat(kind("fd12:3456::1")).isEqualTo(AddressKind.PRIVATE);
        assertThat(kind("169.254.169.254")).isEqualTo(AddressKind.METADATA);
        assertThat(kind("100.100.100.200")).isEqualTo(AddressKind.METADATA);
        assertThat(kind("fd00:ec2::254")).isEqualTo(AddressKind.METADATA);
        assertThat(kind("169.254.10.1")).isEqualTo(AddressKind.LINK_LOCAL);
        assertThat(kind("fe80::1")).isEqualTo(AddressKind.LINK_LOCAL);
        assertThat(kind("0.0.0.0")).isEqualTo(AddressKind.RESERVED);
        assertThat(kind("224.0.0.1")).isEqualTo(AddressKind.RESERVED);
        assertThat(kind("93.184.215.14")).isNull();
        assertThat(kind("2606:4700::1111")).isNull();
    }

    private static InetAddress v6(String literal) throws UnknownHostException {
        // Inet6Address.getByAddress keeps the IPv6 form; InetAddress.getByName would turn ::ffff:a.b.c.d into IPv4.
        return Inet6Address.getByAddress(null, InetAddress.getByName(literal).getAddress().length == 16
                ? InetAddress.getByName(literal).getAddress() : mapped(InetAddress.getByName(literal).getAddress()), null);
    }

    private static byte[] mapped(byte[] v4) {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(v4, 0, b, 12, 4);
        return b;
    }

    @Test
    void ipv6FormsThatCarryAnIpv4AddressAreJudgedByIt() throws UnknownHostException {
        assertThat(WebhookAddressGuard.classify(v6("::ffff:127.0.0.1"))).as("IPv4-mapped").isEqualTo(AddressKind.LOOPBACK);
        assertThat(WebhookAddressGuard.classify(v6("::ffff:10.1.2.3"))).as("IPv4-mapped").isEqualTo(AddressKind.PRIVATE);
        assertThat(WebhookAddressGuard.classify(v6("::ffff:93.184.215.14"))).as("IPv4-mapped public").isNull();
        assertThat(kind("::127.0.0.1")).as("IPv4-compatible").isEqualTo(AddressKind.LOOPBACK);
        assertThat(kind("::a9fe:a9fe")).as("IPv4-compatible metadata").isEqualTo(AddressKind.METADATA);
        assertThat(kind("64:ff9b::7f00:1")).as("NAT64 well-known").isEqualTo(AddressKind.LOOPBACK);
        assertThat(kind("64:ff9b::a00:1")).as("NAT64 well-known").isEqualTo(AddressKind.PRIVATE);
        assertThat(kind("64:ff9b::5db8:d70e")).as("NAT64 to a public address").isNull();
        assertThat(kind("64:ff9b:1::a9fe:a9fe")).as("NAT64 local-use, /96").isEqualTo(AddressKind.METADATA);
        assertThat(kind("64:ff9b:1:c0a8:1:100::")).as("NAT64 local-use, /48").isEqualTo(AddressKind.PRIVATE);
        assertThat(kind("2002:7f00:1::1")).as("6to4").isEqualTo(AddressKind.LOOPBACK);
        assertThat(kind("2002:c0a8:101::1")).as("6to4").isEqualTo(AddressKind.PRIVATE);
        assertThat(kind("2002:5db8:d70e::1")).as("6to4 public").isNull();
        // Teredo: the client's IPv4 address is stored inverted in the last 32 bits (127.0.0.1 -> 80ff:fffe).
        assertThat(kind("2001:0:4136:e378:8000:63bf:80ff:fffe")).as("Teredo").isEqualTo(AddressKind.LOOPBACK);
        assertThat(kind("2001:0:4136:e378:8000:63bf:f5ff:fff7")).as("Teredo private").isEqualTo(AddressKind.PRIVATE);
        assertThat(kind("fe80::5efe:7f00:1")).as("ISATAP").isEqualTo(AddressKind.LOOPBACK);
    }

    @Test
    void aNameWhoseOnlyAddressEmbedsLoopbackIsRefusedAtSubscriptionAndAtSend() throws UnknownHostException {
        Map<String, InetAddress[]> dns = Map.of(
                "mapped.example", new InetAddress[] {v6("::ffff:127.0.0.1")},
                "nat64.example", new InetAddress[] {InetAddress.getByName("64:ff9b::a9fe:a9fe")},
                "sixtofour.example", new InetAddress[] {InetAddress.getByName("2002:a00:1::1")},
                "public.example", new InetAddress[] {InetAddress.getByName("93.184.215.14"), InetAddress.getByName("2606:4700::1111")});
        WebhookAddressGuard guard = new WebhookAddressGuard(List.of(), host -> {
            InetAddress[] found = dns.get(host);
            if (found == null) {
                throw new UnknownHostException(host);
            }
            return found;
        });
        for (String host : List.of("mapped.example", "nat64.example", "sixtofour.example")) {
            assertThatThrownBy(() -> guard.refuseUnsafe("webhook.url", "https://" + host + "/hook")).as(host)
                    .isInstanceOf(InputProblem.class).hasMessageContaining("webhooks may not reach");
            assertThatThrownBy(() -> guard.resolve(host)).as(host).isInstanceOf(UnknownHostException.class);
        }
        guard.refuseUnsafe("webhook.url", "https://public.example/hook");
        assertThat(guard.resolve("public.example")).hasSize(2);
        assertThatThrownBy(() -> guard.refuseUnsafe("webhook.url", "https://nowhere.example/hook"))
                .isInstanceOf(InputProblem.class).hasMessageContaining("does not resolve");
    }

    @Test
    void theResolverKeepsOnlyAllowedAddressesAndRefusesANameWithNone() throws UnknownHostException {
        WebhookAddressGuard strict = new WebhookAddressGuard(List.of());
        assertThatThrownBy(() -> strict.resolve("localhost")).isInstanceOf(UnknownHostException.class)
                .hasMessageContaining("may not reach");
        assertThatThrownBy(() -> strict.refuseUnsafe("webhook.url", "http://localhost:8080/hook")).isInstanceOf(InputProblem.class);

        WebhookAddressGuard loopbackAllowed = new WebhookAddressGuard(List.of("LOOPBACK"));
        assertThat(loopbackAllowed.resolve("127.0.0.1")).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.1");
        loopbackAllowed.refuseUnsafe("webhook.url", "http://127.0.0.1:8080/hook");
        assertThatThrownBy(() -> loopbackAllowed.resolve("10.0.0.1")).isInstanceOf(UnknownHostException.class);
    }
}
