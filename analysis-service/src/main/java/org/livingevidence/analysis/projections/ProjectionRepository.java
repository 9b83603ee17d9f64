package org.livingevidence.analysis.projections;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.livingevidence.contracts.EventType;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.support.mongo.PayloadDocuments;
import org.livingevidence.support.outbox.Outbox;
import org.livingevidence.support.outbox.OutboxEvent;
import org.livingevidence.support.events.TransientFailure;

/**
 * One document per question. A save writes the new state and appends the events it owes in one update, guarded by
 * the version read: a concurrent writer makes the save fail, and the event is retried on fresh state.
 */
@Singleton
public class ProjectionRepository {

    public static final String COLLECTION = "question_projections";
    private static final List<String> STATE_FIELDS = List.of("question", "records", "estimateVersion", "lastConclusion",
            "latestEstimate");

    private final MongoCollection<Document> projections;
    private final Outbox outbox;

    ProjectionRepository(MongoDatabase database, Outbox outbox) {
        this.projections = database.getCollection(COLLECTION);
        this.outbox = outbox;
    }

    public MongoCollection<Document> collection() {
        return projections;
    }

    public QuestionProjection load(String questionId) {
        return loadForUpdate(questionId).projection();
    }

    /** A projection as the handler reads it before a change: with how many of its estimates still wait for the relay. */
    public record Loaded(QuestionProjection projection, int unpublishedEstimates) {
    }

    public Loaded loadForUpdate(String questionId) {
        Document document = projections.find(Filters.eq("_id", questionId)).first();
        if (document == null) {
            return new Loaded(QuestionProjection.empty(questionId), 0);
        }
        int waiting = (int) document.getList(Outbox.FIELD, Document.class, List.of()).stream()
                .filter(e -> EventType.POOLED_ESTIMATE_COMPUTED.ceType().equals(e.getString("ceType"))).count();
        return new Loaded(PayloadDocuments.fromDocument(document, QuestionProjection.class), waiting);
    }

    public Optional<PooledEstimateComputed> latestEstimate(String questionId) {
        return Optional.ofNullable(load(questionId).latestEstimate());
    }

    /** Writes {@code updated} (read at {@code updated.version()}) and its events atomically. */
    public void save(QuestionProjection updated, List<OutboxEvent> events) {
        long expected = updated.version();
        QuestionProjection next = new QuestionProjection(updated.questionId(), expected + 1, updated.question(),
                updated.records(), updated.estimateVersion(), updated.lastConclusion(), updated.latestEstimate());
        Document state = PayloadDocuments.toDocument(next.questionId(), next);
        if (!events.isEmpty()) {
            outbox.stage(projections, next.questionId(), next.questionId());
        }
        if (expected == 0) {
            state.put(Outbox.FIELD, outbox.initial(events));
            try {
                projections.insertOne(state);
            } catch (com.mongodb.MongoWriteException e) {
                if (e.getError().getCategory() == com.mongodb.ErrorCategory.DUPLICATE_KEY) {
                    throw new ConcurrentProjectionUpdate(next.questionId(), expected);
                }
                throw e;
            }
        } else {
            List<Bson> updates = new ArrayList<>();
            updates.add(Updates.set("version", next.version()));
            for (String field : STATE_FIELDS) {
                updates.add(state.containsKey(field) ? Updates.set(field, state.get(field)) : Updates.unset(field));
            }
            if (!events.isEmpty()) {
                updates.add(outbox.append(events));
            }
            long matched = projections.updateOne(Filters.and(Filters.eq("_id", next.questionId()), Filters.eq("version", expected)),
                    Updates.combine(updates)).getMatchedCount();
            if (matched == 0) {
                throw new ConcurrentProjectionUpdate(next.questionId(), expected);
            }
        }
        if (!events.isEmpty()) {
            outbox.written();
        }
    }

    /** Another writer updated the projection since it was read; the consumer retries the event on fresh state. */
    public static final class ConcurrentProjectionUpdate extends TransientFailure {
        ConcurrentProjectionUpdate(String questionId, long version) {
            super("projection of " + questionId + " changed after version " + version + " was read");
        }
    }
}
