package org.livingevidence.notify.subscriptions;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.livingevidence.support.mongo.MongoIndexes;
import org.livingevidence.support.mongo.PayloadDocuments;
import org.livingevidence.support.secrets.SecretBox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscriptions in MongoDB. The secrets a delivery needs in plaintext (webhook signing secrets, the unsubscribe
 * token) are stored encrypted, bound to their subscription and field; everything else that is secret is stored as a
 * digest. This class is the one place a subscription becomes a document and back.
 */
@Singleton
public class SubscriptionRepository {

    static final String COLLECTION = "subscriptions";
    /** Fields stored encrypted, by the name they have in {@link Subscription}. */
    static final List<String> SEALED = List.of("secret", "previousSecret", "unsubscribeToken");
    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionRepository.class);

    private final MongoCollection<Document> subscriptions;
    private final SecretBox secrets;

    SubscriptionRepository(MongoDatabase database, SecretBox secrets, MongoIndexes indexes) {
        this.subscriptions = database.getCollection(COLLECTION);
        this.secrets = secrets;
        indexes.ensure(subscriptions, List.of(
                new com.mongodb.client.model.IndexModel(com.mongodb.client.model.Indexes.ascending("questionIds", "status")),
                new com.mongodb.client.model.IndexModel(com.mongodb.client.model.Indexes.ascending("tags", "status")),
                new com.mongodb.client.model.IndexModel(com.mongodb.client.model.Indexes.ascending("owner", "createdAt"))));
    }

    void insert(Subscription subscription) {
        subscriptions.insertOne(toDocument(subscription));
    }

    public Optional<Subscription> find(String id) {
        return Optional.ofNullable(subscriptions.find(Filters.eq("_id", id)).first()).map(this::fromDocument);
    }

    /** Stops deliveries to a subscription, saying why. */
    public void disable(String id, String reason) {
        subscriptions.updateOne(Filters.eq("_id", id), Updates.combine(
                Updates.set("status", Subscription.Status.DISABLED.name()), Updates.set("disabledReason", reason)));
    }

    /** Counts a delivery that exhausted its retries; returns how many did so in a row. */
    public int recordDeadDelivery(String id) {
        Document updated = subscriptions.findOneAndUpdate(Filters.eq("_id", id), Updates.inc("consecutiveDeadDeliveries", 1),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        return updated == null ? 0 : updated.getInteger("consecutiveDeadDeliveries", 0);
    }

    /** A delivery succeeded: the endpoint works again. */
    public void recordDelivered(String id) {
        subscriptions.updateOne(Filters.eq("_id", id), Updates.set("consecutiveDeadDeliveries", 0));
    }

    /** Active subscriptions that follow the question, by its id or by one of its tags. */
    public List<Subscription> following(String questionId, List<String> questionTags) {
        Bson follows = questionTags.isEmpty() ? Filters.eq("questionIds", questionId)
                : Filters.or(Filters.eq("questionIds", questionId), Filters.in("tags", questionTags));
        return subscriptions.find(Filters.and(follows, Filters.eq("status", Subscription.Status.ACTIVE.name())))
                .map(this::fromDocument).into(new ArrayList<>());
    }

    /** A subscriber's subscriptions, oldest first; every subscription when {@code owner} is null (an admin). */
    List<Subscription> ownedBy(String owner) {
        return subscriptions.find(owner == null ? new Document() : Filters.eq("owner", owner)).sort(Sorts.ascending("createdAt", "_id"))
                .map(this::fromDocument).into(new ArrayList<>());
    }

    /**
     * Replaces the signing secret, keeping the old one signing until {@code previousExpiresAt}. Conditional on the
     * secret that was read (its stored ciphertext), so two concurrent rotations cannot both win.
     */
    boolean rotateSecret(Subscription current, String newSecret, Instant previousExpiresAt) {
        Document stored = subscriptions.find(Filters.eq("_id", current.id())).first();
        if (stored == null) {
            return false;
        }
        return subscriptions.updateOne(Filters.and(Filters.eq("_id", current.id()), Filters.eq("secret", stored.get("secret"))),
                Updates.combine(Updates.set("secret", seal(current.id(), "secret", newSecret)),
                        Updates.set("previousSecret", seal(current.id(), "previousSecret", current.secret())),
                        Updates.set("previousSecretExpiresAt", previousExpiresAt.toString()))).getModifiedCount() == 1;
    }

    /** Whether {@code token} is the subscription's current feed token. */
    public boolean feedTokenMatches(Subscription subscription, String token) {
        return SubscriptionTokens.matches(token, subscription.feedTokenDigest());
    }

    void replaceFeedTokenDigest(String id, String digest) {
        subscriptions.updateOne(Filters.eq("_id", id), Updates.set("feedTokenDigest", digest));
    }

    void replaceUnsubscribeToken(String id, String token) {
        subscriptions.updateOne(Filters.eq("_id", id), Updates.combine(
                Updates.set("unsubscribeToken", seal(id, "unsubscribeToken", token)),
                Updates.set("unsubscribeTokenDigest", SubscriptionTokens.digest(token))));
    }

    void awaitConfirmation(String id, String tokenDigest, Instant expiresAt) {
        subscriptions.updateOne(Filters.eq("_id", id), Updates.combine(Updates.set("confirmationTokenDigest", tokenDigest),
                Updates.set("confirmationExpiresAt", expiresAt.toString())));
    }

    /** Activates a pending subscription; false when it was not pending (already confirmed, or cancelled). */
    boolean confirm(String id, Instant at) {
        return subscriptions.updateOne(Filters.and(Filters.eq("_id", id),
                        Filters.eq("status", Subscription.Status.PENDING_CONFIRMATION.name())),
                Updates.combine(Updates.set("status", Subscription.Status.ACTIVE.name()), Updates.set("confirmedAt", at.toString()),
                        Updates.unset("confirmationTokenDigest"), Updates.unset("confirmationExpiresAt"))).getModifiedCount() == 1;
    }

    /**
     * Re-encrypts every secret not sealed with the current key (after a key rotation, or stored before encryption
     * at rest); returns how many subscriptions it rewrote. Runs at startup.
     */
    public int reencryptStaleSecrets() {
        int rewritten = 0;
        for (Document stored : subscriptions.find()) {
            boolean stale = SEALED.stream().map(stored::getString).anyMatch(v -> v != null && secrets.needsReencryption(v));
            if (stale) {
                Subscription subscription = fromDocument(stored);
                List<Bson> updates = new ArrayList<>();
                for (String field : SEALED) {
                    String sealed = seal(subscription.id(), field, plaintext(subscription, field));
                    updates.add(sealed == null ? Updates.unset(field) : Updates.set(field, sealed));
                }
                subscriptions.updateOne(Filters.eq("_id", subscription.id()), Updates.combine(updates));
                rewritten++;
            }
        }
        if (rewritten > 0) {
            LOG.info("re-encrypted the secrets of {} subscriptions with the current key", rewritten);
        }
        return rewritten;
    }

    private Document toDocument(Subscription subscription) {
        Document document = PayloadDocuments.toDocument(subscription.id(), subscription);
        for (String field : SEALED) {
            String plaintext = plaintext(subscription, field);
            if (plaintext == null) {
                document.remove(field);
            } else {
                document.put(field, seal(subscription.id(), field, plaintext));
            }
        }
        return document;
    }

    private Subscription fromDocument(Document stored) {
        Document copy = new Document(stored);
        String id = stored.getString("_id");
        for (String field : SEALED) {
            String value = stored.getString(field);
            if (value != null) {
                // Plaintext written before encryption at rest is read as it is; the startup sweep encrypts it.
                copy.put(field, value.startsWith("v1:") ? secrets.open(value, where(id, field)) : value);
            }
        }
        return PayloadDocuments.fromDocument(copy, Subscription.class);
    }

    private String seal(String id, String field, String plaintext) {
        return secrets.seal(plaintext, where(id, field));
    }

    private static String where(String id, String field) {
        return "subscription/" + id + "/" + field;
    }

    private static String plaintext(Subscription s, String field) {
        return switch (field) {
            case "secret" -> s.secret();
            case "previousSecret" -> s.previousSecret();
            case "unsubscribeToken" -> s.unsubscribeToken();
            default -> throw new IllegalArgumentException(field);
        };
    }
}
