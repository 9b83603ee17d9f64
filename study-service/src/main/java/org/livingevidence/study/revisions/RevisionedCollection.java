package org.livingevidence.study.revisions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.WriteError;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.client.result.UpdateResult;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.livingevidence.contracts.EventJson;
import org.livingevidence.support.mongo.MongoIndexes;
import org.livingevidence.support.mongo.PayloadDocuments;
import org.livingevidence.support.outbox.Outbox;
import org.livingevidence.support.outbox.OutboxEvent;
import org.livingevidence.support.paging.Page;
import org.livingevidence.support.paging.PageRequest;
import org.livingevidence.support.mongo.CreateOnce;
import org.livingevidence.support.mongo.ExactFilter;

/**
 * A collection of curated entities whose every change is a new immutable revision.
 *
 * <p>One document per entity holds the current revision (its payload fields at the top level, for queries) and the
 * events still to publish ({@link Outbox#FIELD}; a creation's event waits in its outbox entry instead,
 * {@link Outbox#stageNew}); a change is one update of that document, conditional on the
 * revision it was based on, so the revision and its event are stored together or not at all and no update is lost.
 * Every revision is also kept in {@code <collection>_revisions}, one document per revision, so no entity's document
 * grows with its history. That copy is written right after the change, and the outbox relay writes it again (if
 * missing) before it removes a published event, so a crash between the two writes cannot lose a revision from the
 * history: a revision is in the history by the time its event has left. The relay does not look for the copies this
 * instance's writes have inserted, acknowledged by MongoDB ({@link WrittenToHistory}).
 *
 * @param <T> the event payload describing one revision; it carries its own revision number and revisedAt
 */
public final class RevisionedCollection<T extends Record> {

    /** Fingerprint of the request that created the entity under an Idempotency-Key. */
    static final String IDEMPOTENCY = "idempotencyFingerprint";
    /** revisedAt and createdAt as epoch milliseconds: ISO strings of varying precision do not sort. */
    public static final String REVISED_AT_MILLIS = "revisedAtMillis";
    public static final String CREATED_AT_MILLIS = "createdAtMillis";
    static final String ENTITY_ID = "entityId";

    private final MongoCollection<Document> collection;
    private final MongoCollection<Document> history;
    private final Class<T> type;
    private final Outbox outbox;
    private final String what;
    private final Function<T, String> idOf;
    private final Function<T, String> eventKey;
    private final Function<T, Long> revisionOf;
    private final Function<T, Instant> revisedAtOf;
    private Function<T, Map<String, Object>> indexFields = t -> Map.of();
    private final WrittenToHistory writtenToHistory = new WrittenToHistory();

    /**
     * @param what     how errors name the entity ("question")
     * @param idOf     the entity's id in a revision
     * @param eventKey the Kafka key of the entity's events
     */
    public RevisionedCollection(MongoDatabase database, MongoIndexes indexes, String collectionName, Class<T> type, Outbox outbox,
                                String what, Function<T, String> idOf, Function<T, String> eventKey, Function<T, Long> revisionOf,
                                Function<T, Instant> revisedAtOf) {
        this.collection = database.getCollection(collectionName);
        this.history = database.getCollection(collectionName + "_revisions");
        this.type = type;
        this.outbox = outbox;
        this.what = what;
        this.idOf = idOf;
        this.eventKey = eventKey;
        this.revisionOf = revisionOf;
        this.revisedAtOf = revisedAtOf;
        indexes.ensure(history, List.of(new IndexModel(Indexes.ascending(ENTITY_ID, "revision"), new IndexOptions().name("entity_revision")),
                new IndexModel(Indexes.ascending(ENTITY_ID, REVISED_AT_MILLIS), new IndexOptions().name("entity_revised_at"))));
        // {_id, revision} serves the conditional revise: mongo-java-server uses an index only for a query on exactly its
        // keys, so without it every revision would scan the collection.
        indexes.ensure(collection, List.of(new IndexModel(Indexes.ascending(CREATED_AT_MILLIS), new IndexOptions().name("created_at")),
                new IndexModel(Indexes.ascending(REVISED_AT_MILLIS), new IndexOptions().name("revised_at")),
                new IndexModel(Indexes.ascending("_id", "revision"), new IndexOptions().name("id_revision").unique(true))));
        outbox.hook(collection, this::historyOfPublished);
    }

    public MongoCollection<Document> documents() {
        return collection;
    }

    /**
     * Fields stored beside each current revision for an index to work on (absent keys are removed), such as a slot
     * only active records hold under a unique index.
     */
    public RevisionedCollection<T> indexedBy(Function<T, Map<String, Object>> fields) {
        this.indexFields = fields;
        return this;
    }

    /** A unique index other than the id refused the write: another entity holds the same indexed value. */
    public static final class UniqueViolation extends RuntimeException {
        UniqueViolation(String message) {
            super(message);
        }
    }

    /** The Idempotency-Key a create was sent with, and the fingerprint of its request. */
    public record Idempotency(String key, String fingerprint) {
    }

    /** The result of a create: the first revision, and whether it was stored by an earlier request with the same key. */
    public record Created<T>(T entity, boolean replayed) {
    }

    /** An entity is already stored under the id an Idempotency-Key derived, created by a different request. */
    public static final class KeyReused extends RuntimeException {
        private final String key;

        KeyReused(String key) {
            super("Idempotency-Key " + key + " was used with a different request");
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /** The entity changed since the revision a writer based its change on. */
    public static final class StaleRevision extends RuntimeException {
        private final String what;
        private final String id;
        private final long given;
        private final long current;

        StaleRevision(String what, String id, long given, long current) {
            super(what + " " + id + " is at revision " + current + ", not " + given);
            this.what = what;
            this.id = id;
            this.given = given;
            this.current = current;
        }

        public String what() {
            return what;
        }

        public String id() {
            return id;
        }

        public long given() {
            return given;
        }

        public long current() {
            return current;
        }
    }

    /** There is no entity with this id. */
    public static final class Missing extends RuntimeException {
        private final String what;
        private final String id;

        Missing(String what, String id) {
            super(what + " " + id + " does not exist");
            this.what = what;
            this.id = id;
        }

        public String what() {
            return what;
        }

        public String id() {
            return id;
        }
    }

    /**
     * Stores revision 1 and its event. With a fingerprint (the request was sent with an Idempotency-Key and the id
     * derives from that key), a second create of the same id returns the first one's result instead of failing,
     * unless the request differs ({@link KeyReused}).
     */
    public Created<T> create(String id, T first, Idempotency idempotency) {
        Creation<T> result = createAll(List.of(new NewEntity<>(id, first, idempotency)), Outbox.Lane.INTERACTIVE).get(0);
        if (result.failure() != null) {
            throw result.failure();
        }
        return result.created();
    }

    /** One entity to create: its id, its first revision, and the Idempotency-Key it was sent with (or null). */
    public record NewEntity<T>(String id, T first, Idempotency idempotency) {
    }

    /** What became of one {@link NewEntity}: created (or replayed), or refused ({@link KeyReused}, {@link UniqueViolation}). */
    public record Creation<T>(Created<T> created, RuntimeException failure) {
    }

    /**
     * Creates many entities in a few round trips (one staging, one unordered insert, one history insert), each on its
     * own: one refused does not stop the others. Results are in the order given.
     */
    public List<Creation<T>> createAll(List<NewEntity<T>> entities, Outbox.Lane lane) {
        if (entities.isEmpty()) {
            return List.of();
        }
        List<Outbox.NewDocument> toStage = entities.stream().map(e -> {
            String key = eventKey.apply(e.first());
            return new Outbox.NewDocument(collection, e.id(), key, List.of(outbox.event(e.first(), key)));
        }).toList();
        List<Outbox.Staging> stagings = outbox.stageNew(toStage, lane);
        List<Document> documents = new ArrayList<>(entities.size());
        for (int i = 0; i < entities.size(); i++) {
            NewEntity<T> e = entities.get(i);
            Document document = PayloadDocuments.toDocument(e.id(), e.first());
            document.put(CREATED_AT_MILLIS, revisedAtOf.apply(e.first()).toEpochMilli());
            document.put(REVISED_AT_MILLIS, revisedAtOf.apply(e.first()).toEpochMilli());
            if (e.idempotency() != null) {
                document.put(IDEMPOTENCY, e.idempotency().fingerprint());
            }
            document.putAll(indexFields.apply(e.first()));
            outbox.putInitial(document, stagings.get(i), toStage.get(i).events());
            documents.add(document);
        }
        Map<Integer, WriteError> refused = new HashMap<>();
        try {
            collection.insertMany(documents, new InsertManyOptions().ordered(false));
        } catch (MongoBulkWriteException e) {
            CreateOnce.duplicatesIn(e).forEach(error -> refused.put(error.getIndex(), error));
        }
        List<Creation<T>> results = new ArrayList<>(entities.size());
        List<T> stored = new ArrayList<>();
        List<String> storedEvents = new ArrayList<>();
        for (int i = 0; i < entities.size(); i++) {
            NewEntity<T> e = entities.get(i);
            WriteError error = refused.get(i);
            if (error == null) {
                stored.add(e.first());
                toStage.get(i).events().forEach(event -> storedEvents.add(event.eventId()));
                results.add(new Creation<>(new Created<>(e.first(), false), null));
                continue;
            }
            outbox.abandon(stagings.get(i));
            results.add(refusal(e, error));
        }
        if (!stored.isEmpty()) {
            outbox.written(lane);
            writeToHistory(stored, storedEvents);
        }
        return results;
    }

    /** Why an insert was refused: a replay of the same request, another request under its key, or another unique value. */
    private Creation<T> refusal(NewEntity<T> e, WriteError error) {
        if (!isIdViolation(error.getMessage())) {
            return new Creation<>(null, new UniqueViolation(error.getMessage()));
        }
        Document existing = collection.find(Filters.eq("_id", e.id())).first();
        String fingerprint = e.idempotency() == null ? null : e.idempotency().fingerprint();
        if (fingerprint == null || existing == null || !fingerprint.equals(existing.getString(IDEMPOTENCY))) {
            return new Creation<>(null, new KeyReused(e.idempotency() == null ? e.id() : e.idempotency().key()));
        }
        // The first revision, by its history id (an exact lookup); the entity itself if its history is not written yet.
        Document first = history.find(Filters.eq("_id", historyId(e.id(), 1))).first();
        return new Creation<>(new Created<>(first != null ? fromHistory(first) : PayloadDocuments.fromDocument(existing, type), true), null);
    }

    /**
     * Stores {@code next} as the revision after {@code current}, with its event, unless another writer got there
     * first ({@link StaleRevision}: nothing is overwritten).
     */
    public T revise(String id, T current, T next) {
        Document nextDocument = PayloadDocuments.toDocument(id, next);
        nextDocument.remove("_id");
        List<Bson> updates = new ArrayList<>();
        nextDocument.forEach((field, value) -> updates.add(Updates.set(field, value)));
        // Fields the new revision no longer has (set to null) must not linger from the old one.
        Set<String> gone = new HashSet<>(PayloadDocuments.toDocument(id, current).keySet());
        gone.removeAll(nextDocument.keySet());
        gone.remove("_id");
        gone.forEach(field -> updates.add(Updates.unset(field)));
        Map<String, Object> nextIndexed = indexFields.apply(next);
        nextIndexed.forEach((field, value) -> updates.add(Updates.set(field, value)));
        indexFields.apply(current).keySet().stream().filter(f -> !nextIndexed.containsKey(f)).forEach(f -> updates.add(Updates.unset(f)));
        updates.add(Updates.set(REVISED_AT_MILLIS, revisedAtOf.apply(next).toEpochMilli()));
        Outbox.Staging staging = outbox.stage(collection, id, eventKey.apply(next));
        OutboxEvent event = outbox.event(next, eventKey.apply(next));
        updates.add(outbox.append(staging, List.of(event)));
        UpdateResult result;
        try {
            result = collection.updateOne(
                    ExactFilter.idAnd(id, "revision", revisionOf.apply(current)), Updates.combine(updates));
        } catch (MongoWriteException e) {
            if (CreateOnce.isDuplicateKey(e)) {
                outbox.abandon(staging);
                throw new UniqueViolation(e.getError().getMessage());
            }
            throw e;
        }
        if (result.getMatchedCount() == 0) {
            outbox.abandon(staging);
            throw new StaleRevision(what, id, revisionOf.apply(current), find(id).map(revisionOf).orElseThrow(() -> new Missing(what, id)));
        }
        outbox.written();
        writeToHistory(List.of(next), List.of(event.eventId()));
        return next;
    }

    public Optional<T> find(String id) {
        return Optional.ofNullable(collection.find(Filters.eq("_id", id)).first()).map(d -> PayloadDocuments.fromDocument(d, type));
    }

    /** The entity as it stood at {@code asOf}: its latest revision made by then; empty if it did not exist yet. */
    public Optional<T> find(String id, Instant asOf) {
        if (asOf == null) {
            return find(id);
        }
        List<T> revisions = history(id);
        T found = null;
        for (T revision : revisions) {
            if (!revisedAtOf.apply(revision).isAfter(asOf)) {
                found = revision;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Every revision, oldest first; empty if the entity does not exist. */
    public List<T> history(String id) {
        Map<Long, T> byRevision = new java.util.TreeMap<>();
        history.find(Filters.eq(ENTITY_ID, id)).sort(Sorts.ascending("revision"))
                .forEach(d -> byRevision.put(d.get("revision", Number.class).longValue(), fromHistory(d)));
        // The current revision is in the history once its write completed; read it from the entity meanwhile.
        find(id).ifPresent(current -> byRevision.putIfAbsent(revisionOf.apply(current), current));
        return List.copyOf(byRevision.values());
    }

    /** One page of current entities matching {@code filter}, in the database's order. */
    public Page<T> page(Bson filter, PageRequest request) {
        long total = collection.countDocuments(filter);
        List<T> items = collection.find(filter).sort(request.sort()).skip(request.offset()).limit(request.limit())
                .projection(Projections.exclude(Outbox.FIELD))
                .map(d -> PayloadDocuments.fromDocument(d, type)).into(new ArrayList<>());
        return new Page<>(items, total);
    }

    /**
     * One page of entities as they stood at {@code asOf}. The scope filter picks candidate documents on fields
     * that never change (the question an outcome record belongs to); the state filter applies to the past state,
     * and sorting happens in memory, so as-of lists suit audits rather than hot paths.
     */
    public Page<T> pageAsOf(Bson scope, Instant asOf, Predicate<T> state, SortOrder<T> order, PageRequest request) {
        List<SortOrder.Dated<T>> all = datedAsOf(scope, asOf, state);
        all.sort(order.comparator(request.sortName(), request.descending()).thenComparing(d -> idOf.apply(d.entity())));
        int from = Math.min(request.offset(), all.size());
        List<T> items = all.subList(from, Math.min(all.size(), from + request.limit())).stream().map(SortOrder.Dated::entity).toList();
        return new Page<>(items, all.size());
    }

    /**
     * Every entity in scope as it stands ({@code asOf} null) or stood at {@code asOf} and passes {@code state}, in
     * creation order: for exports, which need all of a question's records rather than a page of them.
     */
    public List<T> all(Bson scope, Instant asOf, Predicate<T> state) {
        if (asOf == null) {
            return collection.find(scope).sort(Sorts.ascending(CREATED_AT_MILLIS, "_id")).projection(Projections.exclude(Outbox.FIELD))
                    .map(d -> PayloadDocuments.fromDocument(d, type)).into(new ArrayList<>()).stream().filter(state).toList();
        }
        return datedAsOf(scope, asOf, state).stream()
                .sorted(java.util.Comparator.<SortOrder.Dated<T>>comparingLong(SortOrder.Dated::createdAtMillis).thenComparing(d -> idOf.apply(d.entity())))
                .map(SortOrder.Dated::entity).toList();
    }

    /**
     * The given revisions of the given entities (id to revision), in one query; an entry missing from the result
     * names a revision that does not exist.
     */
    public Map<String, T> revisions(Map<String, Long> revisionById) {
        Map<String, T> found = new HashMap<>();
        if (revisionById.isEmpty()) {
            return found;
        }
        history.find(Filters.in(ENTITY_ID, revisionById.keySet())).forEach(d -> {
            String id = d.getString(ENTITY_ID);
            Number revision = d.get("revision", Number.class);
            if (revision != null && revision.longValue() == revisionById.get(id).longValue()) {
                found.put(id, fromHistory(d));
            }
        });
        // The current revision is in the history once its write completed; read it from the entity meanwhile.
        List<String> missing = revisionById.keySet().stream().filter(id -> !found.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            collection.find(Filters.in("_id", missing)).projection(Projections.exclude(Outbox.FIELD)).forEach(d -> {
                T current = PayloadDocuments.fromDocument(d, type);
                String id = idOf.apply(current);
                if (revisionById.containsKey(id) && revisionOf.apply(current) == revisionById.get(id).longValue()) {
                    found.put(id, current);
                }
            });
        }
        return found;
    }

    private List<SortOrder.Dated<T>> datedAsOf(Bson scope, Instant asOf, Predicate<T> state) {
        Map<String, Long> createdAt = new HashMap<>();
        collection.find(Filters.and(scope, Filters.lte(CREATED_AT_MILLIS, asOf.toEpochMilli())))
                .projection(Projections.include(CREATED_AT_MILLIS))
                .forEach(d -> createdAt.put(d.getString("_id"), d.get(CREATED_AT_MILLIS, Number.class).longValue()));
        Map<String, T> latest = new HashMap<>();
        if (!createdAt.isEmpty()) {
            history.find(Filters.and(Filters.in(ENTITY_ID, createdAt.keySet()), Filters.lte(REVISED_AT_MILLIS, asOf.toEpochMilli())))
                    .forEach(d -> {
                        T revision = fromHistory(d);
                        latest.merge(d.getString(ENTITY_ID), revision,
                                (a, b) -> revisionOf.apply(a) >= revisionOf.apply(b) ? a : b);
                    });
        }
        List<SortOrder.Dated<T>> all = new ArrayList<>();
        latest.forEach((id, entity) -> {
            if (state.test(entity)) {
                all.add(new SortOrder.Dated<>(createdAt.get(id), entity));
            }
        });
        return all;
    }

    /**
     * Puts the revisions a write just stored into the history (none is there yet, unless a repair came first: an
     * insert of one already there changes nothing), and notes their events, which the repair then skips.
     */
    private void writeToHistory(List<T> revisions, List<String> eventIds) {
        CreateOnce.insertAll(history, revisions.stream().map(this::historyDocument).toList());
        writtenToHistory.written(eventIds);
    }

    private Document historyDocument(T revision) {
        Document d = PayloadDocuments.toDocument(historyId(idOf.apply(revision), revisionOf.apply(revision)), revision);
        d.put(ENTITY_ID, idOf.apply(revision));
        d.put(REVISED_AT_MILLIS, revisedAtOf.apply(revision).toEpochMilli());
        return d;
    }

    /**
     * The relay's repair: puts revisions into the history, skipping those already there. Only the missing ones are
     * converted: every revision is usually there already.
     */
    private void keepInHistory(List<T> revisions) {
        if (revisions.isEmpty()) {
            return;
        }
        Map<String, T> byHistoryId = new LinkedHashMap<>();
        for (T revision : revisions) {
            byHistoryId.put(historyId(idOf.apply(revision), revisionOf.apply(revision)), revision);
        }
        history.find(Filters.in("_id", List.copyOf(byHistoryId.keySet()))).projection(Projections.include("_id"))
                .forEach(d -> byHistoryId.remove(d.getString("_id")));
        if (byHistoryId.isEmpty()) {
            return;
        }
        CreateOnce.insertAll(history, byHistoryId.values().stream().map(this::historyDocument).toList());
    }

    /**
     * The relay's repair: every published revision is in the history. Those this instance wrote there itself are not
     * read back.
     */
    private void historyOfPublished(List<OutboxEvent> published) {
        List<T> revisions = new ArrayList<>();
        for (OutboxEvent event : published) {
            if (writtenToHistory.take(event.eventId())) {
                continue;
            }
            try {
                revisions.add(EventJson.mapper().readValue(event.data(), type));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        keepInHistory(revisions);
    }

    /** Whether a duplicate key was the entity id (and not another unique index). */
    private static boolean isIdViolation(String message) {
        return message == null || message.contains("_id_") || message.contains("_id ") || !message.contains("index");
    }

    private T fromHistory(Document d) {
        Document copy = new Document(d);
        copy.remove(ENTITY_ID);
        copy.remove(REVISED_AT_MILLIS);
        return PayloadDocuments.fromDocument(copy, type);
    }

    private static String historyId(String id, long revision) {
        return id + "#" + String.format(java.util.Locale.ROOT, "%010d", revision);
    }
}
