package org.livingevidence.notify.alerts;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.livingevidence.support.mongo.CreateOnce;

/**
 * The alert-worthy history of each question (conclusion shifts and new studies), for its public Atom feed. One
 * document per change, keyed by the alert id, so redelivered events add nothing.
 */
@Singleton
public class QuestionFeedEntries {

    /** An entry: the alert JSON, as subscribers received it. */
    public record Entry(String alertId, String body) {
    }

    private final MongoCollection<Document> entries;
    private final Clock clock;

    QuestionFeedEntries(MongoDatabase database, Clock clock, org.livingevidence.support.mongo.MongoIndexes indexes) {
        this.entries = database.getCollection("question_feed");
        indexes.ensure(entries, List.of(new com.mongodb.client.model.IndexModel(
                com.mongodb.client.model.Indexes.ascending("questionId", "addedAtMillis"))));
        this.clock = clock;
    }

    void add(String questionId, String alertId, String body) {
        CreateOnce.insert(entries, new Document("_id", alertId).append("questionId", questionId).append("body", body)
                .append("addedAtMillis", clock.millis()));
    }

    /** The latest {@code limit} entries of the question, newest first. */
    public List<Entry> latest(String questionId, int limit) {
        return entries.find(Filters.eq("questionId", questionId)).sort(Sorts.descending("addedAtMillis", "_id")).limit(limit)
                .map(d -> new Entry(d.getString("_id"), d.getString("body"))).into(new ArrayList<>());
    }
}
