package org.livingevidence.support.secrets;

import jakarta.inject.Singleton;
import io.micronaut.context.annotation.Value;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets that must be read back (webhook signing secrets, unsubscribe tokens) before they are stored, with
 * AES-256-GCM from the JDK. A database dump alone then reveals no secret.
 *
 * <p>Keys come from {@code evidence.secrets.keys} ({@code EVIDENCE_SECRETS_KEYS}): comma-separated
 * {@code <id>:<base64 of 32 random bytes>}, the first of which encrypts; every listed key decrypts. A ciphertext
 * reads {@code v1:<key id>:<base64 of nonce and ciphertext>}, and is bound to where it is stored (the associated data,
 * such as {@code subscription/sub_1/secret}), so a ciphertext copied into another record does not decrypt. To rotate,
 * put a new key first and keep the old one listed until {@link #needsReencryption} finds nothing encrypted with it.
 */
@Singleton
public class SecretBox {

    private static final String VERSION = "v1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String currentKeyId;
    private final Map<String, SecretKey> keys;

    public SecretBox(@Value("${evidence.secrets.keys:}") List<String> configured) {
        Map<String, SecretKey> parsed = new LinkedHashMap<>();
        for (String entry : configured) {
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.indexOf(':');
            String id = colon < 0 ? "" : entry.substring(0, colon).strip();
            byte[] key;
            try {
                key = colon < 0 ? new byte[0] : Base64.getDecoder().decode(entry.substring(colon + 1).strip());
            } catch (IllegalArgumentException e) {
                key = new byte[0];
            }
            if (!id.matches("[A-Za-z0-9_-]{1,32}") || key.length != 32) {
                throw new IllegalStateException("evidence.secrets.keys (EVIDENCE_SECRETS_KEYS) must list <id>:<base64 of 32 bytes> entries; "
                        + "generate one with: echo \"k1:$(openssl rand -base64 32)\"");
            }
            parsed.put(id, new SecretKeySpec(key, "AES"));
        }
        if (parsed.isEmpty()) {
            throw new IllegalStateException("evidence.secrets.keys (EVIDENCE_SECRETS_KEYS) is not set: secrets stored in MongoDB are "
                    + "encrypted with it. Generate one with: echo \"k1:$(openssl rand -base64 32)\"");
        }
        this.keys = Map.copyOf(parsed);
        this.currentKeyId = parsed.keySet().iterator().next();
    }

    /** Encrypts {@code plaintext} for storage at {@code where}; null stays null. */
    public String seal(String plaintext, String where) {
        if (plaintext == null) {
            return null;
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(where.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return VERSION + ":" + currentKeyId + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java platform", e);
        }
    }

    /** Decrypts what {@link #seal} stored at {@code where}; null stays null. */
    public String open(String sealed, String where) {
        if (sealed == null) {
            return null;
        }
        String[] parts = sealed.split(":", 3);
        if (parts.length != 3 || !parts[0].equals(VERSION)) {
            throw new UnreadableSecret("a stored secret at " + where + " is not in the " + VERSION + " format");
        }
        SecretKey key = keys.get(parts[1]);
        if (key == null) {
            throw new UnreadableSecret("a stored secret at " + where + " was encrypted with key " + parts[1]
                    + ", which evidence.secrets.keys no longer lists");
        }
        try {
            byte[] in = Base64.getDecoder().decode(parts[2]);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(where.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new UnreadableSecret("a stored secret at " + where + " does not decrypt: it was altered or moved");
        }
    }

    /** Whether a stored value was encrypted with a key other than the current one (so rotation should re-encrypt it). */
    public boolean needsReencryption(String sealed) {
        return sealed != null && !sealed.startsWith(VERSION + ":" + currentKeyId + ":");
    }

    /** A stored secret that cannot be decrypted with the configured keys. */
    public static final class UnreadableSecret extends RuntimeException {
        UnreadableSecret(String message) {
            super(message);
        }
    }
}
