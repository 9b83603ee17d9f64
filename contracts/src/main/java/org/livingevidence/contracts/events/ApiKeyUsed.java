package org.livingevidence.contracts.events;

import java.time.Instant;

/**
 * A service authenticated requests with a key: the latest such time, reported at most once a minute per key and
 * service instance, so that the key's owner can see whether a key is still in use before revoking it.
 */
public record ApiKeyUsed(String keyId, String service, Instant lastUsedAt) {
}
