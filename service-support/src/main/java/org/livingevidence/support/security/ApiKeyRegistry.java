package org.livingevidence.support.security;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.livingevidence.contracts.events.ApiKeyRevised;
import org.livingevidence.contracts.events.ApiKeyRevised.KeyStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every API key this service accepts, in memory: the latest revision of each key from {@code evidence.api-keys.v1}
 * (fed by {@link ApiKeyFeed}) and the operator's bootstrap key from configuration. Lookups never touch the
 * network, so authenticating a request costs a hash and a map read.
 *
 * <p>The bootstrap key ({@code evidence.security.bootstrap.api-key}) lives only in configuration: it is never
 * stored or published, so changing or removing the setting and restarting retires it.
 */
@Singleton
public class ApiKeyRegistry {

    /** The key id of the configured bootstrap key. */
    public static final String BOOTSTRAP_KEY_ID = "bootstrap";
    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyRegistry.class);

    /** A key as authentication needs it. */
    public record Holder(String keyId, String name, List<String> roles) {

        public String principalId() {
            return ApiKeyFormat.principalId(keyId);
        }
    }

    private final Map<String, ApiKeyRevised> byId = new ConcurrentHashMap<>();
    private final Map<String, String> idByDigest = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Holder bootstrap;
    private final String bootstrapDigest;
    private final Map<String, Instant> lastUsed = new ConcurrentHashMap<>();

    ApiKeyRegistry(Clock clock, @Value("${evidence.security.bootstrap.api-key:}") String bootstrapKey,
                   @Value("${evidence.security.bootstrap.name:admin}") String bootstrapName) {
        this.clock = clock;
        if (bootstrapKey == null || bootstrapKey.isBlank()) {
            this.bootstrap = null;
            this.bootstrapDigest = null;
        } else {
            if (!ApiKeyFormat.looksLikeKey(bootstrapKey) || bootstrapKey.length() < ApiKeyFormat.PREFIX.length() + 24) {
                throw new IllegalStateException("evidence.security.bootstrap.api-key (EVIDENCE_SECURITY_BOOTSTRAP_API_KEY) must start with "
                        + ApiKeyFormat.PREFIX + " and have at least 24 more characters; generate one with: echo lek_$(openssl rand -hex 32)");
            }
            this.bootstrap = new Holder(BOOTSTRAP_KEY_ID, bootstrapName, Roles.ALL);
            this.bootstrapDigest = ApiKeyFormat.digest(bootstrapKey);
            LOG.info("bootstrap API key of {} accepted with roles {}", bootstrapName, Roles.ALL);
        }
    }

    /** Applies a key's revision; an older or repeated revision changes nothing (the topic is read at least once). */
    public void apply(ApiKeyRevised key) {
        byId.merge(key.keyId(), key, (held, incoming) -> incoming.revision() > held.revision() ? incoming : held);
        ApiKeyRevised current = byId.get(key.keyId());
        idByDigest.put(current.digest(), current.keyId());
    }

    /** The holder of {@code key}, if it is one we know, active and not expired; records the use. */
    public Optional<Holder> authenticate(String key) {
        if (!ApiKeyFormat.looksLikeKey(key)) {
            return Optional.empty();
        }
        String digest = ApiKeyFormat.digest(key);
        if (bootstrap != null && java.security.MessageDigest.isEqual(digest.getBytes(), bootstrapDigest.getBytes())) {
            return Optional.of(bootstrap);
        }
        String keyId = idByDigest.get(digest);
        ApiKeyRevised revised = keyId == null ? null : byId.get(keyId);
        Instant now = clock.instant();
        if (revised == null || revised.status() != KeyStatus.ACTIVE || (revised.expiresAt() != null && !now.isBefore(revised.expiresAt()))) {
            return Optional.empty();
        }
        lastUsed.put(revised.keyId(), now);
        return Optional.of(new Holder(revised.keyId(), revised.name(), revised.roles().stream().map(Enum::name).toList()));
    }

    public Optional<ApiKeyRevised> find(String keyId) {
        return Optional.ofNullable(byId.get(keyId));
    }

    /** Every published key, newest first. */
    public List<ApiKeyRevised> all() {
        List<ApiKeyRevised> keys = new ArrayList<>(byId.values());
        keys.sort(Comparator.comparing(ApiKeyRevised::issuedAt).reversed().thenComparing(ApiKeyRevised::keyId));
        return keys;
    }

    /** The bootstrap key's holder, when one is configured. */
    public Optional<Holder> bootstrap() {
        return Optional.ofNullable(bootstrap);
    }

    /** Takes the keys used since the last call, with when each was last used. */
    Map<String, Instant> drainUses() {
        Map<String, Instant> uses = new java.util.HashMap<>();
        for (String keyId : new ArrayList<>(lastUsed.keySet())) {
            Instant at = lastUsed.remove(keyId);
            if (at != null) {
                uses.put(keyId, at);
            }
        }
        return uses;
    }

    /** Whether a key revision with this name exists other than {@code exceptKeyId} (names are unique). */
    public boolean nameTaken(String name, @Nullable String exceptKeyId) {
        return (bootstrap != null && bootstrap.name().equals(name))
                || byId.values().stream().anyMatch(k -> k.name().equals(name) && !k.keyId().equals(exceptKeyId));
    }
}
