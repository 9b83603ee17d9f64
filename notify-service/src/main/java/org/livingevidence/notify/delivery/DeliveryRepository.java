package org.livingevidence.notify.delivery;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.livingevidence.support.mongo.MongoIndexes;
import org.livingevidence.support.mongo.PayloadDocuments;
import org.livingevidence.support.mongo.CreateOnce;

@Singleton
public class DeliveryRepository {

    static final String COLLECTION = "deliveries";

    private final MongoCollection<Document> deliveries;

    DeliveryRepository(MongoDatabase database, MongoIndexes indexes) {
        this.deliveries = database.getCollection(COLLECTION);
        indexes.ensure(deliveries, List.of(
                new com.mongodb.client.model.IndexModel(com.mongodb.client.model.Indexes.ascending("status", "nextAttemptAtMillis"),
                        new com.mongodb.client.model.IndexOptions().name("due")),
                new com.mongodb.client.model.IndexModel(com.mongodb.client.model.Indexes.ascending("subscriptionId", "createdAt"),
                        new com.mongodb.client.model.IndexOptions().name("subscription_created"))));
    }

    /** Stores a new delivery; false when one with the same id exists (a redelivered shift). */
    public boolean insertIfAbsent(Delivery delivery) {
        return CreateOnce.insert(deliveries, PayloadDocuments.toDocument(delivery.id(), delivery));
    }

    /**
     * Claims one due delivery by pushing its next attempt time past a lease: another worker (or this one after a
     * crash) picks it up again only when the lease has run out without a recorded attempt.
     */
    Optional<Delivery> claimDue(long nowMillis, long leaseMillis) {
        Document claimed = deliveries.findOneAndUpdate(
                Filters.and(Filters.eq("status", Delivery.Status.PENDING.name()), Filters.lte("nextAttemptAtMillis", nowMillis)),
                Updates.set("nextAttemptAtMillis", nowMillis + leaseMillis),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        return Optional.ofNullable(claimed).map(d -> PayloadDocuments.fromDocument(d, Delivery.class));
    }

    void recordAttempt(Delivery delivery, Delivery.Attempt attempt, Delivery.Status status, long nextAttemptAtMillis) {
        Document attemptDocument = PayloadDocuments.toDocument("attempt", attempt);
        attemptDocument.remove("_id");
        deliveries.updateOne(Filters.eq("_id", delivery.id()), Updates.combine(
                Updates.push("attempts", attemptDocument),
                Updates.set("attemptCount", delivery.attemptCount() + 1),
                Updates.set("status", status.name()),
                Updates.set("nextAttemptAtMillis", nextAttemptAtMillis)));
    }

    public Optional<Delivery> find(String deliveryId) {
        return Optional.ofNullable(deliveries.find(Filters.eq("_id", deliveryId)).first())
                .map(d -> PayloadDocuments.fromDocument(d, Delivery.class));
    }

    /** Gives a claimed delivery back without an attempt, due again at {@code dueAtMillis}. */
    void postpone(String deliveryId, long dueAtMillis) {
        deliveries.updateOne(Filters.and(Filters.eq("_id", deliveryId), Filters.eq("status", Delivery.Status.PENDING.name())),
                Updates.set("nextAttemptAtMillis", dueAtMillis));
    }

    /** Queues a delivery again with a fresh set of retries; its attempt log is kept. */
    void requeue(String deliveryId, long nowMillis) {
        deliveries.updateOne(Filters.eq("_id", deliveryId), Updates.combine(
                Updates.set("status", Delivery.Status.PENDING.name()), Updates.set("attemptCount", 0),
                Updates.set("nextAttemptAtMillis", nowMillis)));
    }

    /** The subscription's latest {@code limit} deliveries, newest first. */
    public List<Delivery> latestForSubscription(String subscriptionId, int limit) {
        return deliveries.find(Filters.eq("subscriptionId", subscriptionId)).sort(Sorts.descending("createdAt", "_id")).limit(limit)
                .map(d -> PayloadDocuments.fromDocument(d, Delivery.class)).into(new ArrayList<>());
    }

    public List<Delivery> forSubscription(String subscriptionId) {
        return deliveries.find(Filters.eq("subscriptionId", subscriptionId)).sort(Sorts.ascending("createdAt"))
                .map(d -> PayloadDocuments.fromDocument(d, Delivery.class)).into(new ArrayList<>());
    }
}
