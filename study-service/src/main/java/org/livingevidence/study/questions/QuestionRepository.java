package org.livingevidence.study.questions;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bson.conversions.Bson;
import org.livingevidence.contracts.events.QuestionRevised;
import org.livingevidence.study.revisions.RevisionedCollection;
import org.livingevidence.support.mongo.MongoIndexes;
import org.livingevidence.support.outbox.Outbox;

/** Questions with every revision; events keyed by question id. */
@Singleton
public class QuestionRepository {

    public static final String COLLECTION = "questions";
    static final String ACTIVE_RECORDS = "activeRecords";

    private final RevisionedCollection<QuestionRevised> questions;

    QuestionRepository(MongoDatabase database, Outbox outbox, MongoIndexes indexes) {
        this.questions = new RevisionedCollection<>(database, indexes, COLLECTION, QuestionRevised.class, outbox,
                "question", QuestionRevised::questionId, QuestionRevised::questionId, QuestionRevised::revision, QuestionRevised::revisedAt);
        indexes.ensure(questions.documents(), List.of(
                new com.mongodb.client.model.IndexModel(com.mongodb.client.model.Indexes.ascending("status", RevisionedCollection.CREATED_AT_MILLIS)),
                new com.mongodb.client.model.IndexModel(com.mongodb.client.model.Indexes.ascending("tags"))));
    }

    RevisionedCollection<QuestionRevised> revisions() {
        return questions;
    }

    public Optional<QuestionRevised> find(String questionId) {
        return questions.find(questionId);
    }

    public Optional<QuestionRevised> find(String questionId, Instant asOf) {
        return questions.find(questionId, asOf);
    }

    /** How many active outcome records the question holds (kept beside it, not part of its revisions). */
    public int activeRecords(String questionId) {
        org.bson.Document d = questions.documents().find(Filters.eq("_id", questionId))
                .projection(com.mongodb.client.model.Projections.include(ACTIVE_RECORDS)).first();
        Number n = d == null ? null : d.get(ACTIVE_RECORDS, Number.class);
        return n == null ? 0 : n.intValue();
    }

    /** Counts records in or out of the question (a count, so a crash between writes at worst undercounts by one). */
    public void countRecords(String questionId, int delta) {
        questions.documents().updateOne(Filters.eq("_id", questionId), com.mongodb.client.model.Updates.inc(ACTIVE_RECORDS, delta));
    }

    /** Filter on the current state: by status and by tag (any of the given tags). */
    static Bson filter(QuestionRevised.QuestionStatus status, List<String> tags) {
        return filter(status, tags, null);
    }

    /** {@code titleContains}: questions whose title holds these characters, in any case (taken literally, not as a pattern). */
    static Bson filter(QuestionRevised.QuestionStatus status, List<String> tags, String titleContains) {
        List<Bson> parts = new ArrayList<>();
        parts.add(Filters.exists("_id"));
        if (titleContains != null && !titleContains.isBlank()) {
            parts.add(Filters.regex("title", java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(titleContains.strip()),
                    java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.UNICODE_CASE)));
        }
        if (status != null) {
            parts.add(Filters.eq("status", status.name()));
        }
        if (tags != null && !tags.isEmpty()) {
            parts.add(Filters.in("tags", tags));
        }
        return Filters.and(parts);
    }
}
