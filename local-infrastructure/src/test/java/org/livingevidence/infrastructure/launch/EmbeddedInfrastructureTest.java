package org.livingevidence.infrastructure.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedInfrastructureTest {

    @TempDir
    Path dir;

    @Test
    void kafkaKeepsRecordsAcrossABrokerRestart() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0, dir.resolve("kafka.log"))) {
            Map<String, Object> common = Map.of("bootstrap.servers", kafka.bootstrapServers());
            try (Admin admin = Admin.create(common)) {
                admin.createTopics(List.of(new NewTopic("smoke", 1, (short) 1))).all().get();
            }
            try (var producer = new KafkaProducer<>(common, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("smoke", "q1", "before-restart")).get();
            }
            kafka.restart();
            try (var producer = new KafkaProducer<>(common, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("smoke", "q1", "after-restart")).get();
            }
            Properties consumerProps = new Properties();
            consumerProps.putAll(common);
            consumerProps.put("group.id", "smoke");
            consumerProps.put("auto.offset.reset", "earliest");
            try (var consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("smoke"));
                List<String> values = new java.util.ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (values.size() < 2 && System.nanoTime() < deadline) {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                    records.forEach(r -> values.add(r.value()));
                }
                assertThat(values).containsExactly("before-restart", "after-restart");
            }
        }
    }

    @Test
    void anInMemoryServerOutOfHeapExitsInsteadOfHangingOnItsPort() throws Exception {
        Path log = dir.resolve("mongo-oom.log");
        try (EmbeddedMongo mongo = EmbeddedMongo.start(0, null, log, "96m");
             MongoClient client = MongoClients.create(MongoClientSettings.builder()
                     .applyConnectionString(new ConnectionString(mongo.connectionString()))
                     .applyToClusterSettings(c -> c.serverSelectionTimeout(2, TimeUnit.SECONDS))
                     .applyToSocketSettings(c -> c.readTimeout(5, TimeUnit.SECONDS)).build())) {
            MongoCollection<Document> things = client.getDatabase("oom").getCollection("things");
            String filler = "x".repeat(16 * 1024);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int batch = 0;
            while (mongo.isAlive() && System.nanoTime() < deadline) {
                List<Document> documents = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    documents.add(new Document("_id", batch + "-" + i).append("filler", filler));
                }
                try {
                    things.insertMany(documents);
                } catch (MongoException whileItDies) {
                    // The server is going away mid-request: the loop looks at whether it has gone.
                    Thread.sleep(100);
                }
                batch++;
            }
            assertThat(mongo.isAlive()).as("the server's process after %d batches of 1.6 MB", batch).isFalse();
            assertThat(mongo.ranOutOfHeap()).as("exited with the JVM's code for running out of heap").isTrue();
            // The child's output reaches the file through a copying thread that may still be at work.
            long logDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            String terminating = "Terminating due to java.lang.OutOfMemoryError";
            while (!Files.readString(log).contains(terminating) && System.nanoTime() < logDeadline) {
                Thread.sleep(50);
            }
            assertThat(Files.readString(log)).contains(terminating);
        }
    }

    @Test
    void mongoOnDiskKeepsDocumentsAcrossARestart() {
        Path file = dir.resolve("mongo/data.mv");
        try (EmbeddedMongo mongo = EmbeddedMongo.start(0, file, dir.resolve("mongo1.log"));
             MongoClient client = MongoClients.create(mongo.connectionString())) {
            client.getDatabase("smoke").getCollection("things").insertOne(new Document("_id", "a").append("n", 1));
        }
        try (EmbeddedMongo mongo = EmbeddedMongo.start(0, file, dir.resolve("mongo2.log"));
             MongoClient client = MongoClients.create(mongo.connectionString())) {
            MongoCollection<Document> things = client.getDatabase("smoke").getCollection("things");
            assertThat(things.find(new Document("_id", "a")).first()).containsEntry("n", 1);
        }
    }
}
