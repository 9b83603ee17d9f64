package org.livingevidence.notify.subscriptions;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
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

    /** Active subscriptions that follow the question. */
    public List<Subscription> following(String questionId) {
        return subscriptions.find(Filters.and(Filters.eq("questionIds", questionId),
                        Filters.eq("status", Subscription.Status.ACTIVE.name())))
                .map(d -> PayloadDocuments.fromDocument(d, Subscription.class)).into(new ArrayList<>());
    }
}
