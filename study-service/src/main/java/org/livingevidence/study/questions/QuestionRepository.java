package org.livingevidence.study.questions;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.livingevidence.contracts.events.QuestionRevised;
import org.livingevidence.support.mongo.PayloadDocuments;
import org.livingevidence.support.outbox.Outbox;

/** Questions, one document each, holding the latest revision and its pending events. */
@Singleton
public class QuestionRepository {

    public static final String COLLECTION = "questions";

    private final MongoCollection<Document> questions;
    private final Outbox outbox;

    QuestionRepository(MongoDatabase database, Outbox outbox) {
        this.questions = database.getCollection(COLLECTION);
        this.outbox = outbox;
    }

    /** Stores a new question and its event in one document write. */
    void insert(QuestionRevised question) {
        outbox.insertPublishing(questions, question.questionId(), question, question.questionId());
    }

    public Optional<QuestionRevised> find(String questionId) {
        return Optional.ofNullable(questions.find(Filters.eq("_id", questionId)).first())
                .map(d -> PayloadDocuments.fromDocument(d, QuestionRevised.class));
    }

    List<QuestionRevised> all() {
        return questions.find().sort(Sorts.ascending("revisedAt")).map(d -> PayloadDocuments.fromDocument(d, QuestionRevised.class))
                .into(new ArrayList<>());
    }
}
