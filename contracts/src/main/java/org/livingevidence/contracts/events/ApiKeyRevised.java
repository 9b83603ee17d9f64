package org.livingevidence.contracts.events;

import java.time.Instant;
import java.util.List;

/**
 * An API key as it stands after a revision: revision 1 is its issue, a later one its revocation. Every service
 * reads the whole (compacted) topic, so a key issued once works everywhere and a revocation reaches every service.
 * The key itself is never published: {@code digest} is its SHA-256, enough to recognise it and useless to present.
 *
 * @param expiresAt null when the key does not expire
 * @param revokedAt null while the key is active
 */
public record ApiKeyRevised(
        String keyId,
        long revision,
        String name,
        String digest,
        List<Role> roles,
        KeyStatus status,
        Instant issuedAt,
        String issuedBy,
        Instant expiresAt,
        Instant revokedAt,
        String revokedBy,
        Instant revisedAt) {

    public enum KeyStatus { ACTIVE, REVOKED }

    /** What a holder may do: curate, read where reads are protected, own subscriptions, administer keys. */
    public enum Role { CURATOR, READER, SUBSCRIBER, ADMIN }
}
