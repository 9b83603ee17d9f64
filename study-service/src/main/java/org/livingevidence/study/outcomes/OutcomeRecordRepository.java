package org.livingevidence.study.outcomes;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.livingevidence.contracts.events.OutcomeRecordRevised;
import org.livingevidence.study.revisions.RevisionedCollection;
import org.livingevidence.support.mongo.MongoIndexes;
import org.livingevidence.support.mongo.PayloadDocuments;
import org.livingevidence.support.outbox.Outbox;

/**
 * Outcome records with every revision; events keyed by the record's question id.
 *
 * <p>An active record also holds its <em>slot</em>, {@code <question>|<study>|<subgroup>}, under a unique sparse index:
 * the database itself refuses a second active record of one study for one question and subgroup, however many
 * curators race, and finding the records that count a trial is an exact lookup of its publications' slots.
 */
@Singleton
public class OutcomeRecordRepository {

    public static final String COLLECTION = "outcome_records";
    static final String SLOT = "activeSlot";

    private final MongoCollection<Document> documents;
    private final RevisionedCollection<OutcomeRecordRevised> records;

    OutcomeRecordRepository(MongoDatabase database, Outbox outbox, MongoIndexes indexes) {
        this.documents = database.getCollection(COLLECTION);
        this.records = new RevisionedCollection<>(database, indexes, COLLECTION, OutcomeRecordRevised.class, outbox, "outcome record",
                OutcomeRecordRevised::recordId, OutcomeRecordRevised::questionId, OutcomeRecordRevised::revision,
                OutcomeRecordRevised::revisedAt)
                .indexedBy(r -> r.status() == OutcomeRecordRevised.RecordStatus.ACTIVE
                        ? Map.of(SLOT, slot(r.questionId(), r.studyId(), r.subgroup())) : Map.of());
        indexes.ensure(documents, List.of(
                new IndexModel(Indexes.ascending(SLOT), new IndexOptions().unique(true).sparse(true).name("active_slot")),
                new IndexModel(Indexes.ascending("questionId", "status", RevisionedCollection.CREATED_AT_MILLIS),
                        new IndexOptions().name("question_status_created")),
                new IndexModel(Indexes.ascending("studyId", "status"), new IndexOptions().name("study_status"))));
        fillMissingSlots();
    }

    RevisionedCollection<OutcomeRecordRevised> revisions() {
        return records;
    }

    /** Exactly these revisions of these records (record id to revision); absent ones are missing from the map. */
    public Map<String, OutcomeRecordRevised> revisions(Map<String, Long> revisionById) {
        return records.revisions(revisionById);
    }

    /** A question's active records as they stand ({@code asOf} null) or stood at {@code asOf}, in the order they were entered. */
    public List<OutcomeRecordRevised> activeRecords(String questionId, java.time.Instant asOf) {
        return records.all(filter(questionId, asOf == null ? OutcomeRecordRevised.RecordStatus.ACTIVE : null, null), asOf,
                r -> r.status() == OutcomeRecordRevised.RecordStatus.ACTIVE);
    }

    Optional<OutcomeRecordRevised> find(String recordId) {
        return records.find(recordId);
    }

    static String slot(String questionId, String studyId, String subgroup) {
        return questionId + "|" + studyId + "|" + (subgroup == null ? "" : subgroup);
    }

    /** Active records of the question from any of {@code studyIds} in {@code subgroup}: an exact lookup of their slots. */
    List<OutcomeRecordRevised> activeFromStudies(String questionId, Collection<String> studyIds, String subgroup) {
        return documents.find(Filters.in(SLOT, studyIds.stream().map(s -> slot(questionId, s, subgroup)).toList()))
                .map(d -> PayloadDocuments.fromDocument(d, OutcomeRecordRevised.class)).into(new ArrayList<>());
    }

    /** The active record holding each of {@code slots}, by slot (free slots are absent): one exact lookup. */
    Map<String, OutcomeRecordRevised> activeInSlots(Collection<String> slots) {
        Map<String, OutcomeRecordRevised> holders = new HashMap<>();
        if (!slots.isEmpty()) {
            documents.find(Filters.in(SLOT, List.copyOf(slots)))
                    .forEach(d -> holders.put(d.getString(SLOT), PayloadDocuments.fromDocument(d, OutcomeRecordRevised.class)));
        }
        return holders;
    }

    /** Active records, of any question, from any of {@code studyIds}. */
    List<OutcomeRecordRevised> activeOfStudies(Collection<String> studyIds) {
        return documents.find(Filters.and(Filters.in("studyId", studyIds),
                        Filters.eq("status", OutcomeRecordRevised.RecordStatus.ACTIVE.name())))
                .map(d -> PayloadDocuments.fromDocument(d, OutcomeRecordRevised.class)).into(new ArrayList<>());
    }

    /** Records stored before slots existed get theirs (once; nothing to do afterwards). */
    private void fillMissingSlots() {
        for (Document d : documents.find(Filters.and(Filters.exists(SLOT, false),
                Filters.eq("status", OutcomeRecordRevised.RecordStatus.ACTIVE.name())))) {
            documents.updateOne(Filters.eq("_id", d.get("_id")),
                    Updates.set(SLOT, slot(d.getString("questionId"), d.getString("studyId"), d.getString("subgroup"))));
        }
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
