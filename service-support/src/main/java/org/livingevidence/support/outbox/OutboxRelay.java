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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
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
 * <p>A pass reads the {@value Outbox#PENDING} entries of the shards this instance owns ({@link RelayShards}) lane by
 * lane, oldest first: the interactive lane's, which it publishes at once, then the bulk lane's as far as
 * {@link BulkPacing} allows. To publish, it fetches the entries' documents by id, sends every event in document order
 * through one idempotent producer ({@code acks=all}), waits for the acknowledgements, and removes what was acknowledged
 * with a bulk write. Bulk documents go out {@value #BULK_STEP} at a time, each step sent while the one before is
 * acknowledged and removed. While a pass reads and sends the bulk lane, the interactive writes that arrive on this
 * instance go out at once beside it, in express runs on a thread of their own (a document the pass took for its steps
 * waits for the next pass), so a person's write waits neither for the pacing nor for a step of an import. One key's
 * events live in documents of one shard, and a shard has one publisher, so they are never reordered across instances.
 * The relay wakes when a write on this instance staged events, and otherwise polls; while the pacing holds the bulk
 * lane back, only interactive writes wake it (a bulk write waits for the next poll).
 *
 * <p>A relay that owns every shard reads, most of the time, not the lanes but the entries staged through this
 * instance's {@link Outbox} since (by id, {@link StagedEntries}): the embedded MongoDB server uses no index for the
 * lane queries and scanned the whole waiting import on every pass. An entry a pass reads and does not retire is read
 * again by the next. It still scans the lanes on its first pass, every {@code rescanInterval} (1 s), after ids were
 * dropped, after a pass that failed or found it owning no shard, and pass after pass while scans find entries it was
 * not told of (a backlog from before a restart), so an
 * entry staged elsewhere waits at most that long. A relay that owns only some shards scans on every pass: another
 * instance stages entries of its shards.
 *
 * <p>Failures are isolated: an event Kafka can never take (too large, say) is <em>parked</em> with its error in
 * {@value #PARKED}, listed for operators and counted, and the document's later events go on; a failure that may pass
 * (the broker away) stops the document's remaining events for this pass, keeping their order, and the relay retries
 * with a growing pause; in the bulk lane it also leaves the pass's steps not yet sent for the next pass. Delivery is
 * at least once: a crash, or a shard moving, between the acknowledgement and the removal publishes those events again,
 * and every consumer is idempotent.
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
    /** Bulk documents sent, acknowledged and settled at a time. */
    static final int BULK_STEP = 100;
    /** How often a relay that owns every shard scans the lanes for entries it was not told of (see {@link StagedEntries}). */
    public static final Duration RESCAN_INTERVAL = Duration.ofSeconds(1);

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
    /** Whether an interactive write on this instance came since the interactive lane was last read. */
    private volatile boolean interactiveWritten;
    /** Whether the last pass that looked found bulk entries waiting (an import under way). */
    private volatile boolean bulkWaiting;
    private final StagedEntries staged = new StagedEntries();
    private final long rescanMillis;
    /** When this relay last scanned the lanes, and whether its next pass must (it did not own every shard). */
    private long lastScan;
    private boolean mustScan = true;
    /** Open while the pass under way reads and sends the bulk lane: interactive writes go out beside it. */
    private volatile ExpressWindow expressWindow;
    /** Held by an express run: a pass waits for the one under way before it ends. */
    private final ReentrantLock expressing = new ReentrantLock();
    private final AtomicBoolean expressQueued = new AtomicBoolean();
    private final AtomicLong expressRuns = new AtomicLong();
    private final ExecutorService express = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "outbox-relay-express");
        thread.setDaemon(true);
        return thread;
    });

    OutboxRelay(Outbox outbox, MongoDatabase database, Supplier<Boolean> topicsReady, Producer<String, CloudEvent> producer,
                RelayShards shards, Duration pollInterval, int batchDocuments, Clock clock, OutboxMetrics metrics) {
        this(outbox, database, topicsReady, producer, shards, pollInterval, batchDocuments, clock, metrics, BulkPacing.UNPACED);
    }

    OutboxRelay(Outbox outbox, MongoDatabase database, Supplier<Boolean> topicsReady, Producer<String, CloudEvent> producer,
                RelayShards shards, Duration pollInterval, int batchDocuments, Clock clock, OutboxMetrics metrics,
                BulkPacing pacing) {
        this(outbox, database, topicsReady, producer, shards, pollInterval, batchDocuments, clock, metrics, pacing, RESCAN_INTERVAL);
    }

    OutboxRelay(Outbox outbox, MongoDatabase database, Supplier<Boolean> topicsReady, Producer<String, CloudEvent> producer,
                RelayShards shards, Duration pollInterval, int batchDocuments, Clock clock, OutboxMetrics metrics,
                BulkPacing pacing, Duration rescanInterval) {
        this.rescanMillis = rescanInterval.toMillis();
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
        outbox.onStaged(staged::staged);
        outbox.onWritten(lane -> {
            if (lane == Outbox.Lane.INTERACTIVE) {
                // Set before the window is looked at: a pass opens it and then looks at this flag, so one of the two
                // queues the run.
                interactiveWritten = true;
                if (expressWindow != null) {
                    queueExpress();
                }
                // Only while an import waits: a person who writes before uploading one is not held up by it.
                if (bulkWaiting) {
                    pacing.personWrote();
                }
            }
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

    /**
     * A document's pending entry and what it owes now (compared by identity: documents can be megabytes): the events
     * of its creation kept in the entry, if its insert landed ({@link Outbox#stageNew}), then those in the document.
     */
    private static final class Entry {
        private final Document pending;
        private final List<OutboxEvent> events;
        private final Set<String> inline;
        private final boolean documentStaged;
        private final boolean writesSettled;

        Entry(Document pending, List<OutboxEvent> events, Set<String> inline, boolean documentStaged, boolean writesSettled) {
            this.pending = pending;
            this.events = events;
            this.inline = inline;
            this.documentStaged = documentStaged;
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

    /** How many express runs read the interactive lane so far. */
    long expressRuns() {
        return expressRuns.get();
    }

    /** Whether the last pass left bulk entries waiting because the pacing held them back. */
    boolean heldBack() {
        return heldBack;
    }

    /**
     * Publishes a pass of the owned shards (the two lanes, as described above); returns how many events went out. One
     * pass at a time: a pass keeps what it read until its end.
     */
    synchronized int publishPending() throws Exception {
        if (!topicsReady.get()) {
            throw new IllegalStateException("the topics cannot be created yet");
        }
        Set<Integer> owned = shards.owned();
        // Another instance may stage entries of the shards this one owns, so only a relay that owns every shard reads
        // by the ids staged here; it scans too at times, for entries from before its start or from elsewhere. One that
        // owns none has nothing to read for now, and shards that come later may hold what another owner left.
        boolean scan;
        long now = clock.millis();
        if (owned.size() < Outbox.SHARDS) {
            staged.clear();
            mustScan = true;
            if (owned.isEmpty()) {
                return 0;
            }
            scan = true;
        } else {
            // Asked on every pass, so that a drop is not remembered past the scan it causes.
            boolean dropped = staged.droppedSinceAsked();
            // A clock set back must not put off the next scan.
            scan = mustScan || dropped || now - lastScan >= rescanMillis || now < lastScan;
            if (scan) {
                mustScan = false;
                lastScan = now;
            }
        }
        Reads reads = new Reads();
        try {
            return publishPending(new Lanes(owned, scan, reads));
        } catch (Exception | Error e) {
            // Ids the pass took may not have been noted as read (a lookup failed): the next pass scans for them.
            mustScan = true;
            throw e;
        } finally {
            // A scan that found entries staged elsewhere (before a restart, say: a backlog) is followed by scans until
            // they find none, oldest first, rather than one scan a second.
            mustScan |= reads.unknown;
            reads.keepUnretired();
        }
    }

    /**
     * How a pass reads the lanes: the owned shards, whether it scans them or reads the entries staged here, and what
     * it read.
     */
    private record Lanes(Set<Integer> owned, boolean scan, Reads reads) {

        Bson mine() {
            return Filters.in("shard", owned);
        }
    }

    /** The entries one publisher (a pass, or an express run) read, with whether each waited in the bulk lane; those it retired. */
    private final class Reads {
        private final Map<Object, Boolean> read = new HashMap<>();
        private final Set<Object> retired = new HashSet<>();
        /** Whether it scanned an entry this relay had not been told of. */
        private boolean unknown;

        /** Notes entries read, to be read again by a later pass unless they are retired. */
        List<Document> read(List<Document> entries) {
            entries.forEach(e -> read.put(e.get("_id"), inBulkLane(e)));
            return entries;
        }

        /** As {@link #read}, for entries a scan found: notes whether one was not known to this relay. */
        List<Document> scanned(List<Document> entries) {
            entries.forEach(e -> unknown |= !read.containsKey(e.get("_id")) && !staged.knows(e.getString("_id")));
            return read(entries);
        }

        void retired(List<Object> ids) {
            retired.addAll(ids);
        }

        /** What was read and not retired is read again by a later read (an entry retired is gone); forgets both. */
        void keepUnretired() {
            read.forEach((id, bulk) -> {
                if (!retired.contains(id)) {
                    staged.keep((String) id, bulk);
                }
            });
            read.clear();
            retired.clear();
        }
    }

    /**
     * A pass's bulk part, and the express runs beside it: which entries each took (an entry goes to whichever takes
     * it first, for the rest of the pass), what the runs published, and the first failure of one.
     */
    private static final class ExpressWindow {
        private final Lanes lanes;
        private final Set<Object> takenForSteps = new HashSet<>();
        private final Set<Object> takenByExpress = new HashSet<>();
        private final AtomicInteger published = new AtomicInteger();
        private volatile boolean unknownRead;
        private volatile Throwable failure;

        ExpressWindow(Lanes lanes) {
            this.lanes = lanes;
        }

        /** The bulk entries the pass may send: those an express run has not taken. */
        synchronized List<Document> takeForSteps(List<Document> bulk) {
            List<Document> taken = new ArrayList<>(bulk);
            taken.removeIf(d -> takenByExpress.contains(d.get("_id")));
            taken.forEach(d -> takenForSteps.add(d.get("_id")));
            return taken;
        }

        /** The interactive entries an express run may publish: those the pass has not taken for its steps. */
        synchronized List<Document> takeForExpress(List<Document> arrived) {
            List<Document> taken = new ArrayList<>(arrived);
            taken.removeIf(d -> takenForSteps.contains(d.get("_id")));
            taken.forEach(d -> takenByExpress.add(d.get("_id")));
            return taken;
        }
    }

    private void queueExpress() {
        if (expressQueued.compareAndSet(false, true)) {
            try {
                express.execute(this::expressRun);
            } catch (RejectedExecutionException closed) {
                expressQueued.set(false);
            }
        }
    }

    /**
     * Publishes, while a pass reads and sends the bulk lane, the interactive writes that arrived on this instance: a
     * person's write waits for neither the pacing, the read, a step in flight nor its settling. One entry is published
     * by one of the two until the pass ends: the pass settles an entry from what it loaded, and publishing and retiring
     * it here could let that settling delete a newer entry of the same document, with events owed (and the other way
     * round). So an entry is taken, after it was read, by whichever takes it first; one the pass took waits for the
     * next pass, and one taken here is left out of the pass's steps. The pass waits for a run under way before it
     * ends, so the next one reads what this left.
     */
    private void expressRun() {
        expressQueued.set(false);
        ExpressWindow window = expressWindow;
        if (window == null) {
            return;
        }
        expressing.lock();
        // The pass's reading, with bookkeeping of its own.
        Lanes lanes = new Lanes(window.lanes.owned(), window.lanes.scan(), new Reads());
        try {
            if (expressWindow != window || window.failure != null) {
                return;
            }
            expressRuns.incrementAndGet();
            List<Document> read = interactiveEntries(lanes);
            List<Document> arrived = window.takeForExpress(read);
            if (!arrived.isEmpty()) {
                window.published.addAndGet(publish(arrived, lanes.reads()));
            }
            // Only a full read may have left more: an entry that cannot be retired yet (its write still in flight)
            // would otherwise be read again and again. A write during the run has queued the next one.
            if (read.size() >= batchDocuments) {
                queueExpress();
            }
        } catch (RuntimeException | Error e) {
            // The pass reports it, and stops sending steps unless only Kafka stalled.
            window.failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lanes.reads().keepUnretired();
            window.unknownRead |= lanes.reads().unknown;
            expressing.unlock();
        }
    }

    private int publishPending(Lanes lanes) throws InterruptedException {
        // Cleared before the lane is read: an interactive write after the read goes out in an express run, or the next pass.
        interactiveWritten = false;
        List<Document> interactive = interactiveEntries(lanes);
        // The interactive lane goes out before the bulk lane is even read: its read and the pacing's take time.
        KafkaStall stall = null;
        int published = 0;
        try {
            published += interactive.isEmpty() ? 0 : publish(interactive, lanes.reads());
        } catch (KafkaStall e) {
            // One partition away must not hold back the bulk lane of the others.
            stall = e;
        }
        // From here on, the interactive writes that arrive go out beside the bulk lane, through express runs, even
        // after a stall of the lane above (another partition may be there). What the pass read and did not retire,
        // settled by now, is theirs to read again (a write still landing, say).
        lanes.reads().keepUnretired();
        ExpressWindow window = new ExpressWindow(lanes);
        expressWindow = window;
        RuntimeException deferred = null;
        try {
            if (interactiveWritten) {
                queueExpress();
            }
            List<Document> bulk = window.takeForSteps(bulkEntries(lanes, batchDocuments - interactive.size()));
            if (!bulk.isEmpty()) {
                if (LOG.isDebugEnabled()) {
                    LOG.debug("relaying {} interactive and {} bulk documents of shards {}", interactive.size(), bulk.size(), lanes.owned());
                }
                published += sendInSteps(bulk, lanes.reads(), window);
            }
        } catch (KafkaStall e) {
            stall = suppressing(stall, e);
        } catch (RuntimeException e) {
            deferred = e;
        } finally {
            expressWindow = null;
            // An express run under way ends before the pass: the next pass reads the lanes again.
            expressing.lock();
            expressing.unlock();
            published += window.published.get();
            lanes.reads().unknown |= window.unknownRead;
        }
        if (window.failure instanceof Error error) {
            throw error;
        } else if (window.failure instanceof KafkaStall expressStall) {
            stall = suppressing(stall, expressStall);
        } else if (window.failure instanceof RuntimeException failure) {
            deferred = suppressing(deferred, failure);
        }
        if (deferred != null) {
            if (stall != null) {
                deferred.addSuppressed(stall);
            }
            throw deferred;
        }
        if (stall != null) {
            throw stall;
        }
        return published;
    }

    /**
     * Sends the bulk entries a step at a time, the next step sent while the one before is acknowledged and settled (the
     * slow part: an update of every document); returns how many events went out. After a failure of a step, of the
     * database or of an express run (unless only Kafka stalled for it), the steps not yet sent stay pending: more would
     * only add to the pass. Throws the first failure, a {@link KafkaStall} only once every step sent was settled.
     */
    private int sendInSteps(List<Document> bulk, Reads reads, ExpressWindow window) throws InterruptedException {
        List<Entry> entries = load(bulk);
        List<List<Entry>> steps = new ArrayList<>();
        for (int from = 0; from < entries.size(); from += BULK_STEP) {
            steps.add(entries.subList(from, Math.min(entries.size(), from + BULK_STEP)));
        }
        KafkaStall stall = null;
        RuntimeException deferred = null;
        int published = 0;
        List<Sent> inFlight = sendAll(steps.get(0));
        for (int i = 0; i < steps.size(); i++) {
            Throwable expressFailure = window.failure;
            boolean goOn = stall == null && deferred == null && (expressFailure == null || expressFailure instanceof KafkaStall);
            List<Sent> next = i + 1 < steps.size() && goOn ? sendAll(steps.get(i + 1)) : null;
            try {
                published += acknowledgeAndSettle(steps.get(i), inFlight, reads);
            } catch (KafkaStall e) {
                stall = suppressing(stall, e);
            } catch (RuntimeException e) {
                deferred = suppressing(deferred, e);
            }
            if (next == null) {
                break;
            }
            inFlight = next;
        }
        if (deferred != null) {
            if (stall != null) {
                deferred.addSuppressed(stall);
            }
            throw deferred;
        }
        if (stall != null) {
            throw stall;
        }
        return published;
    }

    /** The first failure, with any later one attached. */
    private static <E extends RuntimeException> E suppressing(E first, E later) {
        if (first == null) {
            return later;
        }
        first.addSuppressed(later);
        return first;
    }

    /** Publishes the events of these entries and settles them; returns how many events went out. */
    private int publish(List<Document> pending, Reads reads) throws InterruptedException {
        List<Entry> entries = load(pending);
        return acknowledgeAndSettle(entries, sendAll(entries), reads);
    }

    /** Sends every event of the entries, in order, without waiting. */
    private List<Sent> sendAll(List<Entry> entries) {
        List<Sent> sent = new ArrayList<>();
        for (Entry entry : entries) {
            for (OutboxEvent event : entry.events()) {
                sent.add(new Sent(entry, event, send(event, inBulkLane(entry.pending()) ? Outbox.Lane.BULK : Outbox.Lane.INTERACTIVE)));
            }
        }
        return sent;
    }

    /**
     * Waits for Kafka's answer to each of {@code sent} (the events of {@code entries}, in order), then settles the
     * entries; returns how many events went out, or throws {@link KafkaStall}, after settling, if Kafka did not
     * acknowledge them all.
     */
    private int acknowledgeAndSettle(List<Entry> entries, List<Sent> sent, Reads reads) throws InterruptedException {
        Map<Entry, Outcome> outcomes = new java.util.IdentityHashMap<>();
        entries.forEach(e -> outcomes.put(e, new Outcome()));
        Exception failure = null;
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
                    failure = e;
                }
            }
        }
        int published = settle(outcomes, reads);
        metrics.published(published);
        if (failure != null) {
            throw new KafkaStall(failure);
        }
        return published;
    }

    /** Kafka did not acknowledge every event of a publish or a step (the broker away, say); the rest waits for the next pass. */
    private static final class KafkaStall extends IllegalStateException {
        KafkaStall(Exception cause) {
            super("Kafka did not acknowledge every event; the rest waits for the next pass", cause);
        }
    }

    /**
     * The interactive entries of the owned shards, oldest first, at most a batch (entries from before lanes existed
     * have no lane and count as interactive).
     */
    private List<Document> interactiveEntries(Lanes lanes) {
        if (!lanes.scan()) {
            return readStaged(Outbox.Lane.INTERACTIVE, batchDocuments, lanes);
        }
        // false or absent (an entry from before lanes), not $ne: two exact values keep the shard_bulk_since index's
        // order on real MongoDB, where $ne would be a range and the sort done in memory.
        return lanes.reads().scanned(outbox.pending().find(Filters.and(lanes.mine(), Filters.in(Outbox.BULK_FIELD, false, null)))
                .sort(Sorts.ascending("since")).limit(batchDocuments).into(new ArrayList<>()));
    }

    /**
     * Up to {@code max} of the entries staged here in {@code lane}, oldest staging first, looked up by id: those
     * retired meanwhile are gone, and one found in the other lane is left for that lane's read.
     */
    private List<Document> readStaged(Outbox.Lane lane, int max, Lanes lanes) {
        List<String> ids = staged.take(lane, max);
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, Document> found = new HashMap<>();
        outbox.pending().find(Filters.in("_id", ids)).forEach(d -> found.put(d.getString("_id"), d));
        List<Document> entries = new ArrayList<>();
        for (String id : ids) {
            Document entry = found.get(id);
            if (entry == null || !lanes.owned().contains(entry.get("shard", Number.class).intValue())) {
                continue;
            }
            boolean bulk = inBulkLane(entry);
            if (bulk == (lane == Outbox.Lane.BULK)) {
                entries.add(entry);
            } else {
                staged.keep(id, bulk);
            }
        }
        return lanes.reads().read(entries);
    }

    private static boolean inBulkLane(Document entry) {
        return Boolean.TRUE.equals(entry.getBoolean(Outbox.BULK_FIELD));
    }

    /**
     * The bulk entries to publish in {@code room}, oldest first, as far as the pacing allows; sets {@link #heldBack}.
     * The pacing is asked, and the lane read, only when a one-document check finds bulk entries waiting: the embedded
     * MongoDB server sorts every matching entry on each query (it uses no index for a sort), and a waiting import is
     * thousands of bulk entries, sorted on every pass while the pacing held them all back.
     */
    private List<Document> bulkEntries(Lanes lanes, int room) {
        Bson bulk = Filters.and(lanes.mine(), Filters.eq(Outbox.BULK_FIELD, true));
        if (room == 0 || (lanes.scan() ? outbox.pending().find(bulk).projection(Projections.include("_id")).first() == null
                : staged.size(Outbox.Lane.BULK) == 0)) {
            heldBack = false;
            if (room > 0) {
                bulkWaiting = false;
            }
            return List.of();
        }
        bulkWaiting = true;
        int allowance = pacing.allowance();
        if (allowance <= 0) {
            heldBack = true;
            return List.of();
        }
        if (!lanes.scan()) {
            List<Document> bulkStaged = readStaged(Outbox.Lane.BULK, Math.min(allowance, room), lanes);
            heldBack = allowance < room && staged.size(Outbox.Lane.BULK) > 0;
            return bulkStaged;
        }
        // One more than allowed, if room, tells whether the pacing leaves some waiting.
        int wanted = allowance < room ? allowance + 1 : room;
        List<Document> bulkFound = outbox.pending().find(bulk).sort(Sorts.ascending("since")).limit(wanted).into(new ArrayList<>());
        // Set once per pass, after the pacing answered: a bulk write meanwhile must not wake a relay being held back.
        heldBack = bulkFound.size() > allowance;
        return lanes.reads().scanned(heldBack ? bulkFound.subList(0, allowance) : bulkFound);
    }

    /** What became of one document's events in a pass. */
    private static final class Outcome {
        final List<OutboxEvent> acknowledged = new ArrayList<>();
        final Map<OutboxEvent, String> parked = new LinkedHashMap<>();
        boolean stopped;
    }

    private Future<?> send(OutboxEvent event, Outbox.Lane lane) {
        try {
            return producer.send(new ProducerRecord<>(event.topic(), event.key(), CloudEventPublishing.toCloudEvent(event, lane)));
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
                .projection(Projections.include(Outbox.FIELD, Outbox.STAGINGS, Outbox.STAGED, Outbox.INSERTED_BY))
                .forEach(d -> documents.put(Outbox.pendingId(collection, d.get("_id")), d)));
        List<Entry> entries = new ArrayList<>();
        for (Document p : pending) {
            Document document = documents.get(p.getString("_id"));
            boolean inserted = insertLanded(p, document);
            List<OutboxEvent> events = new ArrayList<>();
            Set<String> inline = new HashSet<>();
            if (inserted) {
                p.getList(Outbox.INLINE, Document.class, List.of()).stream().map(OutboxEvent::fromBson).forEach(e -> {
                    events.add(e);
                    inline.add(e.eventId());
                });
            }
            if (document != null) {
                document.getList(Outbox.FIELD, Document.class, List.of()).stream().map(OutboxEvent::fromBson).forEach(events::add);
            }
            boolean documentStaged = document != null && (number(document, Outbox.STAGED, 0) > 0
                    || !document.getList(Outbox.STAGINGS, Object.class, List.of()).isEmpty());
            entries.add(new Entry(p, events, inline, documentStaged, writesSettled(p, document, inserted)));
        }
        return entries;
    }

    /** Whether the entry holds the events of a creation ({@link Outbox#stageNew}) whose insert landed: the document bears its mark. */
    private static boolean insertLanded(Document pending, Document document) {
        String mark = pending.getString(Outbox.INSERTED_BY);
        return mark != null && document != null && mark.equals(document.getString(Outbox.INSERTED_BY));
    }

    /**
     * Whether every write staged so far for the entry has landed or been refused, so nothing more can arrive. A
     * creation staged with its events in the entry is the entry's first staging, and its insert does not number the
     * document: the mark stands for number 1.
     */
    private boolean writesSettled(Document pending, Document document, boolean inserted) {
        long staged = number(pending, "n", 0);
        boolean landed = inserted && staged == 1 || document != null && landed(document, staged);
        long abandoned = number(pending, "abandoned", 0);
        // While the document is missing, any staging not refused may be its insert, still in flight: a later staging's
        // refusal (a second create of the id, a revision of what is not there yet) settles nothing. Once the document
        // is there, every writer's check makes an earlier staging still in flight fail.
        boolean settled = document == null ? number(pending, Outbox.REFUSED, 0) >= staged : landed || abandoned >= staged;
        if (settled) {
            return true;
        }
        long touched = number(pending, "touched", number(pending, "since", 0));
        return clock.millis() - touched > UNSETTLED_GRACE.toMillis();
    }

    /** The document's update when its entry retires: {@code pull} of the events that went, its staging numbers up to {@code number}. */
    private static Bson retiring(Bson pull, Object number) {
        return Updates.combine(pull, Updates.pullByFilter(new Document(Outbox.STAGINGS, new Document("$lte", number))),
                Updates.unset(Outbox.STAGED));
    }

    /**
     * Whether the document says the write of staging {@code number} landed: its list holds that number (not merely a
     * higher one, which a write that landed after an entry was retired, and so stranded, may have left behind), or, in
     * a document of an earlier version, its one number is as high.
     */
    private static boolean landed(Document document, long number) {
        return number(document, Outbox.STAGED, 0) >= number || document.getList(Outbox.STAGINGS, Object.class, List.of()).stream()
                .anyMatch(landed -> ((Number) landed).longValue() == number);
    }

    private static long number(Document document, String field, long absent) {
        Number value = document.get(field, Number.class);
        return value == null ? absent : value.longValue();
    }

    /** Removes what went out, parks what never can, and retires the entries of documents that owe nothing more. */
    private int settle(Map<Entry, Outcome> outcomes, Reads reads) {
        Map<String, List<WriteModel<Document>>> removals = new LinkedHashMap<>();
        Map<String, List<OutboxEvent>> acknowledgedByCollection = new LinkedHashMap<>();
        List<Document> parked = new ArrayList<>();
        List<WriteModel<Document>> retired = new ArrayList<>();
        List<Object> retiredIds = new ArrayList<>();
        List<WriteModel<Document>> inlineRemovals = new ArrayList<>();
        List<WriteModel<Document>> inlineRemovalsFirst = new ArrayList<>();
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
            List<String> goneFromEntry = gone.stream().filter(entry.inline::contains).toList();
            List<String> goneFromDocument = gone.stream().filter(id -> !entry.inline.contains(id)).toList();
            // The document is written only if it held events that went, or a staging number that must go with its entry
            // (a later entry numbers its stagings from 1 again): those up to the entry's as read. A write staged after
            // this pass read the entry keeps the entry alive (its number moved) and its number in the document, landed
            // before or after this update. A creation whose events waited in its entry needs neither.
            boolean documentWritten = !goneFromDocument.isEmpty() || (retire && entry.documentStaged);
            if (!goneFromEntry.isEmpty()) {
                // An entry kept (staged again, or events left for the next pass) must not hold these events a second
                // time. Before the document's write when there is one: a crash between the two then repeats the
                // document's newer events, never the creation's after them. Otherwise after the deletes, where it
                // matches nothing when the entry was retired.
                (documentWritten ? inlineRemovalsFirst : inlineRemovals).add(new UpdateOneModel<>(Filters.eq("_id", entry.pending().get("_id")),
                        Updates.pullByFilter(new Document(Outbox.INLINE, new Document("eventId", new Document("$in", goneFromEntry))))));
            }
            if (documentWritten) {
                Bson pull = Updates.pullByFilter(new Document(Outbox.FIELD, new Document("eventId", new Document("$in", goneFromDocument))));
                removals.computeIfAbsent(collection, c -> new ArrayList<>()).add(new UpdateOneModel<>(
                        Filters.eq("_id", entry.pending().get("docId")), retire ? retiring(pull, entry.pending().get("n")) : pull));
            }
            if (retire) {
                retiredIds.add(entry.pending().get("_id"));
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
        if (!inlineRemovalsFirst.isEmpty()) {
            outbox.pending().bulkWrite(inlineRemovalsFirst);
        }
        removals.forEach((collection, updates) -> database.getCollection(collection).bulkWrite(updates));
        // One ordered bulk write, the deletes first and together: the driver sends each run of one kind as a command.
        List<WriteModel<Document>> pendingWrites = new ArrayList<>(retired);
        pendingWrites.addAll(inlineRemovals);
        if (!pendingWrites.isEmpty() && outbox.pending().bulkWrite(pendingWrites).getDeletedCount() < retiredIds.size()) {
            // Some were staged again since the pass read them, so their entries stay, and a later pass reads them.
            Set<Object> stayed = new HashSet<>();
            outbox.pending().find(Filters.in("_id", retiredIds)).projection(Projections.include("_id")).forEach(d -> stayed.add(d.get("_id")));
            retiredIds.removeAll(stayed);
        }
        reads.retired(retiredIds);
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
        express.shutdownNow();
        shards.close();
        pacing.close();
        producer.close(Duration.ofSeconds(5));
    }
}
