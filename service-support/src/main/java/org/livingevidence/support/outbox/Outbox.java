package org.livingevidence.support.outbox;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.utils.Utils;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import org.bson.Document;
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
 * upsert into the small {@value #PENDING} collection naming it, with a write counter. The relay reads only that
 * collection; it deletes an entry once the document's events are gone, and only if the counter did not move, so an
 * entry can never vanish while its document still owes events. A staged document whose write then failed owes nothing
 * and its entry is simply deleted. Any collection can hold pending events: staging names it, nothing else registers it.
 *
 * <p>Each entry carries its shard (the key's hash over {@link #SHARDS}, as Kafka partitions keys), and each relay
 * instance publishes only the shards it owns ({@link RelayShards}), so one key's events have one publisher.
 */
@Singleton
public class Outbox {

    /** The array field holding pending events in any document that owes events. */
    public static final String FIELD = "outbox";
    /** Documents that owe events: {@code _id} {@code <collection>/<document id>}, collection, docId, shard, n, since. */
    public static final String PENDING = "outbox_pending";
    /** Relay shards: as many as the public topics have partitions. */
    public static final int SHARDS = 6;

    private final String source;
    private final Clock clock;
    private final MongoCollection<Document> pending;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final java.util.Map<String, OutboxHook> hooks = new java.util.concurrent.ConcurrentHashMap<>();

    public Outbox(@Value("${micronaut.application.name}") String serviceName, Clock clock, MongoDatabase database, MongoIndexes indexes) {
        this.source = "/" + serviceName;
        this.clock = clock;
        this.pending = database.getCollection(PENDING);
        indexes.ensure(pending, List.of(new IndexModel(Indexes.ascending("shard", "since"), new IndexOptions().name("shard_since"))));
    }

    /** A document that is about to owe events: where it is and the Kafka key of its events. */
    public record Staged(String collection, Object documentId, String key) {
    }

    /** Builds an event for {@code payload}, validated against its contract, with {@code key} as record key and subject. */
    public OutboxEvent event(Record payload, String key) {
        EventType type = EventType.of(payload.getClass());
        return new OutboxEvent(UUID.randomUUID().toString(), type.ceType(), source, type.topic(), key,
                clock.instant(), EventSchemas.toValidatedJson(payload));
    }

    /** Call before writing events into {@code documentId} of {@code collection}. */
    public void stage(MongoCollection<Document> collection, Object documentId, String key) {
        stageAll(List.of(new Staged(collection.getNamespace().getCollectionName(), documentId, key)));
    }

    /** Stages several documents in one round trip. */
    public void stageAll(Collection<Staged> documents) {
        if (documents.isEmpty()) {
            return;
        }
        long now = clock.millis();
        List<UpdateOneModel<Document>> upserts = documents.stream().map(d -> new UpdateOneModel<Document>(
                Filters.eq("_id", pendingId(d.collection(), d.documentId())),
                Updates.combine(Updates.inc("n", 1), Updates.setOnInsert("collection", d.collection()),
                        Updates.setOnInsert("docId", d.documentId()), Updates.setOnInsert("shard", shardOf(d.key())),
                        Updates.setOnInsert("since", now)),
                new UpdateOptions().upsert(true))).toList();
        pending.bulkWrite(upserts);
    }

    /** The update clause that adds {@code events} to a document's outbox, in order. */
    public Bson append(List<OutboxEvent> events) {
        return Updates.pushEach(FIELD, events.stream().map(OutboxEvent::toBson).toList());
    }

    /** The BSON array to store in a new document's outbox. */
    public List<Document> initial(List<OutboxEvent> events) {
        return events.stream().map(OutboxEvent::toBson).toList();
    }

    /** Tells the relay that events were just written, so it need not wait for its next poll. */
    public void written() {
        listeners.forEach(Runnable::run);
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

    void onWritten(Runnable listener) {
        listeners.add(listener);
    }
}
