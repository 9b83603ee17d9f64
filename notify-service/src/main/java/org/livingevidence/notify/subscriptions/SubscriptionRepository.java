package org.livingevidence.notify.subscriptions;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
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

    /** Active subscriptions that follow the question. */
    public List<Subscription> following(String questionId) {
        return subscriptions.find(Filters.and(Filters.eq("questionIds", questionId),
                        Filters.eq("status", Subscription.Status.ACTIVE.name())))
                .map(d -> PayloadDocuments.fromDocument(d, Subscription.class)).into(new ArrayList<>());
    }
}
