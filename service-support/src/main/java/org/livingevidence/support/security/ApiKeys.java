package org.livingevidence.support.security;

import io.micronaut.context.annotation.Requires;
import io.micronaut.security.token.validator.TokenValidator;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.livingevidence.support.digest.Sha256;

/**
 * API keys: {@code lek_} and 32 random bytes, shown once when issued. Only a SHA-256 digest is stored (a key is
 * random, so no salt or slow hash is needed), so a copy of the database does not hand out working keys.
 */
@Singleton
@Requires(classes = TokenValidator.class)
public class ApiKeys {

    public static final String COLLECTION = "api_keys";
    public static final String PREFIX = "lek_";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Who a key belongs to and what it may do. */
    public record Holder(String name, List<String> roles) {
    }

    private final MongoCollection<Document> keys;
    private final Clock clock;

    ApiKeys(MongoDatabase database, Clock clock) {
        this.keys = database.getCollection(COLLECTION);
        this.clock = clock;
    }

    /** Issues a new key; the returned plaintext is not stored anywhere. */
    public String issue(String name, List<String> roles) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        register(key, name, roles);
        return key;
    }

    /** Stores a key chosen by the operator (the bootstrap key); registering it again only refreshes its holder. */
    public void register(String key, String name, List<String> roles) {
        keys.replaceOne(Filters.eq("_id", digest(key)), new Document("_id", digest(key)).append("name", name)
                .append("roles", roles).append("issuedAt", clock.instant().toString()), new ReplaceOptions().upsert(true));
    }

    public Optional<Holder> holder(String key) {
        if (key == null || !key.startsWith(PREFIX)) {
            return Optional.empty();
        }
        return Optional.ofNullable(keys.find(Filters.eq("_id", digest(key))).first())
                .map(d -> new Holder(d.getString("name"), d.getList("roles", String.class)));
    }

    private static String digest(String key) {
        return Sha256.hex(key);
    }
}
