package org.livingevidence.support.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.cloudevents.kafka.CloudEventSerializer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.livingevidence.contracts.Topics;
import org.livingevidence.contracts.events.DeadLetterRecorded;
import org.livingevidence.support.events.KafkaSettings;
import org.livingevidence.support.events.TopicProvisioner;
import org.livingevidence.support.mongo.MongoIndexes;
import org.livingevidence.testing.InfrastructureExtension;
import org.livingevidence.testing.TestInfrastructure;
import org.livingevidence.testing.TopicReader;

/**
 * The relay's policies on the real broker and MongoDB server: an event Kafka can never take is parked and holds up
 * nothing, a document's events keep their order, and a document staged again while its events went out keeps its
 * entry. Kafka refuses the large event for real: this relay's producer takes requests of at most 2 KiB. Here every
 * pass scans the lanes, as a relay that owns only some shards does; {@link OutboxRelayStagedIdsTest} runs the same
 * tests with passes that read only the entries staged through the outbox.
 */
@ExtendWith(InfrastructureExtension.class)
class OutboxRelayTest {

    private static final int MAX_REQUEST = 2048;

    private MongoClient client;
    MongoDatabase database;
    Outbox outbox;
    OutboxRelay relay;
    TestInfrastructure infrastructure;
    final java.util.concurrent.atomic.AtomicInteger bulkAllowance = new java.util.concurrent.atomic.AtomicInteger(Integer.MAX_VALUE);
    /** How often this relay asked the pacing: a pass that found bulk entries waiting asks it once. */
    private final java.util.concurrent.atomic.AtomicInteger allowanceAsked = new java.util.concurrent.atomic.AtomicInteger();

    /** How often the relay under test scans the lanes for entries it was not told of; zero: on every pass. */
    Duration rescanInterval() {
        return Duration.ZERO;
    }

    @BeforeEach
    void start(TestInfrastructure infrastructure) throws Exception {
        this.infrastructure = infrastructure;
        client = MongoClients.create(infrastructure.mongoUri());
        database = client.getDatabase(TestInfrastructure.uniqueName("relay"));
        outbox = new Outbox("relay-test", Clock.systemUTC(), database, new MongoIndexes());
        TopicProvisioner topics = new TopicProvisioner(new KafkaSettings(infrastructure.kafkaBootstrapServers(), (short) 1, Duration.ofSeconds(6), (short) 0));
        KafkaProducer<String, io.cloudevents.CloudEvent> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST), new StringSerializer(), new CloudEventSerializer());
        relay = new OutboxRelay(outbox, database, topics::ensureTopics, producer, RelayShards.all(), Duration.ofHours(1), 500,
                Clock.systemUTC(), new OutboxMetrics(new SimpleMeterRegistry(), outbox, Clock.systemUTC()), () -> {
                    int allowance = bulkAllowance.get();
                    allowanceAsked.incrementAndGet();
                    return allowance;
                }, rescanInterval());
        // A relay's first pass scans: with nothing pending yet, every later one reads as the interval says.
        assertThat(relay.publishPending()).isZero();
    }

    @AfterEach
    void stop() {
        relay.close();
        client.close();
    }

    /** A further relay of {@code of} on the test's broker and database; it polls once an hour, so the test drives it. */
    OutboxRelay relay(Outbox of, RelayShards shards, Clock clock, int batchDocuments, BulkPacing pacing, Duration rescanInterval) {
        TopicProvisioner topics = new TopicProvisioner(new KafkaSettings(infrastructure.kafkaBootstrapServers(), (short) 1, Duration.ofSeconds(6), (short) 0));
        return new OutboxRelay(of, database, topics::ensureTopics, OutboxRelay.producer(Map.of("bootstrap.servers", infrastructure.kafkaBootstrapServers())),
                shards, Duration.ofHours(1), batchDocuments, clock, new OutboxMetrics(new SimpleMeterRegistry(), of, clock), pacing, rescanInterval);
    }

    /**
     * {@code event} on a topic the broker does not have (it creates none by itself): it waits for metadata until the
     * producer gives up, as it would while its partition's leader is away.
     */
    static OutboxEvent onATopicTheBrokerLacks(OutboxEvent event) {
        return new OutboxEvent(event.eventId(), event.ceType(), event.source(), "evidence.no-such-topic.v1", event.key(),
                event.time(), event.data());
    }

    /** A relay of the test's outbox, unpaced, whose producer gives up on a topic's metadata after 1 s; the test drives it. */
    OutboxRelay impatientRelay() {
        TopicProvisioner topics = new TopicProvisioner(new KafkaSettings(infrastructure.kafkaBootstrapServers(), (short) 1, Duration.ofSeconds(6), (short) 0));
        KafkaProducer<String, io.cloudevents.CloudEvent> impatient = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000), new StringSerializer(), new CloudEventSerializer());
        return new OutboxRelay(outbox, database, topics::ensureTopics, impatient, RelayShards.all(), Duration.ofHours(1), 500,
                Clock.systemUTC(), new OutboxMetrics(new SimpleMeterRegistry(), outbox, Clock.systemUTC()), BulkPacing.UNPACED);
    }

    /** Stages a revision of a document and writes it, owing {@code event}; returns the staging. */
    Outbox.Staging revise(MongoCollection<Document> collection, Object id, OutboxEvent event) {
        Outbox.Staging revision = outbox.stage(collection, id, event.key());
        collection.updateOne(Filters.eq("_id", id), outbox.append(revision, List.of(event)));
        return revision;
    }

    /** A dead-letter event whose carried value makes it as large as wanted. */
    OutboxEvent event(String key, int valueLength) {
        return outbox.event(new DeadLetterRecorded(key, "s", "g", "t", 0, 0, null, Map.of(), DeadLetterRecorded.Encoding.UTF8,
                "v".repeat(valueLength), DeadLetterRecorded.Encoding.UTF8, false, DeadLetterRecorded.Reason.HANDLER_FAILED, "e", 1,
                null, Instant.now()), key);
    }

    /** One new document staged as {@link Outbox#stageNew} stages it. */
    private static Outbox.Staging stageNew(Outbox outbox, MongoCollection<Document> collection, String id, OutboxEvent event, Outbox.Lane lane) {
        return outbox.stageNew(List.of(new Outbox.NewDocument(collection, id, event.key(), List.of(event))), lane).get(0);
    }

    /** The staged write of a new document owing {@code event}. */
    private static void insertStaged(Outbox outbox, MongoCollection<Document> collection, String id, Outbox.Staging staging, OutboxEvent event) {
        Document document = new Document("_id", id);
        outbox.putInitial(document, staging, List.of(event));
        collection.insertOne(document);
    }

    void owe(MongoCollection<Document> collection, String id, List<OutboxEvent> events) {
        Document document = new Document("_id", id);
        outbox.putInitial(document, outbox.stage(collection, id, events.get(0).key()), events);
        collection.insertOne(document);
    }

    @Test
    void anEventKafkaCanNeverTakeIsParkedAndHoldsUpNothing() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        OutboxEvent first = event("k_00000000000000a1", 10);
        OutboxEvent huge = event("k_00000000000000a1", 3000);
        OutboxEvent third = event("k_00000000000000a1", 11);
        OutboxEvent other = event("k_00000000000000b2", 12);
        owe(things, "a", List.of(first, huge, third));
        owe(things, "b", List.of(other));

        assertThat(relay.publishPending()).isEqualTo(3);

        try (TopicReader reader = new TopicReader(infrastructure.kafkaBootstrapServers(), Topics.DEAD_LETTERS)) {
            List<TopicReader.ConsumedRecord> out = reader.await(3, r -> List.of(first.eventId(), third.eventId(), other.eventId())
                    .contains(r.headers().get("ce_id")), Duration.ofSeconds(30));
            assertThat(out).extracting(r -> r.headers().get("ce_id")).containsSubsequence(first.eventId(), third.eventId())
                    .contains(other.eventId()).doesNotContain(huge.eventId());
        }
        Document parked = database.getCollection(OutboxRelay.PARKED).find(Filters.eq("_id", huge.eventId())).first();
        assertThat(parked).isNotNull();
        assertThat(parked.getString("error")).contains("RecordTooLarge");
        assertThat(things.find(Filters.eq("_id", "a")).first().getList(Outbox.FIELD, Object.class)).isEmpty();
        assertThat(database.getCollection(Outbox.PENDING).countDocuments()).isZero();
        assertThat(relay.publishPending()).isZero();
    }

    @Test
    void aDocumentStagedAgainWhileItsEventsWentOutKeepsItsEntry() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        owe(things, "c", List.of(event("k_00000000000000c3", 5)));
        // A writer stages the document again (about to append) while the relay is between publishing and retiring.
        Outbox.Staging[] again = new Outbox.Staging[1];
        outbox.hook(things, events -> again[0] = outbox.stage(things, "c", "k_00000000000000c3"));

        assertThat(relay.publishPending()).isEqualTo(1);

        assertThat(database.getCollection(Outbox.PENDING).countDocuments(Filters.eq("docId", "c"))).isEqualTo(1);
        outbox.hook(things, events -> { });
        things.updateOne(Filters.eq("_id", "c"), outbox.append(again[0], List.of(event("k_00000000000000c3", 6))));
        assertThat(relay.publishPending()).isEqualTo(1);
        assertThat(database.getCollection(Outbox.PENDING).countDocuments()).isZero();
    }

    @Test
    void aDocumentRevisedWhileItsEventsWentOutIsRetiredByTheNextPassNotAfterTheGrace() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        owe(things, "r", List.of(event("k_00000000000000r1", 5)));
        OutboxEvent revision = event("k_00000000000000r1", 6);
        // A writer stages and writes the document (as analysis-service's next estimate of a question does) while the
        // relay is between publishing its events and retiring its entry.
        java.util.concurrent.atomic.AtomicBoolean revised = new java.util.concurrent.atomic.AtomicBoolean();
        outbox.hook(things, events -> {
            if (revised.compareAndSet(false, true)) {
                revise(things, "r", revision);
            }
        });

        assertThat(relay.publishPending()).isEqualTo(1);
        assertThat(things.find(Filters.eq("_id", "r")).first().getList(Outbox.STAGINGS, Number.class))
                .as("the revision's staging number, which the retiring pass must leave").extracting(Number::longValue).containsExactly(2L);

        assertThat(relay.publishPending()).isEqualTo(1);
        // Before: the first pass removed the revision's number with its own (one number per document, unset), and the
        // entry waited out the grace: ten minutes of an outbox backlog, its oldest age growing, nothing left to publish.
        assertThat(database.getCollection(Outbox.PENDING).countDocuments()).isZero();
        try (TopicReader reader = new TopicReader(infrastructure.kafkaBootstrapServers(), Topics.DEAD_LETTERS)) {
            assertThat(reader.await(1, r -> revision.eventId().equals(r.headers().get("ce_id")), Duration.ofSeconds(30))).hasSize(1);
        }
    }

    /**
     * Inserts {@code id} owing {@code created} through an outbox writing the one staging number of versions before the
     * list ({@code staging-list} off), and returns that outbox.
     */
    private Outbox createdInTheEarlierFormat(MongoCollection<Document> collection, String id, OutboxEvent created) {
        Outbox earlierFormat = new Outbox("relay-test", Clock.systemUTC(), database, new MongoIndexes(), true, false);
        Document document = new Document("_id", id);
        earlierFormat.putInitial(document, earlierFormat.stage(collection, id, created.key()), List.of(created));
        collection.insertOne(document);
        return earlierFormat;
    }

    /** What a relay of its own publishes: its first pass scans, where the test's relay may read only its outbox's stagings. */
    private int publishedByAScanningRelay() throws Exception {
        try (OutboxRelay scanning = relay(outbox, RelayShards.all(), Clock.systemUTC(), 500, BulkPacing.UNPACED, OutboxRelay.RESCAN_INTERVAL)) {
            return scanning.publishPending();
        }
    }

    @Test
    void withTheStagingListOffAWriteRecordsTheOneNumberEarlierRelaysReadAndThisRelaySettlesByIt() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        Outbox earlierFormat = createdInTheEarlierFormat(things, "o", event("k_00000000000000o1", 5));
        Outbox.Staging second = earlierFormat.stage(things, "o", "k_00000000000000o1");
        things.updateOne(Filters.eq("_id", "o"), earlierFormat.append(second, List.of(event("k_00000000000000o1", 6))));
        assertThat(things.find(Filters.eq("_id", "o")).first()).containsEntry(Outbox.STAGED, 2L).doesNotContainKey(Outbox.STAGINGS);

        assertThat(publishedByAScanningRelay()).isEqualTo(2);

        assertThat(database.getCollection(Outbox.PENDING).countDocuments()).isZero();
        assertThat(things.find(Filters.eq("_id", "o")).first()).doesNotContainKey(Outbox.STAGED);
    }

    @Test
    void aDocumentWrittenByAnEarlierVersionAndThenByThisOneIsSettledByTheLatestNumberAndLosesBoth() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        createdInTheEarlierFormat(things, "m", event("k_00000000000000m1", 5));
        revise(things, "m", event("k_00000000000000m1", 6));
        assertThat(things.find(Filters.eq("_id", "m")).first()).containsEntry(Outbox.STAGED, 1L).containsKey(Outbox.STAGINGS);

        assertThat(publishedByAScanningRelay()).isEqualTo(2);

        assertThat(database.getCollection(Outbox.PENDING).countDocuments()).isZero();
        Document settled = things.find(Filters.eq("_id", "m")).first();
        assertThat(settled).doesNotContainKey(Outbox.STAGED);
        assertThat(settled.getList(Outbox.STAGINGS, Object.class)).isEmpty();
    }

    @Test
    void aHigherNumberLeftInTheDocumentDoesNotSettleANewEntrysWriteStillInFlight() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        // A number no entry stands for: a write that landed after its entry was retired, say.
        things.insertOne(new Document("_id", "h").append(Outbox.STAGINGS, List.of(5L)));
        OutboxEvent late = event("k_00000000000000h1", 5);
        Outbox.Staging staging = outbox.stage(things, "h", late.key());
        assertThat(staging.number()).isEqualTo(1);

        assertThat(relay.publishPending()).isZero();
        // Before, the highest number stood for every staging up to it: the entry was retired, and the write below
        // left its event in the document with no entry to publish it.
        assertThat(pendingDocuments()).containsExactly("h");

        things.updateOne(Filters.eq("_id", "h"), outbox.append(staging, List.of(late)));
        assertThat(relay.publishPending()).isEqualTo(1);
        assertThat(pendingDocuments()).isEmpty();
    }

    @Test
    void anEntryStagedButNotYetWrittenWaitsForItsWrite() throws Exception {
        // The relay reads the entry between the staging and the write: the document owes nothing yet.
        MongoCollection<Document> things = database.getCollection("things");
        OutboxEvent late = event("k_00000000000000d4", 7);
        Outbox.Staging staging = outbox.stage(things, "d", late.key());

        assertThat(relay.publishPending()).isZero();
        assertThat(database.getCollection(Outbox.PENDING).countDocuments(Filters.eq("docId", "d"))).isEqualTo(1);

        insertStaged(outbox, things, "d", staging, late);
        assertThat(relay.publishPending()).isEqualTo(1);
        assertThat(database.getCollection(Outbox.PENDING).countDocuments()).isZero();
    }

    @Test
    void aDocumentStagedAgainAfterItsEntryWasRetiredWaitsForItsNewWrite() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        owe(things, "g", List.of(event("k_00000000000000g7", 4)));
        assertThat(relay.publishPending()).isEqualTo(1);
        assertThat(database.getCollection(Outbox.PENDING).countDocuments()).isZero();

        // A new entry numbers its stagings from 1 again; the document must not look as if that write had landed.
        Outbox.Staging again = outbox.stage(things, "g", "k_00000000000000g7");
        assertThat(relay.publishPending()).isZero();
        assertThat(database.getCollection(Outbox.PENDING).countDocuments(Filters.eq("docId", "g"))).isEqualTo(1);

        things.updateOne(Filters.eq("_id", "g"), outbox.append(again, List.of(event("k_00000000000000g7", 5))));
        assertThat(relay.publishPending()).isEqualTo(1);
        assertThat(database.getCollection(Outbox.PENDING).countDocuments()).isZero();
    }

    @Test
    void anEntryWhoseWriteWasRefusedIsRetired() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        outbox.abandon(outbox.stage(things, "never-written", "k_00000000000000e5"));

        assertThat(relay.publishPending()).isZero();

        assertThat(database.getCollection(Outbox.PENDING).countDocuments()).isZero();
    }

    @Test
    void anEntryWhoseWriteNeverSettledIsRetiredAfterTheGrace() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        outbox.stage(things, "writer-died", "k_00000000000000f6");
        assertThat(relay.publishPending()).isZero();
        assertThat(database.getCollection(Outbox.PENDING).countDocuments()).isEqualTo(1);

        Clock later = Clock.offset(Clock.systemUTC(), OutboxRelay.UNSETTLED_GRACE.plusMinutes(1));
        try (OutboxRelay afterGrace = relay(outbox, RelayShards.all(), later, 500, BulkPacing.UNPACED, OutboxRelay.RESCAN_INTERVAL)) {
            assertThat(afterGrace.publishPending()).isZero();
        }
        assertThat(database.getCollection(Outbox.PENDING).countDocuments()).isZero();
    }

    /** An import of 250 documents (bulk-0 to bulk-249) under {@code key}: three of the relay's steps. */
    void importOfThreeSteps(MongoCollection<Document> collection, String key) {
        oweInBulk(collection, java.util.stream.IntStream.range(0, 250).mapToObj(i -> "bulk-" + i).toList(), key);
    }

    /**
     * A person who, as each of the import's steps settles, writes a new document (curator-1, curator-2...) under
     * {@code personKey}, tells the relay, and keeps the settling waiting {@code pause}; returns how many were written.
     */
    java.util.concurrent.atomic.AtomicInteger aPersonWritingAtEachStep(MongoCollection<Document> collection, String importKey,
                                                                      String personKey, Duration pause) {
        java.util.concurrent.atomic.AtomicInteger written = new java.util.concurrent.atomic.AtomicInteger();
        outbox.hook(collection, published -> {
            if (published.get(0).key().equals(importKey)) {
                owe(collection, "curator-" + written.incrementAndGet(), List.of(event(personKey, 1)));
                outbox.written();
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        return written;
    }

    /** Documents owed by a bulk import, staged in one call as the import stages them. */
    void oweInBulk(MongoCollection<Document> collection, List<String> ids, String key) {
        List<Outbox.Staging> stagings = outbox.stageAll(ids.stream().map(id -> new Outbox.ToStage(collection, id, key)).toList(), Outbox.Lane.BULK);
        for (int i = 0; i < ids.size(); i++) {
            Document document = new Document("_id", ids.get(i));
            outbox.putInitial(document, stagings.get(i), List.of(event(key, i)));
            collection.insertOne(document);
        }
    }

    List<String> pendingDocuments() {
        return database.getCollection(Outbox.PENDING).find().map(d -> d.getString("docId")).into(new java.util.ArrayList<>());
    }

    @Test
    void whileThePacingHoldsTheImportBackOnlyAnInteractiveWriteWakesTheRelay() throws Exception {
        // This relay polls once an hour: whatever it publishes below, a wake made it.
        MongoCollection<Document> things = database.getCollection("things");
        bulkAllowance.set(0);
        oweInBulk(things, List.of("bulk-1"), "k_00000000000000p1");
        relay.start();
        // The worker's first pass (its first topic check can take a while) is held back.
        await().atMost(Duration.ofSeconds(30)).until(() -> allowanceAsked.get() >= 1);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(pendingDocuments()).containsExactly("bulk-1"));

        bulkAllowance.set(Integer.MAX_VALUE);
        oweInBulk(things, List.of("bulk-2"), "k_00000000000000p1");
        outbox.written(Outbox.Lane.BULK);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(pendingDocuments()).containsExactlyInAnyOrder("bulk-1", "bulk-2"));

        owe(things, "curator", List.of(event("k_00000000000000q2", 1)));
        outbox.written();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(pendingDocuments()).isEmpty());
    }

    @Test
    void aRelayPublishesOnlyTheShardsItOwns() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        String mine = "k_00000000000000h8";
        String theirs = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "k_other" + i)
                .filter(k -> Outbox.shardOf(k) != Outbox.shardOf(mine)).findFirst().orElseThrow();
        owe(things, "mine", List.of(event(mine, 0)));
        owe(things, "theirs", List.of(event(theirs, 1)));
        RelayShards onlyMine = new RelayShards() {
            @Override
            public java.util.Set<Integer> owned() {
                return java.util.Set.of(Outbox.shardOf(mine));
            }

            @Override
            public void close() {
            }
        };
        try (OutboxRelay partial = relay(outbox, onlyMine, Clock.systemUTC(), 500, bulkAllowance::get, OutboxRelay.RESCAN_INTERVAL)) {
            assertThat(partial.publishPending()).isEqualTo(1);
        }
        assertThat(pendingDocuments()).containsExactly("theirs");
        assertThat(relay.publishPending()).isEqualTo(1);
        assertThat(pendingDocuments()).isEmpty();
    }

    @Test
    void aCuratorsDocumentOvertakesAnEarlierImportAndTheImportGoesOutAsItsPacingAllows() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        oweInBulk(things, List.of("bulk-1", "bulk-2", "bulk-3"), "k_00000000000000h8");
        owe(things, "curator", List.of(event("k_00000000000000i9", 3)));
        bulkAllowance.set(0);

        assertThat(relay.publishPending()).isEqualTo(1);
        assertThat(pendingDocuments()).containsExactlyInAnyOrder("bulk-1", "bulk-2", "bulk-3");

        bulkAllowance.set(2);
        assertThat(relay.publishPending()).isEqualTo(2);
        assertThat(pendingDocuments()).containsExactly("bulk-3");
        assertThat(relay.heldBack()).as("one bulk entry left waiting by the pacing").isTrue();

        bulkAllowance.set(Integer.MAX_VALUE);
        assertThat(relay.publishPending()).isEqualTo(1);
        assertThat(pendingDocuments()).isEmpty();
        assertThat(relay.heldBack()).isFalse();
    }

    @Test
    void aPassThatTakesTheWholeAllowanceIsHeldBackOnlyIfMoreWaitsAndThePacingIsAskedOnlyWhenBulkWaits() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        owe(things, "curator", List.of(event("k_00000000000000r1", 1)));
        int asked = allowanceAsked.get();
        assertThat(relay.publishPending()).isEqualTo(1);
        assertThat(allowanceAsked.get()).as("no bulk entry waits: the pacing is not asked").isEqualTo(asked);

        oweInBulk(things, List.of("bulk-x", "bulk-y"), "k_00000000000000s2");
        bulkAllowance.set(2);
        assertThat(relay.publishPending()).isEqualTo(2);
        assertThat(pendingDocuments()).isEmpty();
        assertThat(relay.heldBack()).as("exactly the allowance waited: nothing is left").isFalse();
        assertThat(allowanceAsked.get()).isEqualTo(asked + 1);
    }

    @Test
    void aPersonsWriteTellsThePacingOnlyWhileAnImportWaits() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        java.util.concurrent.atomic.AtomicInteger told = new java.util.concurrent.atomic.AtomicInteger();
        BulkPacing holdingBack = new BulkPacing() {
            @Override
            public int allowance() {
                return 0;
            }

            @Override
            public void personWrote() {
                told.incrementAndGet();
            }
        };
        try (OutboxRelay paced = relay(outbox, RelayShards.all(), Clock.systemUTC(), 500, holdingBack, OutboxRelay.RESCAN_INTERVAL)) {
            owe(things, "before-the-import", List.of(event("k_00000000000000y1", 1)));
            outbox.written();
            assertThat(paced.publishPending()).isEqualTo(1);
            assertThat(told).as("no import waited").hasValue(0);

            oweInBulk(things, List.of("imported"), "k_00000000000000y2");
            assertThat(paced.publishPending()).isZero();
            owe(things, "during-the-import", List.of(event("k_00000000000000y3", 2)));
            outbox.written();
            assertThat(told).hasValue(1);
        }
    }

    @Test
    void aPassTakesTheInteractiveLaneFirstEvenWhenTheImportIsOlderAndFillsTheBatch() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        oweInBulk(things, List.of("bulk-a", "bulk-b", "bulk-c"), "k_00000000000000k2");
        owe(things, "curator-a", List.of(event("k_00000000000000l3", 1)));
        owe(things, "curator-b", List.of(event("k_00000000000000m4", 2)));
        try (OutboxRelay twoAPass = relay(outbox, RelayShards.all(), Clock.systemUTC(), 2, BulkPacing.UNPACED, OutboxRelay.RESCAN_INTERVAL)) {
            assertThat(twoAPass.publishPending()).isEqualTo(2);
            assertThat(pendingDocuments()).containsExactlyInAnyOrder("bulk-a", "bulk-b", "bulk-c");
        }
    }

    @Test
    void aPersonsWriteDuringAnImportsStepGoesOutBeforeTheStepSettlesUnlessItsDocumentAwaitsALaterStep() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        String importKey = "k_00000000000000t3";
        importOfThreeSteps(things, importKey);
        OutboxEvent curators = event("k_00000000000000v5", 2);
        OutboxEvent revisionOfImported = event(importKey, 3);
        // What each settling published, in order. The first step's settling waits (at most 10 s) for the person's new
        // document, written during it, to be published; a document of the import that a later step settles is revised
        // too (the entries share one age, so which documents a step holds is the server's choice).
        List<List<String>> settled = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch curatorsOut = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean aheadOfTheStep = new java.util.concurrent.atomic.AtomicBoolean();
        outbox.hook(things, published -> {
            List<String> ids = published.stream().map(OutboxEvent::eventId).toList();
            settled.add(ids);
            if (ids.contains(curators.eventId())) {
                curatorsOut.countDown();
            }
            if (settled.size() == 1) {
                Object later = things.find(Filters.nin("outbox.eventId", ids)).first().get("_id");
                owe(things, "curator", List.of(curators));
                Outbox.Staging again = outbox.stage(things, later, importKey);
                things.updateOne(Filters.eq("_id", later), outbox.append(again, List.of(revisionOfImported)));
                outbox.written();
                try {
                    aheadOfTheStep.set(curatorsOut.await(10, java.util.concurrent.TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });

        assertThat(relay.publishPending()).isEqualTo(250 + 1);
        assertThat(aheadOfTheStep).as("the person's document went out while the step it arrived in was settling").isTrue();
        assertThat(settled).extracting(List::size).containsExactly(OutboxRelay.BULK_STEP, 1, OutboxRelay.BULK_STEP, 50);
        assertThat(settled.get(1)).containsExactly(curators.eventId());
        assertThat(settled.stream().flatMap(List::stream)).doesNotContain(revisionOfImported.eventId());

        assertThat(relay.publishPending()).as("the revision of a document that was in the pass, in the next").isEqualTo(1);
        assertThat(settled.get(4)).containsExactly(revisionOfImported.eventId());
    }

    @Test
    void aPersonsWriteWhileThePassAsksThePacingGoesOutWithoutWaitingForIt() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        oweInBulk(things, List.of("bulk-1", "bulk-2"), "k_00000000000000q4");
        OutboxEvent curators = event("k_00000000000000q5", 1);
        java.util.concurrent.CountDownLatch curatorsOut = new java.util.concurrent.CountDownLatch(1);
        outbox.hook(things, published -> {
            if (published.stream().anyMatch(e -> e.eventId().equals(curators.eventId()))) {
                curatorsOut.countDown();
            }
        });
        // A pacing that answers only once the person's write, made while it is asked, went out (or after 10 s).
        java.util.concurrent.atomic.AtomicBoolean aheadOfThePacing = new java.util.concurrent.atomic.AtomicBoolean();
        BulkPacing slow = () -> {
            owe(things, "curator", List.of(curators));
            outbox.written();
            try {
                aheadOfThePacing.set(curatorsOut.await(10, java.util.concurrent.TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Integer.MAX_VALUE;
        };
        try (OutboxRelay paced = relay(outbox, RelayShards.all(), Clock.systemUTC(), 500, slow, OutboxRelay.RESCAN_INTERVAL)) {
            assertThat(paced.publishPending()).as("the import and the person's write, in one pass").isEqualTo(3);
            assertThat(aheadOfThePacing).as("the person's write went out while the pacing was asked").isTrue();
            assertThat(pendingDocuments()).isEmpty();
        }
    }

    @Test
    void aPersonWritingDuringEveryStepOfAnImportDoesNotStopTheImport() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        String importKey = "k_00000000000000w6";
        importOfThreeSteps(things, importKey);
        java.util.concurrent.atomic.AtomicInteger written = aPersonWritingAtEachStep(things, importKey, "k_00000000000000x7", Duration.ZERO);

        int published = relay.publishPending();
        List<String> left = pendingDocuments();
        assertThat(written).hasValue(3);
        assertThat(left).as("the whole import went out; a person's write the pass did not publish waits for the next")
                .allMatch(id -> id.startsWith("curator-"));
        assertThat(published).isEqualTo(250 + 3 - left.size());
        assertThat(relay.publishPending()).isEqualTo(left.size());
        assertThat(pendingDocuments()).isEmpty();
    }

    @Test
    void anInteractiveEntryThatCannotBeRetiredYetDoesNotKeepExpressRunsGoing() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        // A write staged and still in flight: its entry owes nothing yet and stays, read by every express run.
        outbox.stage(things, "in-flight", "k_00000000000000u1");
        String importKey = "k_00000000000000u2";
        importOfThreeSteps(things, importKey);
        // The pass stays open a while after each write, time for runs to follow one another if they did.
        java.util.concurrent.atomic.AtomicInteger written = aPersonWritingAtEachStep(things, importKey, "k_00000000000000u3",
                Duration.ofMillis(200));

        relay.publishPending();
        assertThat(written).hasValue(3);
        assertThat(relay.expressRuns()).as("a run for each write, not one after another while the entry waits").isLessThanOrEqualTo(2 * 3);
        assertThat(pendingDocuments()).contains("in-flight");
    }

    @Test
    void aPersonsWriteKafkaCannotTakeForNowDuringAnImportsStepsDoesNotHoldTheImportBack() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        importOfThreeSteps(things, "k_00000000000000s2");
        OutboxEvent stuck = onATopicTheBrokerLacks(event("k_00000000000000s3", 1));
        // During the first step's settling the person writes, and the settling waits longer than the producer's
        // max.block (1 s): the express run has failed by the time the pass decides whether to send the last step.
        java.util.concurrent.atomic.AtomicBoolean wrote = new java.util.concurrent.atomic.AtomicBoolean();
        outbox.hook(things, published -> {
            if (wrote.compareAndSet(false, true)) {
                owe(things, "curator", List.of(stuck));
                outbox.written();
                try {
                    Thread.sleep(2_500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        try (OutboxRelay relayOfImpatient = impatientRelay()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(relayOfImpatient::publishPending)
                    .as("the pass reports the stall, for the relay to back off").isInstanceOf(IllegalStateException.class);
            assertThat(wrote).isTrue();
            assertThat(pendingDocuments()).as("the import went out all the same").containsExactly("curator");
        }
    }

    @Test
    void anInteractiveEventKafkaCannotTakeForNowDoesNotHoldTheImportBack() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        OutboxEvent stuck = onATopicTheBrokerLacks(event("k_00000000000000y8", 1));
        owe(things, "curator", List.of(stuck));
        oweInBulk(things, List.of("bulk-1", "bulk-2"), "k_00000000000000z9");
        try (OutboxRelay relayOfImpatient = impatientRelay()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(relayOfImpatient::publishPending)
                    .as("the pass reports the stall, for the relay to back off").isInstanceOf(IllegalStateException.class);
            assertThat(pendingDocuments()).as("the import went out all the same").containsExactly("curator");
        }
    }

    @Test
    void anEntryFromBeforeLanesIsInteractive() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        owe(things, "old", List.of(event("k_00000000000000n5", 1)));
        database.getCollection(Outbox.PENDING).updateOne(Filters.eq("docId", "old"), com.mongodb.client.model.Updates.unset(Outbox.BULK_FIELD));
        oweInBulk(things, List.of("bulk-z"), "k_00000000000000o6");
        bulkAllowance.set(0);

        assertThat(relay.publishPending()).isEqualTo(1);
        assertThat(pendingDocuments()).containsExactly("bulk-z");
    }

    @Test
    void anImportedDocumentRevisedByACuratorMovesToTheInteractiveLane() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        oweInBulk(things, List.of("imported"), "k_00000000000000j1");
        revise(things, "imported", event("k_00000000000000j1", 9));
        bulkAllowance.set(0);

        // Both events of the document go out together, in order, with the curator's revision.
        assertThat(relay.publishPending()).isEqualTo(2);
        assertThat(pendingDocuments()).isEmpty();
    }

    @Test
    void aCuratorsPendingRevisionStaysInTheInteractiveLaneWhenAnImportStagesItsDocumentAgain() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        owe(things, "curated", List.of(event("k_00000000000000r3", 1)));
        // The same document staged by an import (a re-upload whose write will be refused as a duplicate).
        Outbox.Staging refused = outbox.stageAll(List.of(new Outbox.ToStage(things, "curated", "k_00000000000000r3")), Outbox.Lane.BULK).get(0);
        outbox.abandon(refused);
        bulkAllowance.set(0);

        assertThat(relay.publishPending()).isEqualTo(1);
        assertThat(pendingDocuments()).isEmpty();
    }

    /** Documents created as {@link Outbox#stageNew} stages them: the events in the entries, the inserts marking the documents. */
    private List<Outbox.Staging> create(MongoCollection<Document> collection, List<String> ids, List<OutboxEvent> events, Outbox.Lane lane) {
        List<Outbox.Staging> stagings = outbox.stageNew(java.util.stream.IntStream.range(0, ids.size())
                .mapToObj(i -> new Outbox.NewDocument(collection, ids.get(i), events.get(i).key(), List.of(events.get(i)))).toList(), lane);
        for (int i = 0; i < ids.size(); i++) {
            Document document = new Document("_id", ids.get(i)).append("value", i);
            outbox.putInitial(document, stagings.get(i), List.of(events.get(i)));
            collection.insertOne(document);
        }
        return stagings;
    }

    private List<String> publishedIds(int count, List<OutboxEvent> among) throws Exception {
        List<String> ids = among.stream().map(OutboxEvent::eventId).toList();
        try (TopicReader reader = new TopicReader(infrastructure.kafkaBootstrapServers(), Topics.DEAD_LETTERS)) {
            return reader.await(count, r -> ids.contains(r.headers().get("ce_id")), Duration.ofSeconds(30)).stream()
                    .map(r -> r.headers().get("ce_id")).toList();
        }
    }

    @Test
    void aCreationsEventsWaitInItsEntryAndGoOutWithoutAWriteToItsDocument() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        List<OutboxEvent> events = List.of(event("k_00000000000000n1", 1), event("k_00000000000000n2", 2));
        List<Outbox.Staging> stagings = create(things, List.of("n1", "n2"), events, Outbox.Lane.BULK);
        assertThat(stagings).allMatch(Outbox.Staging::inline);
        Document inserted = things.find(Filters.eq("_id", "n1")).first();
        assertThat(inserted).doesNotContainKeys(Outbox.FIELD, Outbox.STAGINGS).containsEntry(Outbox.INSERTED_BY, events.get(0).eventId());

        assertThat(relay.publishPending()).isEqualTo(2);

        assertThat(publishedIds(2, events)).containsExactlyInAnyOrder(events.get(0).eventId(), events.get(1).eventId());
        assertThat(pendingDocuments()).isEmpty();
        assertThat(things.find(Filters.eq("_id", "n1")).first()).isEqualTo(inserted);
        assertThat(relay.publishPending()).isZero();
    }

    @Test
    void aCreationWaitsForItsInsertAndOneRefusedPublishesNothing() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        things.insertOne(new Document("_id", "taken"));
        OutboxEvent refused = event("k_00000000000000t1", 1);
        OutboxEvent late = event("k_00000000000000t2", 2);
        List<Outbox.Staging> stagings = outbox.stageNew(List.of(new Outbox.NewDocument(things, "taken", refused.key(), List.of(refused)),
                new Outbox.NewDocument(things, "late", late.key(), List.of(late))), Outbox.Lane.INTERACTIVE);
        outbox.abandon(stagings.get(0));

        // "late" is staged but not inserted yet: its entry waits; "taken" was refused: its entry goes, its event never.
        assertThat(relay.publishPending()).isZero();
        assertThat(pendingDocuments()).containsExactly("late");

        insertStaged(outbox, things, "late", stagings.get(1), late);
        assertThat(relay.publishPending()).isEqualTo(1);
        assertThat(publishedIds(1, List.of(refused, late))).containsExactly(late.eventId());
        assertThat(pendingDocuments()).isEmpty();
    }

    @Test
    void aCreationRevisedBeforeTheRelayCameGoesOutFirstAndTheRevisionsNumberLeavesWithItsEntry() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        OutboxEvent created = event("k_00000000000000v1", 1);
        OutboxEvent revised = event("k_00000000000000v1", 2);
        create(things, List.of("v"), List.of(created), Outbox.Lane.BULK);
        Outbox.Staging revision = revise(things, "v", revised);
        assertThat(revision.inline()).isFalse();
        assertThat(revision.number()).isEqualTo(2);

        assertThat(relay.publishPending()).isEqualTo(2);

        assertThat(publishedIds(2, List.of(created, revised))).containsExactly(created.eventId(), revised.eventId());
        assertThat(pendingDocuments()).isEmpty();
        Document settled = things.find(Filters.eq("_id", "v")).first();
        assertThat(settled.getList(Outbox.STAGINGS, Object.class, List.of())).isEmpty();
        assertThat(settled.getList(Outbox.FIELD, Object.class)).isEmpty();
        // A new entry of the document numbers from 1 again, and the old mark does not stand for its write.
        Outbox.Staging again = outbox.stage(things, "v", created.key());
        assertThat(relay.publishPending()).isZero();
        assertThat(pendingDocuments()).containsExactly("v");
        things.updateOne(Filters.eq("_id", "v"), outbox.append(again, List.of(event("k_00000000000000v1", 3))));
        assertThat(relay.publishPending()).isEqualTo(1);
        assertThat(pendingDocuments()).isEmpty();
    }

    @Test
    void aCreationStagedAgainWhileItsEventsWentOutKeepsItsEntryWithoutThem() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        OutboxEvent created = event("k_00000000000000w1", 1);
        create(things, List.of("w"), List.of(created), Outbox.Lane.INTERACTIVE);
        Outbox.Staging[] again = new Outbox.Staging[1];
        outbox.hook(things, events -> again[0] = outbox.stage(things, "w", created.key()));

        assertThat(relay.publishPending()).isEqualTo(1);

        outbox.hook(things, events -> { });
        assertThat(pendingDocuments()).containsExactly("w");
        OutboxEvent revised = event("k_00000000000000w1", 2);
        things.updateOne(Filters.eq("_id", "w"), outbox.append(again[0], List.of(revised)));
        // Only the revision goes out now: the creation's event left the entry when it was published.
        assertThat(relay.publishPending()).isEqualTo(1);
        assertThat(pendingDocuments()).isEmpty();
    }

    @Test
    void aCreationOfADocumentWithAnEntryAlreadyKeepsItsEventsInTheDocument() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        // A create of "x" staged and never written (its writer died, say): its entry is still there.
        outbox.stage(things, "x", "k_00000000000000x1");
        OutboxEvent created = event("k_00000000000000x1", 1);
        Outbox.Staging staging = stageNew(outbox, things, "x", created, Outbox.Lane.BULK);
        assertThat(staging.inline()).isFalse();
        assertThat(staging.number()).isEqualTo(2);
        insertStaged(outbox, things, "x", staging, created);
        assertThat(things.find(Filters.eq("_id", "x")).first().getList(Outbox.FIELD, Document.class)).hasSize(1);

        assertThat(relay.publishPending()).isEqualTo(1);
        assertThat(pendingDocuments()).isEmpty();
    }

    @Test
    void aSecondCreateOfTheIdRefusedWhileTheFirstInsertIsInFlightSettlesNothing() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        OutboxEvent first = event("k_00000000000000y1", 1);
        Outbox.Staging inFlight = stageNew(outbox, things, "y", first, Outbox.Lane.INTERACTIVE);
        // A second create of the same id finds the entry, stages as before, and is refused (another unique value, say).
        OutboxEvent second = event("k_00000000000000y1", 2);
        Outbox.Staging refused = stageNew(outbox, things, "y", second, Outbox.Lane.INTERACTIVE);
        assertThat(refused.inline()).isFalse();
        outbox.abandon(refused);

        assertThat(relay.publishPending()).isZero();
        assertThat(pendingDocuments()).containsExactly("y");

        insertStaged(outbox, things, "y", inFlight, first);
        assertThat(relay.publishPending()).isEqualTo(1);
        assertThat(publishedIds(1, List.of(first))).containsExactly(first.eventId());
        assertThat(pendingDocuments()).isEmpty();
    }

    @Test
    void aCreationRefusedBeforeItsDocumentExistsIsRetiredWithItsEvents() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        OutboxEvent refused = event("k_00000000000000z1", 1);
        outbox.abandon(stageNew(outbox, things, "z", refused, Outbox.Lane.BULK));

        assertThat(relay.publishPending()).isZero();
        assertThat(pendingDocuments()).isEmpty();
    }

    @Test
    void withInlineCreationsOffACreationKeepsItsEventsInItsDocument() throws Exception {
        Outbox classic = new Outbox("relay-test", Clock.systemUTC(), database, new MongoIndexes(), false);
        MongoCollection<Document> things = database.getCollection("things");
        OutboxEvent created = event("k_00000000000000u1", 1);
        Outbox.Staging staging = stageNew(classic, things, "u", created, Outbox.Lane.BULK);
        assertThat(staging.inline()).isFalse();
        insertStaged(classic, things, "u", staging, created);
        assertThat(things.find(Filters.eq("_id", "u")).first()).containsKeys(Outbox.FIELD, Outbox.STAGINGS).doesNotContainKey(Outbox.INSERTED_BY);

        // A relay of that outbox: one of another only finds the entry when it scans.
        try (OutboxRelay classicRelay = relay(classic, RelayShards.all(), Clock.systemUTC(), 500, BulkPacing.UNPACED, OutboxRelay.RESCAN_INTERVAL)) {
            assertThat(classicRelay.publishPending()).isEqualTo(1);
        }
        assertThat(pendingDocuments()).isEmpty();
    }

    @Test
    void aRefusalSettlesAMissingDocumentsEntryOnlyOnceEveryStagingWasRefused() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        // A create staged the classic way, its insert in flight, and a racing revision of the same id refused.
        Outbox.Staging create = outbox.stage(things, "late-create", "k_00000000000000q1");
        outbox.abandon(outbox.stage(things, "late-create", "k_00000000000000q1"));

        assertThat(relay.publishPending()).isZero();
        assertThat(pendingDocuments()).containsExactly("late-create");

        OutboxEvent created = event("k_00000000000000q1", 1);
        insertStaged(outbox, things, "late-create", create, created);
        assertThat(relay.publishPending()).isEqualTo(1);
        assertThat(pendingDocuments()).isEmpty();
    }

    @Test
    void aCreationsEventsLeaveTheEntryBeforeTheDocumentIsWrittenSoAFailureBetweenRepeatsOnlyTheNewer() throws Exception {
        MongoCollection<Document> things = database.getCollection("things");
        OutboxEvent created = event("k_00000000000000p1", 1);
        OutboxEvent revised = event("k_00000000000000p1", 2);
        create(things, List.of("p"), List.of(created), Outbox.Lane.INTERACTIVE);
        revise(things, "p", revised);
        // The document's write fails after Kafka took both events: its outbox is no array when the relay removes them.
        outbox.hook(things, events -> things.updateOne(Filters.eq("_id", "p"), com.mongodb.client.model.Updates.set(Outbox.FIELD, "broken")));

        org.assertj.core.api.Assertions.assertThatThrownBy(relay::publishPending).isInstanceOf(RuntimeException.class);

        Document entry = database.getCollection(Outbox.PENDING).find(Filters.eq("docId", "p")).first();
        assertThat(entry.getList("events", Object.class)).isEmpty();
        outbox.hook(things, events -> { });
        things.updateOne(Filters.eq("_id", "p"), com.mongodb.client.model.Updates.set(Outbox.FIELD, List.of(revised.toBson())));
        // Only the revision goes out again, after the creation: never the creation after the revision.
        assertThat(relay.publishPending()).isEqualTo(1);
        assertThat(pendingDocuments()).isEmpty();
        assertThat(publishedIds(3, List.of(created, revised))).containsExactly(created.eventId(), revised.eventId(), revised.eventId());
    }
}
