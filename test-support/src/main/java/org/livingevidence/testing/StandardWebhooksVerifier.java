package org.livingevidence.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a Standard Webhooks signature from the specification alone (HMAC-SHA256 over {@code id.timestamp.body}
 * with the base64-decoded {@code whsec_} secret), independently of the library that signs in notify-service.
 */
public final class StandardWebhooksVerifier {

    private StandardWebhooksVerifier() {
    }

    public static boolean verify(String secret, WebhookReceiver.Received request) {
        String id = request.headers().get("webhook-id");
        String timestamp = request.headers().get("webhook-timestamp");
        String signatures = request.headers().get("webhook-signature");
        if (id == null || timestamp == null || signatures == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            byte[] expected = mac.doFinal((id + "." + timestamp + "." + request.body()).getBytes(StandardCharsets.UTF_8));
            for (String candidate : signatures.split(" ")) {
                if (candidate.startsWith("v1,") && MessageDigest.isEqual(expected,
                        Base64.getDecoder().decode(candidate.substring(3)))) {
                    return true;
                }
            }
            return false;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
