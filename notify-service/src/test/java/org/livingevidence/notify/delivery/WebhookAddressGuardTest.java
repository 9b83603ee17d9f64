package org.livingevidence.notify.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
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
