package org.livingevidence.support.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

    private static String key(String id, char fill) {
        return id + ":" + Base64.getEncoder().encodeToString(String.valueOf(fill).repeat(32).getBytes());
    }

    @Test
    void aSealedSecretOpensOnlyWhereItWasStored() {
        SecretBox box = new SecretBox(List.of(key("k1", 'a')));
        String sealed = box.seal("whsec_top-secret", "subscription/sub_1/secret");

        assertThat(sealed).startsWith("v1:k1:").doesNotContain("top-secret");
        assertThat(box.seal("whsec_top-secret", "subscription/sub_1/secret")).as("a fresh nonce each time").isNotEqualTo(sealed);
        assertThat(box.open(sealed, "subscription/sub_1/secret")).isEqualTo("whsec_top-secret");
        assertThatThrownBy(() -> box.open(sealed, "subscription/sub_2/secret")).isInstanceOf(SecretBox.UnreadableSecret.class);
        String tampered = sealed.substring(0, sealed.length() - 4) + (sealed.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThatThrownBy(() -> box.open(tampered, "subscription/sub_1/secret")).isInstanceOf(SecretBox.UnreadableSecret.class);
        assertThat(box.seal(null, "x")).isNull();
    }

    @Test
    void rotationEncryptsWithTheFirstKeyAndStillOpensWithTheOthers() {
        SecretBox before = new SecretBox(List.of(key("k1", 'a')));
        String old = before.seal("secret", "here");
        SecretBox rotated = new SecretBox(List.of(key("k2", 'b'), key("k1", 'a')));

        assertThat(rotated.open(old, "here")).isEqualTo("secret");
        assertThat(rotated.needsReencryption(old)).isTrue();
        String renewed = rotated.seal("secret", "here");
        assertThat(renewed).startsWith("v1:k2:");
        assertThat(rotated.needsReencryption(renewed)).isFalse();

        SecretBox retired = new SecretBox(List.of(key("k2", 'b')));
        assertThatThrownBy(() -> retired.open(old, "here")).isInstanceOf(SecretBox.UnreadableSecret.class).hasMessageContaining("k1");
    }

    @Test
    void aMissingOrMalformedKeyStopsTheStartWithAMessage() {
        assertThatThrownBy(() -> new SecretBox(List.of())).hasMessageContaining("EVIDENCE_SECRETS_KEYS");
        assertThatThrownBy(() -> new SecretBox(List.of("k1:c2hvcnQ="))).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> new SecretBox(List.of("no-colon"))).hasMessageContaining("<id>:<base64");
    }
}
