package org.livingevidence.support.outbox;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.utils.Utils;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import org.bson.Document;
import org.livingevidence.support.mongo.CreateOnce;
import org.livingevidence.support.mongo.MongoIndexes;
import org.bson.conversions.Bson;
import org.livingevidence.contracts.EventSchemas;
import org.livingevidence.contracts.EventType;

/**
 * The one outbox. A service writes its state change and the events it owes in the same single-document update
 * ({@link #append}), so both happen or neither does, with no transaction: mongo-java-server has none, and a
 * single-document write is atomic in every MongoDB. {@link OutboxRelay} publishes the events and removes them.
 *
 * <p>So that the relay never scans the state collections, a writer first {@linkplain #stage stages} the document: an
 * upsert into the small {@value #PENDING} collection naming it, which numbers the staging. The write then adds that
 * number to the document's list ({@value #STAGINGS}). The relay reads only the pending collection, and deletes an entry only when
 * the document owes nothing, the latest staging's write has landed (or was {@linkplain #abandon refused}), and no
 * staging came since it read the entry. Without the middle condition the relay could read a document between its
 * staging and its write, find nothing owed, and drop the entry just before the events arrive. Every writer here updates
 * with an optimistic check (a version, a revision, a unique id), so once the latest staging landed, any earlier
 * staging still in flight can only fail. When the relay deletes an entry it also removes, in the same update that removes
 * the published events, the document's numbers up to the entry's as it read it, because the next entry of that document
 * numbers its stagings from 1 again; a list rather than the highest number, so that a write staged and landed since the
 * relay read the entry keeps its number (and its entry, which the relay's conditional delete leaves) whatever the order
 * of the two writes. Any collection can hold
 * pending events: staging names it, nothing else registers it.
 *
 * <p>A document's creation may keep its events in its new entry instead ({@link #stageNew}): the insert then marks
 * the document with the entry's {@value #INSERTED_BY} and carries no events and no number; the mark stands for the
 * entry's first staging having landed, and the relay publishes the entry's events before the document's own (a
 * revision staged before the relay came by). Publishing a creation so writes nothing to its document. While a
 * document is missing, its entry is settled only once every one of its stagings was refused: any other may be its
 * insert, still in flight.
 *
 * <p>Each entry carries its shard (the key's hash over {@link #SHARDS}, as Kafka partitions keys), and each relay
 * instance publishes only the shards it owns ({@link RelayShards}), so one key's events have one publisher.
 *
 * <p>Each entry waits in a {@link Lane}: what a person is waiting for goes out before the documents of a bulk import
 * staged earlier, and bulk documents may be paced ({@link BulkPacing}). A document's own events always keep their
 * order (they are one entry); documents are never ordered among themselves (each carries its own revisions).
 */
@Singleton
public class Outbox {

    /** The array field holding pending events in any document that owes events. */
    public static final String FIELD = "outbox";
    /**
     * Documents that owe events: {@code _id} {@code <collection>/<document id>}, collection, docId, shard, n (stagings
     * so far), abandoned (the highest staging refused for good), since (first staging), touched (last staging).
     */
    public static final String PENDING = "outbox_pending";
    /**
     * The numbers of the stagings whose writes landed in the document and whose entry the relay has not yet retired
     * (see {@link Staging}); retiring removes those up to the entry's number as read, never a later one.
     */
    public static final String STAGINGS = "outboxStagings";
    /**
     * Written by versions before {@value #STAGINGS}: the highest number landed, one value, which retiring removed even
     * when a later write had just raised it (that write's entry then waited out {@link OutboxRelay#UNSETTLED_GRACE}).
     * Still read, and removed on retiring, for the documents they wrote.
     */
    public static final String STAGED = "outboxStaged";
    /**
     * In a document created by {@link #stageNew}: the mark of the staging that inserted it (its pending entry's
     * {@value #INSERTED_BY} field), which tells the relay that the insert landed and the entry's events are owed.
     */
    public static final String INSERTED_BY = "outboxInsertedBy";
    /** A pending entry's events of a new document's creation ({@link #stageNew}), kept there instead of in the document. */
    static final String INLINE = "events";
    /** How many of a pending entry's stagings were refused for good ({@link #abandon}). */
    static final String REFUSED = "refused";
    /** Relay shards: as many as the public topics have partitions. */
    public static final int SHARDS = 6;
    /** The pending entry's field that says it waits in the {@link Lane#BULK} lane. */
    static final String BULK_FIELD = "bulk";

    /** Which queue a pending entry waits in. */
    public enum Lane {
        /** A person's write, waited for: published first. */
        INTERACTIVE,
        /** Part of a bulk import: published after every interactive entry, at the pace {@link BulkPacing} allows. */
        BULK;

        /** As the events' {@code ce_lane} header names it. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final boolean inlineCreations;
    private final boolean stagingList;
    private final String source;
    private final Clock clock;
    private final MongoCollection<Document> pending;
    private final List<java.util.function.Consumer<Lane>> listeners = new CopyOnWriteArrayList<>();
    private final List<java.util.function.BiConsumer<String, Lane>> stagedListeners = new CopyOnWriteArrayList<>();
    private final java.util.Map<String, OutboxHook> hooks = new java.util.concurrent.ConcurrentHashMap<>();

    public Outbox(String serviceName, Clock clock, MongoDatabase database, MongoIndexes indexes) {
        this(serviceName, clock, database, indexes, true);
    }

    public Outbox(String serviceName, Clock clock, MongoDatabase database, MongoIndexes indexes, boolean inlineCreations) {
        this(serviceName, clock, database, indexes, inlineCreations, true);
    }

    /**
     * @param inlineCreations whether {@link #stageNew} keeps a creation's events in its entry; off, it stages as
     *                        {@link #stageAll} does. Relays of versions before this one do not read such entries, so a
     *                        deployment that still runs one turns it off until none does (docs/deployment.md).
     * @param stagingList     whether a write records its staging number in the document's list ({@value #STAGINGS});
     *                        off, as the one highest number ({@value #STAGED}) that relays of versions before the list
     *                        read: a deployment that still runs one turns it off until none does (docs/deployment.md).
     *                        This relay reads both.
     */
    @jakarta.inject.Inject
    public Outbox(@Value("${micronaut.application.name}") String serviceName, Clock clock, MongoDatabase database, MongoIndexes indexes,
                  @Value("${evidence.outbox.inline-creations:true}") boolean inlineCreations,
                  @Value("${evidence.outbox.staging-list:true}") boolean stagingList) {
        this.inlineCreations = inlineCreations;
        this.stagingList = stagingList;
        this.source = "/" + serviceName;
        this.clock = clock;
        this.pending = database.getCollection(PENDING);
        // {_id, n} serves the relay's conditional delete: mongo-java-server uses an index only for a query on exactly
        // its keys, so without it every such delete would scan the collection.
        indexes.ensure(pending, List.of(new IndexModel(Indexes.ascending("shard", "since"), new IndexOptions().name("shard_since")),
                new IndexModel(Indexes.ascending("shard", BULK_FIELD, "since"), new IndexOptions().name("shard_bulk_since")),
                new IndexModel(Indexes.ascending("_id", "n"), new IndexOptions().name("id_n").unique(true))));
    }

    /**
     * A document about to owe events: its pending entry and the number this staging got there. The write that follows
     * records the number in the document ({@link #append}, {@link #putInitial}); a write that was refused for good
     * says so ({@link #abandon}). Until one or the other, the relay keeps the entry even if the document owes nothing
     * yet, because the write may still land.
     */
    public record Staging(String pendingId, long number, String insertedBy) {

        /** A staging whose write puts the events into the document. */
        public Staging(String pendingId, long number) {
            this(pendingId, number, null);
        }

        /** Whether the events are in the pending entry already, and the insert only marks the document ({@link #stageNew}). */
        public boolean inline() {
            return insertedBy != null;
        }
    }

    /** Builds an event for {@code payload}, validated against its contract, with {@code key} as record key and subject. */
    public OutboxEvent event(Record payload, String key) {
        EventType type = EventType.of(payload.getClass());
        return new OutboxEvent(UUID.randomUUID().toString(), type.ceType(), source, type.topic(), key,
                clock.instant(), EventSchemas.toValidatedJson(payload));
    }

    /**
     * Call before writing events into {@code documentId} of {@code collection}; the write must use the staging. The
     * entry waits in the interactive lane (a document a bulk import staged moves there: its events keep their order).
     */
    public Staging stage(MongoCollection<Document> collection, Object documentId, String key) {
        String collectionName = collection.getNamespace().getCollectionName();
        String id = pendingId(collectionName, documentId);
        Document entry = pending.findOneAndUpdate(Filters.eq("_id", id),
                stagingUpdate(collectionName, documentId, key, Lane.INTERACTIVE, clock.millis()),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER).projection(Projections.include("n")));
        staged(id, Lane.INTERACTIVE);
        return new Staging(id, entry.get("n", Number.class).longValue());
    }

    /** A document about to owe events, for {@link #stageAll}. */
    public record ToStage(MongoCollection<Document> collection, Object documentId, String key) {
    }

    /**
     * Stages many documents in two round trips (one bulk upsert, one read of the numbers), in the order given. The
     * number read back may include a concurrent staging of the same document; that is harmless because the writes are
     * optimistic: of two stagings that overlap, only one write can land.
     */
    public List<Staging> stageAll(List<ToStage> documents) {
        return stageAll(documents, Lane.INTERACTIVE);
    }

    /**
     * As {@link #stageAll(List)}, in {@code lane}: an interactive staging moves every entry to the interactive lane; a
     * bulk one puts new entries in the bulk lane and leaves existing ones where they wait.
     */
    public List<Staging> stageAll(List<ToStage> documents, Lane lane) {
        if (documents.isEmpty()) {
            return List.of();
        }
        long now = clock.millis();
        List<String> ids = new java.util.ArrayList<>(documents.size());
        List<com.mongodb.client.model.UpdateOneModel<Document>> upserts = new java.util.ArrayList<>(documents.size());
        for (ToStage d : documents) {
            String collectionName = d.collection().getNamespace().getCollectionName();
            String id = pendingId(collectionName, d.documentId());
            ids.add(id);
            upserts.add(new com.mongodb.client.model.UpdateOneModel<>(Filters.eq("_id", id),
                    stagingUpdate(collectionName, d.documentId(), d.key(), lane, now), new com.mongodb.client.model.UpdateOptions().upsert(true)));
        }
        pending.bulkWrite(upserts, new com.mongodb.client.model.BulkWriteOptions().ordered(false));
        ids.forEach(id -> staged(id, lane));
        java.util.Map<String, Long> numbers = new java.util.HashMap<>();
        pending.find(Filters.in("_id", ids)).projection(Projections.include("n"))
                .forEach(e -> numbers.put(e.getString("_id"), e.get("n", Number.class).longValue()));
        return ids.stream().map(id -> new Staging(id, numbers.get(id))).toList();
    }

    /** A document about to be inserted with its first events, for {@link #stageNew}. */
    public record NewDocument(MongoCollection<Document> collection, Object documentId, String key, List<OutboxEvent> events) {

        public NewDocument {
            if (events.isEmpty()) {
                // The first event's id is the entry's mark; a creation that owes nothing needs no staging.
                throw new IllegalArgumentException("a new document staged without events: " + documentId);
            }
        }

        ToStage toStage() {
            return new ToStage(collection, documentId, key);
        }
    }

    /**
     * Stages documents about to be created, each with its first events, in {@code lane}, keeping the events in the
     * new pending entries rather than in the documents: the insert then only marks its document ({@link #putInitial},
     * {@value #INSERTED_BY}), and publishing those events writes nothing to the document. For an import that is one
     * document update less per record (the relay's removal of the events, a fifth of the embedded MongoDB server's
     * time, docs/performance.md). One unordered insert of the entries: a document that already has an entry (its
     * create is pending, or a create of the same id was refused and its entry not yet retired) is staged as
     * {@link #stageAll} stages it, and its events go into the document as before.
     */
    public List<Staging> stageNew(List<NewDocument> documents, Lane lane) {
        if (documents.isEmpty()) {
            return List.of();
        }
        if (!inlineCreations) {
            return stageAll(documents.stream().map(NewDocument::toStage).toList(), lane);
        }
        long now = clock.millis();
        List<Document> entries = new java.util.ArrayList<>(documents.size());
        for (NewDocument d : documents) {
            String collectionName = d.collection().getNamespace().getCollectionName();
            entries.add(new Document("_id", pendingId(collectionName, d.documentId())).append("n", 1L).append("touched", now)
                    .append(BULK_FIELD, lane == Lane.BULK).append("collection", collectionName).append("docId", d.documentId())
                    .append("shard", shardOf(d.key())).append("since", now).append(INSERTED_BY, d.events().get(0).eventId())
                    .append(INLINE, d.events().stream().map(OutboxEvent::toBson).toList()));
        }
        java.util.Set<Integer> existing = new java.util.HashSet<>();
        try {
            pending.insertMany(entries, new com.mongodb.client.model.InsertManyOptions().ordered(false));
        } catch (com.mongodb.MongoBulkWriteException e) {
            CreateOnce.duplicatesIn(e).forEach(error -> existing.add(error.getIndex()));
        }
        for (int i = 0; i < entries.size(); i++) {
            if (!existing.contains(i)) {
                staged(entries.get(i).getString("_id"), lane);
            }
        }
        // stageAll answers in the order given, so the fallback stagings are taken in the documents' order.
        java.util.Iterator<Staging> stagedAgain = stageAll(java.util.stream.IntStream.range(0, documents.size())
                .filter(existing::contains).mapToObj(i -> documents.get(i).toStage()).toList(), lane).iterator();
        List<Staging> stagings = new java.util.ArrayList<>(documents.size());
        for (int i = 0; i < documents.size(); i++) {
            Document entry = entries.get(i);
            stagings.add(existing.contains(i) ? stagedAgain.next() : new Staging(entry.getString("_id"), 1, entry.getString(INSERTED_BY)));
        }
        return stagings;
    }

    /**
     * The upsert of one staging: counts it, and creates the entry the first time. An interactive staging moves the
     * entry to the interactive lane; a bulk one puts only a new entry in the bulk lane, so that an import staging a
     * document again (a re-upload) cannot hold a curator's pending revision back with the import.
     */
    private static Bson stagingUpdate(String collectionName, Object documentId, String key, Lane lane, long now) {
        return Updates.combine(Updates.inc("n", 1L), Updates.set("touched", now),
                lane == Lane.BULK ? Updates.setOnInsert(BULK_FIELD, true) : Updates.set(BULK_FIELD, false),
                Updates.setOnInsert("collection", collectionName), Updates.setOnInsert("docId", documentId),
                Updates.setOnInsert("shard", shardOf(key)), Updates.setOnInsert("since", now));
    }

    /** The update clause that adds {@code events} to a document's outbox, in order, as the staged write. */
    public Bson append(Staging staging, List<OutboxEvent> events) {
        return Updates.combine(Updates.pushEach(FIELD, events.stream().map(OutboxEvent::toBson).toList()),
                stagingList ? Updates.addToSet(STAGINGS, staging.number()) : Updates.max(STAGED, staging.number()));
    }

    /**
     * Puts {@code events} into a new document's outbox, as the staged write; for an {@linkplain Staging#inline()
     * inline} staging, whose entry holds these events already, only marks the document as that staging's insert.
     */
    public void putInitial(Document document, Staging staging, List<OutboxEvent> events) {
        if (staging.inline()) {
            document.put(INSERTED_BY, staging.insertedBy());
            return;
        }
        document.put(FIELD, events.stream().map(OutboxEvent::toBson).toList());
        if (stagingList) {
            document.put(STAGINGS, List.of(staging.number()));
        } else {
            document.put(STAGED, staging.number());
        }
    }

    /**
     * Says the staged write was refused for good (a duplicate key, a stale revision): it will never land. Only for
     * refusals; after an error that leaves the outcome unknown (a timeout), say nothing and the relay waits out
     * {@link OutboxRelay#UNSETTLED_GRACE}.
     */
    public void abandon(Staging staging) {
        // Counted as well: while the document is missing, a staging still in flight may be its insert, so the entry is
        // settled only once every staging was refused, not by the highest number refused (docs/architecture.md).
        pending.updateOne(Filters.eq("_id", staging.pendingId()),
                Updates.combine(Updates.max("abandoned", staging.number()), Updates.inc(REFUSED, 1L)));
    }

    private void staged(String pendingId, Lane lane) {
        stagedListeners.forEach(l -> l.accept(pendingId, lane));
    }

    /** Tells the relay that events were just written, so it need not wait for its next poll. */
    public void written() {
        written(Lane.INTERACTIVE);
    }

    /**
     * As {@link #written()}, saying in which lane the events wait: the relay ignores bulk writes while the pacing holds
     * the bulk lane back (its next poll looks again).
     */
    public void written(Lane lane) {
        listeners.forEach(l -> l.accept(lane));
    }

    /** The relay shard of a key: Kafka's own partitioning hash, so a shard is what a partition would be. */
    public static int shardOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % SHARDS;
    }

    /** Runs {@code hook} for every event of {@code collection} Kafka acknowledged, before they are removed. */
    public void hook(MongoCollection<Document> collection, OutboxHook hook) {
        hooks.put(collection.getNamespace().getCollectionName(), hook);
    }

    OutboxHook hookOf(String collection) {
        return hooks.get(collection);
    }

    static String pendingId(String collection, Object documentId) {
        return collection + "/" + documentId;
    }

    MongoCollection<Document> pending() {
        return pending;
    }

    void onWritten(java.util.function.Consumer<Lane> listener) {
        listeners.add(listener);
    }

    /** Tells {@code listener} the id of every entry staged here, and its lane, once the staging is stored. */
    void onStaged(java.util.function.BiConsumer<String, Lane> listener) {
        stagedListeners.add(listener);
    }
}
