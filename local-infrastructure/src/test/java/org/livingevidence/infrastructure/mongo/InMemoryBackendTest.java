package org.livingevidence.infrastructure.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
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
