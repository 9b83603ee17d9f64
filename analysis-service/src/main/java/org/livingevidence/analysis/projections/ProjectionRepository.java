package org.livingevidence.analysis.projections;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.support.events.TransientFailure;
import org.livingevidence.support.mongo.CreateOnce;
import org.livingevidence.support.mongo.MongoIndexes;
import org.livingevidence.support.mongo.PayloadDocuments;
import org.livingevidence.support.outbox.Outbox;
import org.livingevidence.support.outbox.OutboxEvent;
import org.livingevidence.support.mongo.ExactFilter;

/**
 * One document per question. A save writes the new state and appends the events it owes in one update, guarded by
 * the version read: a concurrent writer makes the save fail, and the events are retried on fresh state. Batches of
 * questions are read in one query and written in a few bulk round trips.
 */
@Singleton
public class ProjectionRepository {

    public static final String COLLECTION = "question_projections";
    private static final String RECORDS = "records";
    private static final List<String> STATE_FIELDS = List.of("question", RECORDS, "estimateVersion", "lastConclusion",
            "latestEstimate");
    /** A token unique to each write, read back to learn whether this write, not a concurrent one, landed. */
    private static final String WRITE = "write";

    private final MongoCollection<Document> projections;
    private final Outbox outbox;
    private final PublishedEstimates published;

    ProjectionRepository(MongoDatabase database, Outbox outbox, MongoIndexes indexes, PublishedEstimates published) {
        this.projections = database.getCollection(COLLECTION);
        this.outbox = outbox;
        this.published = published;
        // Serves the conditional save: mongo-java-server uses an index only for a query on exactly its keys.
        indexes.ensure(projections, List.of(new IndexModel(Indexes.ascending("_id", "version"),
                new IndexOptions().name("id_version").unique(true))));
    }

    public MongoCollection<Document> collection() {
        return projections;
    }

    /** The question's projection as held (empty when there is none), for reading. */
    public QuestionProjection load(String questionId) {
        Document found = projections.find(Filters.eq("_id", questionId)).first();
        return found == null ? QuestionProjection.empty(questionId) : loaded(found).projection();
    }

    /** Every question with a projection, in id order. */
    public List<String> questionIds() {
        List<String> ids = new ArrayList<>();
        projections.find().projection(Projections.include("_id")).sort(com.mongodb.client.model.Sorts.ascending("_id"))
                .forEach(d -> ids.add(d.getString("_id")));
        return ids;
    }

    /** Whether no question has a projection yet: a new or rebuilt database. */
    public boolean isEmpty() {
        return projections.find().projection(Projections.include("_id")).limit(1).first() == null;
    }

    /**
     * A projection as the handler reads it before a change: with how much of its events still waits for the relay,
     * and whether it was read continuing from a published estimate it did not hold yet (a change to save even when
     * nothing else changes).
     */
    public record Loaded(QuestionProjection projection, long unpublishedBytes, boolean continued) {
        Loaded(QuestionProjection projection, long unpublishedBytes) {
            this(projection, unpublishedBytes, false);
        }
    }

    /** Which loaded projections continue from the latest published estimate ({@link PublishedEstimates}). */
    enum Continuing {
        /** None: a rebuild replaying the topics, while the published estimates may not all be known yet. */
        NONE,
        /**
         * Those the database does not hold yet, or holds without numbering (none published: held records, or a
         * projection a rebuild folded that its end did not continue, a question it skipped or an instance's end that
         * came first), so a version published before is never numbered again.
         */
        NEW,
        /** Every one whose latest published estimate is newer than what it holds: the end of a rebuild. */
        ALL
    }

    /**
     * Several projections in one read, a question without a document as a new, empty one; {@code continuing} says
     * which continue from their question's latest published estimate ({@link PublishedEstimates}).
     */
    Map<String, Loaded> loadAll(Collection<String> questionIds, Continuing continuing) {
        Map<String, Loaded> found = new HashMap<>();
        projections.find(Filters.in("_id", List.copyOf(questionIds))).forEach(d -> found.put(d.getString("_id"), loaded(d)));
        List<String> asked = switch (continuing) {
            case NONE -> List.of();
            case NEW -> questionIds.stream().filter(id -> !found.containsKey(id) || found.get(id).projection().estimateVersion() == 0).toList();
            case ALL -> List.copyOf(questionIds);
        };
        Map<String, PooledEstimateComputed> before = asked.isEmpty() ? Map.of() : published.latest(asked);
        Map<String, Loaded> inOrder = new LinkedHashMap<>();
        for (String id : questionIds) {
            Loaded held = found.get(id);
            Loaded current = held != null ? held : new Loaded(QuestionProjection.empty(id), 0);
            PooledEstimateComputed latest = before.get(id);
            if (latest != null && latest.estimateVersion() > current.projection().estimateVersion()) {
                // A projection not yet written is inserted whole anyway: only a held one needs saving for this alone.
                current = new Loaded(current.projection().continuingFrom(latest), current.unpublishedBytes(), held != null);
            }
            inOrder.put(id, current);
        }
        return inOrder;
    }

    private static Loaded loaded(Document document) {
        long waiting = document.getList(Outbox.FIELD, Document.class, List.of()).stream()
                .mapToLong(e -> e.getString("data").length()).sum();
        return new Loaded(PayloadDocuments.fromDocument(document, QuestionProjection.class), waiting);
    }

    public Optional<PooledEstimateComputed> latestEstimate(String questionId) {
        return Optional.ofNullable(load(questionId).latestEstimate());
    }

    /**
     * A projection to write ({@code updated}, as read at its version) with the events it owes. {@code numberingOnly}
     * when only its numbering and latest estimate changed (a rebuild's end continuing from a published estimate): the
     * question and the records, unchanged, are not written again. {@code stored}: the records the document holds at
     * the version read, when known, so that only the records that differ from them are written; null writes them all.
     */
    public record Save(QuestionProjection updated, List<OutboxEvent> events, boolean numberingOnly, Outbox.Lane lane,
                       List<QuestionProjection.RecordState> stored) {
        public Save(QuestionProjection updated, List<OutboxEvent> events, boolean numberingOnly) {
            this(updated, events, numberingOnly, Outbox.Lane.INTERACTIVE, null);
        }

        public Save(QuestionProjection updated, List<OutboxEvent> events) {
            this(updated, events, false);
        }

        /** The same write, its events staged in {@code other}. */
        public Save in(Outbox.Lane other) {
            return new Save(updated, events, numberingOnly, other, stored);
        }

        /**
         * The same write of a projection changed from {@code read} (as loaded, at the version the write expects): a
         * batch adding 300 records to a question of 5,000 writes those 300, not the 5,300 again.
         */
        public Save over(QuestionProjection read) {
            return new Save(updated, events, numberingOnly, lane, read.records());
        }
    }

    private static final List<String> NUMBERING_FIELDS = List.of("estimateVersion", "lastConclusion", "latestEstimate");

    /**
     * Writes every projection with its events, each atomically, in a few round trips: one staging of all that owe
     * events, one insert of the new ones, one bulk update of the rest, one read of what landed. A projection that
     * another writer changed since it was read is not written; after the others are, the call fails with
     * {@link ConcurrentProjectionUpdate}, naming those, for the caller to apply them again on fresh state (where what
     * another writer already applied is no longer newer and is skipped). Events go to the outbox lane each save names.
     */
    public void saveAll(List<Save> saves) {
        if (saves.isEmpty()) {
            return;
        }
        Map<String, Outbox.Staging> stagingOf = new HashMap<>();
        for (Outbox.Lane lane : Outbox.Lane.values()) {
            List<Save> owing = saves.stream().filter(s -> !s.events().isEmpty() && s.lane() == lane).toList();
            List<Outbox.Staging> stagings;
            try {
                stagings = outbox.stageAll(owing.stream()
                        .map(s -> new Outbox.ToStage(projections, s.updated().questionId(), s.updated().questionId())).toList(), lane);
            } catch (RuntimeException e) {
                // The other lane's stagings will not be written either: said now, their entries need not wait out a grace.
                try {
                    stagingOf.values().forEach(outbox::abandon);
                } catch (RuntimeException alsoFailed) {
                    e.addSuppressed(alsoFailed);
                }
                throw e;
            }
            for (int i = 0; i < owing.size(); i++) {
                stagingOf.put(owing.get(i).updated().questionId(), stagings.get(i));
            }
        }
        List<Document> inserts = new ArrayList<>();
        List<UpdateOneModel<Document>> updates = new ArrayList<>();
        Map<String, String> tokens = new LinkedHashMap<>();
        for (Save save : saves) {
            QuestionProjection updated = save.updated();
            long expected = updated.version();
            QuestionProjection next = new QuestionProjection(updated.questionId(), expected + 1, updated.question(),
                    updated.records(), updated.estimateVersion(), updated.lastConclusion(), updated.latestEstimate());
            String token = UUID.randomUUID().toString();
            tokens.put(next.questionId(), token);
            // Only the records that changed, where the records as read are known (none for a numbering): the rest
            // is not even mapped.
            List<Bson> records = expected == 0 ? null : save.numberingOnly() ? List.of() : changedRecords(save.stored(), next.records());
            Document state = PayloadDocuments.toDocument(next.questionId(), records == null ? next : new QuestionProjection(
                    next.questionId(), next.version(), next.question(), List.of(), next.estimateVersion(), next.lastConclusion(),
                    next.latestEstimate()));
            Outbox.Staging staging = stagingOf.get(next.questionId());
            if (expected == 0) {
                state.put(WRITE, token);
                if (staging != null) {
                    outbox.putInitial(state, staging, save.events());
                }
                inserts.add(state);
            } else {
                List<Bson> fields = new ArrayList<>();
                fields.add(Updates.set("version", next.version()));
                fields.add(Updates.set(WRITE, token));
                for (String field : save.numberingOnly() ? NUMBERING_FIELDS : STATE_FIELDS) {
                    if (field.equals(RECORDS) && records != null) {
                        fields.addAll(records);
                    } else {
                        fields.add(state.containsKey(field) ? Updates.set(field, state.get(field)) : Updates.unset(field));
                    }
                }
                if (staging != null) {
                    fields.add(outbox.append(staging, save.events()));
                }
                updates.add(new UpdateOneModel<>(ExactFilter.idAnd(next.questionId(), "version", expected),
                        Updates.combine(fields)));
            }
        }
        CreateOnce.insertAll(projections, inserts);
        if (!updates.isEmpty()) {
            projections.bulkWrite(updates, new BulkWriteOptions().ordered(false));
        }
        Map<String, String> landed = new HashMap<>();
        projections.find(Filters.in("_id", List.copyOf(tokens.keySet()))).projection(Projections.include(WRITE))
                .forEach(d -> landed.put(d.getString("_id"), d.getString(WRITE)));
        List<String> lost = tokens.entrySet().stream().filter(t -> !t.getValue().equals(landed.get(t.getKey())))
                .map(Map.Entry::getKey).toList();
        lost.forEach(id -> {
            Outbox.Staging staging = stagingOf.get(id);
            if (staging != null) {
                outbox.abandon(staging);
            }
        });
        // The relay looks between an import's steps for interactive writes: say which lane the landed events wait in.
        saves.stream().filter(s -> stagingOf.containsKey(s.updated().questionId()) && !lost.contains(s.updated().questionId()))
                .map(Save::lane).distinct().forEach(outbox::written);
        if (!lost.isEmpty()) {
            throw new ConcurrentProjectionUpdate(lost);
        }
    }

    /**
     * The updates that turn {@code stored} into {@code records}, one element each ({@code records.<i>}): the records
     * a batch revised, in place, and those it added, after the others (a projection keeps records in the order they
     * first arrived and never drops one). Null, for the whole list to be written, when {@code stored} is unknown or
     * is not such a prefix. Setting elements by position, rather than pushing the new ones, lets one update do both:
     * MongoDB refuses an update whose paths conflict by prefix, as {@code $push} to {@code records} with {@code $set}
     * of {@code records.3} would.
     */
    private static List<Bson> changedRecords(List<QuestionProjection.RecordState> stored, List<QuestionProjection.RecordState> records) {
        if (stored == null || stored.size() > records.size()) {
            return null;
        }
        List<Bson> changed = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            QuestionProjection.RecordState now = records.get(i);
            if (i < stored.size()) {
                if (!stored.get(i).recordId().equals(now.recordId())) {
                    return null;
                }
                if (stored.get(i).equals(now)) {
                    continue;
                }
            }
            changed.add(Updates.set(RECORDS + "." + i, PayloadDocuments.toEmbedded(now)));
        }
        return changed;
    }

    /** Another writer updated projections since they were read; the caller applies their events again on fresh state. */
    public static final class ConcurrentProjectionUpdate extends TransientFailure {
        private final List<String> questionIds;

        ConcurrentProjectionUpdate(List<String> questionIds) {
            super("projections of " + questionIds + " changed after they were read");
            this.questionIds = List.copyOf(questionIds);
        }

        /** The questions whose writes did not land (the others did). */
        public List<String> questionIds() {
            return questionIds;
        }
    }
}
