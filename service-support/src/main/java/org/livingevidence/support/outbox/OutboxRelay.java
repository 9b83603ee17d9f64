package org.livingevidence.support.outbox;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventSerializer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.livingevidence.contracts.Topics;
import org.livingevidence.support.events.CloudEventPublishing;
import org.livingevidence.support.work.PollingWorker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.livingevidence.support.mongo.CreateOnce;
import org.livingevidence.support.mongo.ExactFilter;

/**
 * Publishes pending outbox events to Kafka and then removes them from their documents.
 *
 * <p>A pass reads the {@value Outbox#PENDING} entries of the shards this instance owns ({@link RelayShards}), the
 * interactive lane's oldest first, then the bulk lane's as far as {@link BulkPacing} allows, fetches their documents by id, sends every event in document order through one idempotent producer
 * ({@code acks=all}), waits for the acknowledgements, and removes what was acknowledged with one bulk write. One key's
 * events live in documents of one shard, and a shard has one publisher, so they are never reordered across
 * instances. The relay wakes when a write on this instance staged events, and otherwise polls; while the pacing holds
 * the bulk lane back, only interactive writes wake it (a bulk write waits for the next poll).
 *
 * <p>Failures are isolated: an event Kafka can never take (too large, say) is <em>parked</em> with its error in
 * {@value #PARKED}, listed for operators and counted, and the document's later events go on; a failure that may pass
 * (the broker away) stops the document's remaining events for this pass, keeping their order, and the relay retries
 * with a growing pause. Delivery is at least once: a crash, or a shard moving, between the acknowledgement and the
 * removal publishes those events again, and every consumer is idempotent.
 */
public final class OutboxRelay implements AutoCloseable {

    /** Events Kafka refused for good, with why: {@code _id} the event id. */
    public static final String PARKED = "outbox_parked";
    /**
     * How long a staging may stay unsettled (its write neither seen nor refused, say the writer died or timed out)
     * before the relay stops waiting for it. Far longer than any write takes.
     */
    public static final Duration UNSETTLED_GRACE = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

    private final Outbox outbox;
    private final MongoDatabase database;
    private final Supplier<Boolean> topicsReady;
    private final Producer<String, CloudEvent> producer;
    private final RelayShards shards;
    private final int batchDocuments;
    private final Clock clock;
    private final PollingWorker worker;
    private final OutboxMetrics metrics;
    private final BulkPacing pacing;
    /** Whether the last pass left bulk entries waiting because of the pacing (read by the worker and by writers). */
    private volatile boolean heldBack;

    OutboxRelay(Outbox outbox, MongoDatabase database, Supplier<Boolean> topicsReady, Producer<String, CloudEvent> producer,
                RelayShards shards, Duration pollInterval, int batchDocuments, Clock clock, OutboxMetrics metrics) {
        this(outbox, database, topicsReady, producer, shards, pollInterval, batchDocuments, clock, metrics, BulkPacing.UNPACED);
    }

    OutboxRelay(Outbox outbox, MongoDatabase database, Supplier<Boolean> topicsReady, Producer<String, CloudEvent> producer,
                RelayShards shards, Duration pollInterval, int batchDocuments, Clock clock, OutboxMetrics metrics,
                BulkPacing pacing) {
        this.outbox = outbox;
        this.database = database;
        this.topicsReady = topicsReady;
        this.producer = producer;
        this.shards = shards;
        this.batchDocuments = batchDocuments;
        this.clock = clock;
        this.metrics = metrics;
        this.pacing = pacing;
        // A pass the pacing held back ends the run of passes: the next one comes with the poll (or an interactive
        // write), by when the consumers have had time to take some of the lag. Passing again at once, and on every
        // write of the import, found the same lag, and each pass reads and sorts the whole waiting import.
        this.worker = new PollingWorker("outbox-relay", pollInterval, () -> publishPending() > 0 && !heldBack);
        outbox.onWritten(lane -> {
            if (lane == Outbox.Lane.INTERACTIVE || !heldBack) {
                worker.wake();
            }
        });
    }

    /** The producer settings every relay uses: ordered, acknowledged by all replicas, and large enough for estimates. */
    static KafkaProducer<String, CloudEvent> producer(Map<String, Object> clientConfig) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.POOLED_ESTIMATE_MAX_BYTES);
        return new KafkaProducer<>(config, new StringSerializer(), new CloudEventSerializer());
    }

    public void start() {
        worker.start();
    }

    /** A document's pending entry and what it holds now (compared by identity: documents can be megabytes). */
    private static final class Entry {
        private final Document pending;
        private final List<OutboxEvent> events;
        private final boolean writesSettled;

        Entry(Document pending, List<OutboxEvent> events, boolean writesSettled) {
            this.pending = pending;
            this.events = events;
            this.writesSettled = writesSettled;
        }

        Document pending() {
            return pending;
        }

        List<OutboxEvent> events() {
            return events;
        }
    }

    private record Sent(Entry entry, OutboxEvent event, Future<?> ack) {
    }

    /** Whether the last pass left bulk entries waiting because the pacing held them back. */
    boolean heldBack() {
        return heldBack;
    }

    /** Publishes one batch of the owned shards; returns how many events went out. */
    int publishPending() throws Exception {
        if (!topicsReady.get()) {
            throw new IllegalStateException("the topics cannot be created yet");
        }
        Set<Integer> owned = shards.owned();
        if (owned.isEmpty()) {
            return 0;
        }
        List<Document> pending = pendingInLaneOrder(owned);
        if (pending.isEmpty()) {
            return 0;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("relaying {} documents of shards {}: {}", pending.size(), owned,
                    pending.stream().limit(5).map(p -> p.getString("_id") + "@" + p.get("shard")).toList());
        }
        List<Entry> entries = load(pending);
        List<Sent> sent = new ArrayList<>();
        for (Entry entry : entries) {
            for (OutboxEvent event : entry.events()) {
                sent.add(new Sent(entry, event, send(event)));
            }
        }
        Map<Entry, Outcome> outcomes = new java.util.IdentityHashMap<>();
        entries.forEach(e -> outcomes.put(e, new Outcome()));
        Exception stall = null;
        for (Sent s : sent) {
            Outcome outcome = outcomes.get(s.entry());
            if (outcome.stopped) {
                continue;
            }
            try {
                s.ack().get();
                outcome.acknowledged.add(s.event());
            } catch (ExecutionException e) {
                if (neverPublishable(e.getCause())) {
                    outcome.parked.put(s.event(), e.getCause().toString());
                } else {
                    // Keep this event and the document's later ones, in order, for the next pass.
                    outcome.stopped = true;
                    stall = e;
                }
            }
        }
        int published = settle(outcomes);
        metrics.published(published);
        if (stall != null) {
            throw new IllegalStateException("Kafka did not acknowledge every event; the rest waits for the next pass", stall);
        }
        return published;
    }

    /**
     * The next entries to publish: interactive ones oldest first, then bulk ones oldest first as far as the pacing
     * allows (entries from before lanes existed have no lane and count as interactive). The pacing is asked only when
     * bulk entries are waiting.
     * <p>
     * Each lane is read by a query of its own, and the bulk lane only when the pacing lets some of it go: the embedded
     * MongoDB server sorts every matching entry on each query (it uses no index for a sort), and a waiting import is
     * thousands of bulk entries, sorted on every pass while the pacing held them all back.
     */
    private List<Document> pendingInLaneOrder(Set<Integer> owned) {
        Bson mine = Filters.in("shard", owned);
        // false or absent (an entry from before lanes), not $ne: two exact values keep the shard_bulk_since index's
        // order on real MongoDB, where $ne would be a range and the sort done in memory.
        List<Document> found = outbox.pending().find(Filters.and(mine, Filters.in(Outbox.BULK_FIELD, false, null)))
                .sort(Sorts.ascending("since")).limit(batchDocuments).into(new ArrayList<>());
        int room = batchDocuments - found.size();
        Bson bulk = Filters.and(mine, Filters.eq(Outbox.BULK_FIELD, true));
        if (room == 0 || outbox.pending().find(bulk).projection(Projections.include("_id")).first() == null) {
            heldBack = false;
            return found;
        }
        int allowance = pacing.allowance();
        if (allowance <= 0) {
            heldBack = true;
            return found;
        }
        // One more than allowed, if room, tells whether the pacing leaves some waiting.
        int wanted = allowance < room ? allowance + 1 : room;
        List<Document> bulkFound = outbox.pending().find(bulk).sort(Sorts.ascending("since")).limit(wanted).into(new ArrayList<>());
        // Set once per pass, after the pacing answered: a bulk write meanwhile must not wake a relay being held back.
        heldBack = bulkFound.size() > allowance;
        found.addAll(heldBack ? bulkFound.subList(0, allowance) : bulkFound);
        return found;
    }

    /** What became of one document's events in a pass. */
    private static final class Outcome {
        final List<OutboxEvent> acknowledged = new ArrayList<>();
        final Map<OutboxEvent, String> parked = new LinkedHashMap<>();
        boolean stopped;
    }

    private Future<?> send(OutboxEvent event) {
        try {
            return producer.send(new ProducerRecord<>(event.topic(), event.key(), CloudEventPublishing.toCloudEvent(event)));
        } catch (RuntimeException e) {
            // send() throws at once for what it can judge locally (a record too large, a serialization fault).
            java.util.concurrent.CompletableFuture<Object> failed = new java.util.concurrent.CompletableFuture<>();
            failed.completeExceptionally(e);
            return failed;
        }
    }

    private List<Entry> load(List<Document> pending) {
        Map<String, List<Document>> byCollection = new LinkedHashMap<>();
        pending.forEach(p -> byCollection.computeIfAbsent(p.getString("collection"), c -> new ArrayList<>()).add(p));
        Map<String, Document> documents = new HashMap<>();
        byCollection.forEach((collection, entries) -> database.getCollection(collection)
                .find(Filters.in("_id", entries.stream().map(e -> e.get("docId")).toList()))
                .projection(Projections.include(Outbox.FIELD, Outbox.STAGED))
                .forEach(d -> documents.put(Outbox.pendingId(collection, d.get("_id")), d)));
        List<Entry> entries = new ArrayList<>();
        for (Document p : pending) {
            Document document = documents.get(p.getString("_id"));
            List<OutboxEvent> events = document == null ? List.of()
                    : document.getList(Outbox.FIELD, Document.class, List.of()).stream().map(OutboxEvent::fromBson).toList();
            entries.add(new Entry(p, events, writesSettled(p, document)));
        }
        return entries;
    }

    /** Whether every write staged so far for the entry has landed or been refused, so nothing more can arrive. */
    private boolean writesSettled(Document pending, Document document) {
        long staged = number(pending, "n", 0);
        long landed = document == null ? 0 : number(document, Outbox.STAGED, 0);
        long abandoned = number(pending, "abandoned", 0);
        if (Math.max(landed, abandoned) >= staged) {
            return true;
        }
        long touched = number(pending, "touched", number(pending, "since", 0));
        return clock.millis() - touched > UNSETTLED_GRACE.toMillis();
    }

    private static long number(Document document, String field, long absent) {
        Number value = document.get(field, Number.class);
        return value == null ? absent : value.longValue();
    }

    /** Removes what went out, parks what never can, and retires the entries of documents that owe nothing more. */
    private int settle(Map<Entry, Outcome> outcomes) {
        Map<String, List<WriteModel<Document>>> removals = new LinkedHashMap<>();
        Map<String, List<OutboxEvent>> acknowledgedByCollection = new LinkedHashMap<>();
        List<Document> parked = new ArrayList<>();
        List<WriteModel<Document>> retired = new ArrayList<>();
        int published = 0;
        for (var e : outcomes.entrySet()) {
            Entry entry = e.getKey();
            Outcome outcome = e.getValue();
            String collection = entry.pending().getString("collection");
            List<String> gone = new ArrayList<>();
            outcome.acknowledged.forEach(ev -> gone.add(ev.eventId()));
            outcome.parked.keySet().forEach(ev -> gone.add(ev.eventId()));
            published += outcome.acknowledged.size();
            acknowledgedByCollection.computeIfAbsent(collection, c -> new ArrayList<>()).addAll(outcome.acknowledged);
            outcome.parked.forEach((event, error) -> {
                LOG.error("event {} ({}, key {}) can never be published and is parked: {}", event.eventId(), event.ceType(), event.key(), error);
                parked.add(new Document("_id", event.eventId()).append("collection", collection)
                        .append("docId", entry.pending().get("docId")).append("event", event.toBson())
                        .append("error", error).append("parkedAtMillis", clock.millis()));
            });
            boolean retire = !outcome.stopped && gone.size() == entry.events().size() && entry.writesSettled;
            if (!gone.isEmpty() || retire) {
                Bson pull = Updates.pullByFilter(new Document(Outbox.FIELD, new Document("eventId", new Document("$in", gone))));
                // The document's staging number goes with its entry (a later entry numbers its stagings from 1 again).
                // A write staged after this pass read the entry keeps the entry alive (its number moved); if that write
                // landed before this update, the entry waits for the document's next write, or the grace.
                removals.computeIfAbsent(collection, c -> new ArrayList<>()).add(new UpdateOneModel<>(
                        Filters.eq("_id", entry.pending().get("docId")), retire ? Updates.combine(pull, Updates.unset(Outbox.STAGED)) : pull));
            }
            if (retire) {
                // Only if no write staged the document again since it was read: then its newer events are not lost.
                retired.add(new DeleteOneModel<>(ExactFilter.idAnd(entry.pending().get("_id"), "n", entry.pending().get("n"))));
            }
        }
        acknowledgedByCollection.forEach((collection, events) -> {
            OutboxHook hook = outbox.hookOf(collection);
            if (hook != null && !events.isEmpty()) {
                hook.published(events);
            }
        });
        if (!parked.isEmpty()) {
            CreateOnce.insertAll(database.getCollection(PARKED), parked);
            metrics.parked(parked.size());
        }
        removals.forEach((collection, updates) -> database.getCollection(collection).bulkWrite(updates));
        if (!retired.isEmpty()) {
            outbox.pending().bulkWrite(retired);
        }
        return published;
    }

    /** Failures no retry can cure: the event as it is will never be accepted. */
    static boolean neverPublishable(Throwable failure) {
        return failure instanceof RecordTooLargeException || failure instanceof RecordBatchTooLargeException
                || failure instanceof SerializationException || failure instanceof InvalidTopicException;
    }

    @Override
    public void close() {
        worker.close();
        shards.close();
        pacing.close();
        producer.close(Duration.ofSeconds(5));
    }
}
