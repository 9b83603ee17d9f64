package org.livingevidence.notify.subscriptions;

import java.security.SecureRandom;
import java.util.Base64;

/** Standard Webhooks secrets ({@code whsec_} and the base64 of 32 random bytes) and feed tokens. */
final class WebhookSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSecrets() {
    }

    static String generate() {
        return "whsec_" + Base64.getEncoder().encodeToString(randomBytes(32));
    }

    /** An unguessable URL-safe token: a feed reader or an email client holds it instead of a key. */
    static String feedToken() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(24));
    }

    static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
