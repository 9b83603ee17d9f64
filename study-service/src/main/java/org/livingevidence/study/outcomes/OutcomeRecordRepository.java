package org.livingevidence.study.outcomes;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.livingevidence.contracts.events.OutcomeRecordRevised;
import org.livingevidence.study.revisions.RevisionedCollection;
import org.livingevidence.support.mongo.PayloadDocuments;
import org.livingevidence.support.outbox.Outbox;

/** Outcome records with every revision; events keyed by the record's question id. */
@Singleton
public class OutcomeRecordRepository {

    public static final String COLLECTION = "outcome_records";

    private final MongoCollection<Document> documents;
    private final RevisionedCollection<OutcomeRecordRevised> records;

    OutcomeRecordRepository(MongoDatabase database, Outbox outbox) {
        this.documents = database.getCollection(COLLECTION);
        this.records = new RevisionedCollection<>(documents, OutcomeRecordRevised.class, outbox, "outcome record",
                OutcomeRecordRevised::questionId, OutcomeRecordRevised::revision, OutcomeRecordRevised::revisedAt);
    }

    RevisionedCollection<OutcomeRecordRevised> revisions() {
        return records;
    }

    Optional<OutcomeRecordRevised> find(String recordId) {
        return records.find(recordId);
    }

    /** Active records of the question from any of {@code studyIds}. */
    List<OutcomeRecordRevised> activeFromStudies(String questionId, Collection<String> studyIds) {
        return documents.find(Filters.and(Filters.eq("questionId", questionId), Filters.in("studyId", studyIds),
                        Filters.eq("status", OutcomeRecordRevised.RecordStatus.ACTIVE.name())))
                .map(d -> PayloadDocuments.fromDocument(d, OutcomeRecordRevised.class)).into(new ArrayList<>());
    }

    /** Active records, of any question, from any of {@code studyIds}. */
    List<OutcomeRecordRevised> activeOfStudies(Collection<String> studyIds) {
        return documents.find(Filters.and(Filters.in("studyId", studyIds),
                        Filters.eq("status", OutcomeRecordRevised.RecordStatus.ACTIVE.name())))
                .map(d -> PayloadDocuments.fromDocument(d, OutcomeRecordRevised.class)).into(new ArrayList<>());
    }

    static Bson filter(String questionId, OutcomeRecordRevised.RecordStatus status, String studyId) {
        List<Bson> parts = new ArrayList<>();
        parts.add(Filters.eq("questionId", questionId));
        if (status != null) {
            parts.add(Filters.eq("status", status.name()));
        }
        if (studyId != null) {
            parts.add(Filters.eq("studyId", studyId));
        }
        return Filters.and(parts);
    }
}
