package org.livingevidence.support.security;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.livingevidence.support.digest.Sha256;

/**
 * API keys are {@code lek_} and 32 random bytes (base64url), shown once. Only their SHA-256 digest is stored or
 * published: a key is random, so no salt or slow hash is needed, and a digest cannot be presented as a key.
 */
public final class ApiKeyFormat {

    public static final String PREFIX = "lek_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeyFormat() {
    }

    public static String newKey() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    public static String newKeyId() {
        byte[] id = new byte[8];
        RANDOM.nextBytes(id);
        return "k_" + HexFormat.of().formatHex(id);
    }

    public static String digest(String key) {
        return Sha256.hex(key);
    }

    /** Whether {@code token} has the shape of one of our keys (and so is not a JWT). */
    public static boolean looksLikeKey(String token) {
        return token != null && token.startsWith(PREFIX);
    }

    /** The principal id of a key: what ownership and attribution name. */
    public static String principalId(String keyId) {
        return "key:" + keyId;
    }
}
