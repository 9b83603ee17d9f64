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
import org.livingevidence.support.mongo.PayloadDocuments;

@Singleton
public class SubscriptionRepository {

    static final String COLLECTION = "subscriptions";

    private final MongoCollection<Document> subscriptions;

    SubscriptionRepository(MongoDatabase database) {
        this.subscriptions = database.getCollection(COLLECTION);
    }

    void insert(Subscription subscription) {
        subscriptions.insertOne(PayloadDocuments.toDocument(subscription.id(), subscription));
    }

    public Optional<Subscription> find(String id) {
        return Optional.ofNullable(subscriptions.find(Filters.eq("_id", id)).first())
                .map(d -> PayloadDocuments.fromDocument(d, Subscription.class));
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
                .map(d -> PayloadDocuments.fromDocument(d, Subscription.class)).into(new ArrayList<>());
    }

    /** A subscriber's subscriptions, oldest first; every subscription when {@code owner} is null (an admin). */
    List<Subscription> ownedBy(String owner) {
        return subscriptions.find(owner == null ? new Document() : Filters.eq("owner", owner)).sort(Sorts.ascending("createdAt", "_id"))
                .map(d -> PayloadDocuments.fromDocument(d, Subscription.class)).into(new ArrayList<>());
    }

    public Optional<Subscription> findByFeedToken(String feedToken) {
        return Optional.ofNullable(subscriptions.find(Filters.eq("feedToken", feedToken)).first())
                .map(d -> PayloadDocuments.fromDocument(d, Subscription.class));
    }

    /**
     * Replaces the signing secret, keeping the old one signing until {@code previousExpiresAt}. Conditional on the
     * secret that was read, so two concurrent rotations cannot both win; false when another rotation came first.
     */
    boolean rotateSecret(Subscription current, String newSecret, Instant previousExpiresAt) {
        return subscriptions.updateOne(Filters.and(Filters.eq("_id", current.id()), Filters.eq("secret", current.secret())),
                Updates.combine(Updates.set("secret", newSecret), Updates.set("previousSecret", current.secret()),
                        Updates.set("previousSecretExpiresAt", previousExpiresAt.toString()))).getModifiedCount() == 1;
    }
}
