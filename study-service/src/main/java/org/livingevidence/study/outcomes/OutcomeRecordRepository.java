package org.livingevidence.study.outcomes;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.livingevidence.contracts.events.OutcomeRecordRevised;
import org.livingevidence.support.mongo.PayloadDocuments;
import org.livingevidence.support.outbox.Outbox;

/** Outcome records, one document each, holding the latest revision and its pending events. */
@Singleton
public class OutcomeRecordRepository {

    public static final String COLLECTION = "outcome_records";

    private final MongoCollection<Document> records;
    private final Outbox outbox;

    OutcomeRecordRepository(MongoDatabase database, Outbox outbox) {
        this.records = database.getCollection(COLLECTION);
        this.outbox = outbox;
    }

    /** Stores a new record and its event in one document write. */
    void insert(OutcomeRecordRevised record) {
        outbox.insertPublishing(records, record.recordId(), record, record.questionId());
    }

    Optional<OutcomeRecordRevised> find(String recordId) {
        return Optional.ofNullable(records.find(Filters.eq("_id", recordId)).first())
                .map(d -> PayloadDocuments.fromDocument(d, OutcomeRecordRevised.class));
    }

    List<OutcomeRecordRevised> forQuestion(String questionId) {
        return records.find(Filters.eq("questionId", questionId)).sort(Sorts.ascending("revisedAt"))
                .map(d -> PayloadDocuments.fromDocument(d, OutcomeRecordRevised.class)).into(new ArrayList<>());
    }
}
