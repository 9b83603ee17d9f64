package org.livingevidence.notify.subscriptions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.livingevidence.support.digest.Sha256;

/**
 * Standard Webhooks secrets ({@code whsec_} and the base64 of 32 random bytes) and the capability tokens in feed,
 * unsubscribe and confirmation links. A token is {@code <subscription id>.<24 random bytes, base64url>}: the id finds
 * the subscription by its key, and only the token's SHA-256 is stored to compare it with.
 */
final class SubscriptionTokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SubscriptionTokens() {
    }

    static String newSecret() {
        return "whsec_" + Base64.getEncoder().encodeToString(randomBytes(32));
    }

    static String newToken(String subscriptionId) {
        return subscriptionId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(24));
    }

    static String digest(String token) {
        return Sha256.hex(token);
    }

    /** The subscription id a token names, if it has the shape of one of ours. */
    static Optional<String> subscriptionId(String token) {
        if (token == null) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        return dot <= 0 || token.length() > 200 ? Optional.empty() : Optional.of(token.substring(0, dot));
    }

    /** Whether {@code token} is the one whose digest was stored (in constant time). */
    static boolean matches(String token, String storedDigest) {
        return token != null && storedDigest != null && MessageDigest.isEqual(
                digest(token).getBytes(StandardCharsets.US_ASCII), storedDigest.getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
