package org.livingevidence.infrastructure.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InMemoryBackendTest {

    @TempDir
    Path dir;

    @Test
    void storesUpdatesAndIndexesLikeTheStockBackendAndCountsEveryCommand() throws Exception {
        Path censusFile = dir.resolve("census.txt");
        MongoServer server = new MongoServer(new InMemoryBackend(CommandCensus.writingTo(censusFile)));
        InetSocketAddress address = server.bind();
        try (MongoClient client = MongoClients.create("mongodb://localhost:" + address.getPort())) {
            MongoCollection<Document> things = client.getDatabase("smoke").getCollection("things");
            things.createIndex(Indexes.ascending("key"), new IndexOptions().unique(true));
            things.insertOne(new Document("_id", "a").append("key", "k1").append("n", 1));
            things.insertOne(new Document("_id", "b").append("key", "k2").append("n", 2));
            things.updateOne(new Document("_id", "a"), Updates.inc("n", 10));

            assertThat(things.find(new Document("key", "k1")).first()).containsEntry("n", 11);
            assertThatThrownBy(() -> things.insertOne(new Document("_id", "c").append("key", "k2")))
                    .isInstanceOf(MongoWriteException.class);
            things.deleteOne(new Document("_id", "b"));
            assertThat(things.countDocuments()).isEqualTo(1);

            String census = waitForCensusOf(censusFile, "smoke.things delete ");
            // Three insert commands (one refused by the unique index), one document each.
            assertThat(census).contains("smoke.things insert 3 3 ");
            assertThat(census).contains("smoke.things update 1 1 ");
            assertThat(census).contains("smoke.things delete 1 1 ");
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void findsByListsOfIdsWhatTheStockBackendFinds() {
        MongoServer ours = new MongoServer(new InMemoryBackend());
        MongoServer stock = new MongoServer(new de.bwaldvogel.mongo.backend.memory.MemoryBackend());
        try (MongoClient oursClient = MongoClients.create("mongodb://localhost:" + ours.bind().getPort());
             MongoClient stockClient = MongoClients.create("mongodb://localhost:" + stock.bind().getPort())) {
            java.util.List<java.util.function.Function<MongoCollection<Document>, java.util.List<Document>>> queries = java.util.List.of(
                    c -> c.find(Filters.in("_id", "a", "c", "missing", "a")).into(new java.util.ArrayList<>()),
                    c -> c.find(Filters.in("_id", "b", "c", "a")).sort(Sorts.descending("n")).projection(Projections.include("n"))
                            .into(new java.util.ArrayList<>()),
                    c -> c.find(Filters.in("_id", "a", "b", "c")).skip(1).limit(1).sort(Sorts.ascending("n")).into(new java.util.ArrayList<>()),
                    c -> c.find(Filters.in("_id", 7, 7.0, "a")).into(new java.util.ArrayList<>()),
                    c -> c.find(Filters.and(Filters.in("_id", "a", "b"), Filters.eq("n", 2))).into(new java.util.ArrayList<>()),
                    c -> c.find(Filters.in("_id", java.util.List.of())).into(new java.util.ArrayList<>()));
            java.util.List<java.util.List<Document>> answers = new java.util.ArrayList<>();
            for (MongoClient client : java.util.List.of(oursClient, stockClient)) {
                MongoCollection<Document> things = client.getDatabase("ids").getCollection("things");
                things.insertMany(java.util.List.of(new Document("_id", "a").append("n", 1), new Document("_id", "b").append("n", 2),
                        new Document("_id", "c").append("n", 3), new Document("_id", 7L).append("n", 4)));
                things.deleteOne(Filters.in("_id", "b", "x"));
                things.insertOne(new Document("_id", "b").append("n", 5));
                queries.forEach(q -> answers.add(q.apply(things)));
            }
            java.util.List<java.util.List<Document>> oursAnswers = answers.subList(0, queries.size());
            assertThat(oursAnswers).isEqualTo(answers.subList(queries.size(), answers.size()));
            assertThat(oursAnswers.get(0)).extracting(d -> d.get("_id")).containsExactlyInAnyOrder("a", "c");
            assertThat(oursAnswers.get(1)).extracting(d -> d.get("n")).containsExactly(5, 3, 1);
        } finally {
            ours.shutdownNow();
            stock.shutdownNow();
        }
    }

    private static String waitForCensusOf(Path file, String line) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                String text = Files.readString(file);
                if (text.contains(line)) {
                    return text;
                }
            }
            Thread.sleep(200);
        }
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
