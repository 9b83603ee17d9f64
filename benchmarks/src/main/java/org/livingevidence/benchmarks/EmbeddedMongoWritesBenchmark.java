package org.livingevidence.benchmarks;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.livingevidence.infrastructure.mongo.InMemoryBackend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a bulk import asks of the embedded MongoDB server per batch, with its stock in-memory backend and with ours
 * ({@link InMemoryBackend}, which keeps no data sizes): 100 outcome-record-like documents inserted with their outbox
 * event (about 2 KB each, with the record collection's unique indexes), then each settled as the outbox relay does
 * ({@code $pull} of the event, {@code $unset} of the staging number). Client and server share this JVM, so the
 * difference between the two backends is the server's. {@code updateLargeDocument} is one small update of a 2 MB
 * document, as a question's projection is at k = 5,000. {@code findByIds} reads 500 of 20,000 documents by a list of
 * their ids, as the outbox relay reads a pass's entries and their documents.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx2g", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@State(Scope.Benchmark)
public class EmbeddedMongoWritesBenchmark {

    private static final int BATCH = 100;
    private static final String PAYLOAD = "{\"outcome\":\"" + "x".repeat(1_500) + "\"}";

    @Param({"stock", "unsized"})
    String backend;

    private MongoServer server;
    private MongoClient client;
    private MongoCollection<Document> records;
    private MongoCollection<Document> projections;
    private MongoCollection<Document> byIds;
    private final List<String> ids = new ArrayList<>();
    private long next;
    private long version;
    private int round;

    @Setup(Level.Trial)
    public void start() {
        server = new MongoServer(backend.equals("stock") ? new MemoryBackend() : new InMemoryBackend());
        InetSocketAddress address = server.bind();
        client = MongoClients.create("mongodb://localhost:" + address.getPort());
        manyDocuments();
    }

    /** A fresh collection per iteration, so that every iteration inserts into one of the same size. */
    @Setup(Level.Iteration)
    public void freshCollection() {
        records = client.getDatabase("bench").getCollection("records");
        records.drop();
        records.createIndex(Indexes.ascending("_id", "revision"), new IndexOptions().unique(true));
        records.createIndex(Indexes.ascending("slot"), new IndexOptions().unique(true).sparse(true));
    }

    /** A question's projection at k = 5,000 is about 2 MB: its records and its latest estimate, one entry per study. */
    @Setup(Level.Iteration)
    public void largeDocument() {
        projections = client.getDatabase("bench").getCollection("projections");
        projections.drop();
        List<Document> studies = new ArrayList<>(5_000);
        for (int i = 0; i < 5_000; i++) {
            studies.add(new Document("studyId", "s" + i).append("yi", -0.2 + i % 7 / 100.0).append("vi", 0.04)
                    .append("label", "Study " + i + " et al. (2024)").append("weight", 0.0002).append("arm", "y".repeat(200)));
        }
        projections.insertOne(new Document("_id", "q1").append("version", 0L).append("studies", studies));
    }

    private void manyDocuments() {
        byIds = client.getDatabase("bench").getCollection("byIds");
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            String id = "outcome_records/" + java.util.UUID.nameUUIDFromBytes(Integer.toString(i).getBytes());
            ids.add(id);
            documents.add(record(i).append("_id", id));
        }
        byIds.insertMany(documents);
    }

    @TearDown(Level.Trial)
    public void stop() {
        client.close();
        server.shutdownNow();
    }

    @Benchmark
    public Object insertAndSettleBatch() {
        List<Document> batch = new ArrayList<>(BATCH);
        List<WriteModel<Document>> settle = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            long n = next++;
            batch.add(record(n));
            // As the relay retires an entry: the events that went out, and the staging numbers up to the entry's.
            settle.add(new UpdateOneModel<>(Filters.eq("_id", "r" + n), new Document("$pull",
                    new Document("outbox", new Document("eventId", new Document("$in", List.of("e" + n))))
                            .append("outboxStagings", new Document("$lte", 1L)))));
        }
        records.insertMany(batch);
        return records.bulkWrite(settle);
    }

    /** One event on a question of 5,000 studies: its projection's version moves (the rest stays as it is). */
    @Benchmark
    public Object updateLargeDocument() {
        return projections.updateOne(Filters.eq("_id", "q1"), Updates.set("version", ++version));
    }

    @Benchmark
    public Object findByIds() {
        int from = round++ % 40 * 500;
        return byIds.find(Filters.in("_id", ids.subList(from, from + 500))).projection(new Document("outbox", 1))
                .into(new ArrayList<>());
    }

    private static Document record(long n) {
        return new Document("_id", "r" + n).append("revision", 1).append("slot", "q" + n / 100 + "/s" + n + "/os")
                .append("questionId", "q" + n / 100).append("studyId", "s" + n).append("measure", "HR")
                .append("estimate", 0.8).append("lower", 0.6).append("upper", 1.1).append("notes", "y".repeat(300))
                .append("outboxStagings", List.of(1L))
                .append("outbox", List.of(new Document("eventId", "e" + n).append("topic", "evidence.outcome-records.v1")
                        .append("payload", PAYLOAD)));
    }
}
