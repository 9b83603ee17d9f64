package org.livingevidence.notify.alerts;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.bson.Document;
import org.livingevidence.contracts.events.Conclusion;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.support.mongo.PayloadDocuments;
import org.livingevidence.support.mongo.CreateOnce;

/**
 * For ESTIMATE_MOVED: the estimate each subscription was last told of, per question. Moves are measured from it,
 * not from the previous estimate, so a slow drift alerts once it adds up.
 */
@Singleton
class EstimateBaselines {

    record Baseline(long estimateVersion, Conclusion conclusion) {
    }

    private final MongoCollection<Document> baselines;

    EstimateBaselines(MongoDatabase database) {
        this.baselines = database.getCollection("estimate_baselines");
    }

    Optional<Baseline> find(String subscriptionId, String questionId) {
        return Optional.ofNullable(baselines.find(Filters.eq("_id", id(subscriptionId, questionId))).first())
                .map(d -> new Baseline(d.get("estimateVersion", Number.class).longValue(),
                        PayloadDocuments.fromDocument(d.get("conclusion", Document.class), Conclusion.class)));
    }

    /** Moves the baseline to {@code estimate}; never backwards, so a redelivered older estimate changes nothing. */
    void advance(String subscriptionId, String questionId, PooledEstimateComputed estimate) {
        Document conclusion = PayloadDocuments.toDocument("conclusion", estimate.conclusion());
        conclusion.remove("_id");
        String id = id(subscriptionId, questionId);
        CreateOnce.upsertUnlessNewer(() -> baselines.updateOne(
                Filters.and(Filters.eq("_id", id), Filters.lt("estimateVersion", estimate.estimateVersion())),
                Updates.combine(Updates.set("estimateVersion", estimate.estimateVersion()), Updates.set("conclusion", conclusion)),
                new com.mongodb.client.model.UpdateOptions().upsert(true)));
    }

    private static String id(String subscriptionId, String questionId) {
        return subscriptionId + "~" + questionId;
    }
}
