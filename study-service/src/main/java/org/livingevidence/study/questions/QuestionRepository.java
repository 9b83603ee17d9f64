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
import org.livingevidence.support.outbox.Outbox;

/** Questions with every revision; events keyed by question id. */
@Singleton
public class QuestionRepository {

    public static final String COLLECTION = "questions";

    private final RevisionedCollection<QuestionRevised> questions;

    QuestionRepository(MongoDatabase database, Outbox outbox) {
        this.questions = new RevisionedCollection<>(database.getCollection(COLLECTION), QuestionRevised.class, outbox,
                "question", QuestionRevised::questionId, QuestionRevised::revision, QuestionRevised::revisedAt);
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

    /** Filter on the current state: by status and by tag (any of the given tags). */
    static Bson filter(QuestionRevised.QuestionStatus status, List<String> tags) {
        List<Bson> parts = new ArrayList<>();
        parts.add(Filters.exists("_id"));
        if (status != null) {
            parts.add(Filters.eq("status", status.name()));
        }
        if (tags != null && !tags.isEmpty()) {
            parts.add(Filters.in("tags", tags));
        }
        return Filters.and(parts);
    }
}
