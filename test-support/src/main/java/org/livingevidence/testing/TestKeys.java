package org.livingevidence.testing;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.livingevidence.contracts.events.ApiKeyRevised;
import org.livingevidence.contracts.events.ApiKeyRevised.KeyStatus;
import org.livingevidence.contracts.events.ApiKeyRevised.Role;
import org.livingevidence.support.security.ApiKeyFormat;

/**
 * API keys for testing a service on its own: published on {@code evidence.api-keys.v1} as study-service would
 * publish them, so the service under test learns of them the way it does in production.
 */
public final class TestKeys {

    /** A key and its id. */
    public record IssuedKey(String keyId, String apiKey) {

        public String principalId() {
            return ApiKeyFormat.principalId(keyId);
        }
    }

    private TestKeys() {
    }

    public static IssuedKey publish(String bootstrapServers, String name, Role... roles) {
        String key = ApiKeyFormat.newKey();
        String keyId = ApiKeyFormat.newKeyId();
        Instant now = Instant.now();
        ApiKeyRevised revised = new ApiKeyRevised(keyId, 1, name, ApiKeyFormat.digest(key), List.copyOf(Arrays.asList(roles)),
                KeyStatus.ACTIVE, now, "key:bootstrap", null, null, null, now);
        try (EventPublisher publisher = new EventPublisher(bootstrapServers)) {
            publisher.publish(revised, keyId);
        }
        return new IssuedKey(keyId, key);
    }
}
