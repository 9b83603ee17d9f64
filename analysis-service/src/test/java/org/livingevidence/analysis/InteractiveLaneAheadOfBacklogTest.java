package org.livingevidence.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.awaitility.Awaitility;
import org.bson.Document;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.livingevidence.analysis.projections.ProjectionRepository;
import org.livingevidence.contracts.Topics;
import org.livingevidence.support.outbox.Outbox;
import org.livingevidence.testing.EventPublisher;
import org.livingevidence.testing.TopicReader;
import org.livingevidence.testing.TopicReader.ConsumedRecord;

/**
 * A person's record goes ahead of the backlog in front of it on its partition, on the real broker and MongoDB server:
 * the consumer group is held on one partition (a question refused for backpressure), and the record of another
 * question behind it on that partition, marked {@code ce_lane: interactive}, is estimated anyway, once.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InteractiveLaneAheadOfBacklogTest implements OwnConsumerGroup {

    @Inject
    @Client("/")
    HttpClient http;
    @Inject
    MongoDatabase database;

    @AutoClose
    private final EventPublisher events = new EventPublisher(infrastructure().kafkaBootstrapServers());

    @BeforeAll
    void ready() {
        ServiceReadiness.await(http);
    }

    /** A new question id whose events land on {@code partition} of the outcome-records topic (Kafka's default partitioner). */
    private static String questionOn(int partition, int partitions) {
        while (true) {
            String id = "q_" + UUID.randomUUID().toString().substring(0, 8);
            if (Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % partitions == partition) {
                return id;
            }
        }
    }

    private int partitions() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                infrastructure().kafkaBootstrapServers()), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return consumer.partitionsFor(Topics.OUTCOME_RECORDS).size();
        }
    }

    private static Predicate<ConsumedRecord> of(String questionId) {
        return r -> questionId.equals(r.key());
    }

    @Test
    void aPersonsRecordIsEstimatedAheadOfAHeldPartitionAndOnlyOnce() {
        int partitions = partitions();
        String held = questionOn(0, partitions);
        String imported = questionOn(0, partitions);
        String curated = questionOn(0, partitions);
        try (TopicReader estimates = new TopicReader(infrastructure().kafkaBootstrapServers(), Topics.POOLED_ESTIMATES)) {
            events.publish(TestEvents.question(held, "RANDOM"), held);
            events.publish(TestEvents.question(imported, "RANDOM"), imported);
            // The group handles the held question's first record.
            events.publish(TestEvents.hr(held, "h0", 1, 0.80, 0.60, 1.07), held, Outbox.Lane.BULK);
            assertThat(estimates.await(1, of(held), Duration.ofSeconds(30))).hasSize(1);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> database.getCollection(ProjectionRepository.COLLECTION)
                    .countDocuments(Filters.in("_id", List.of(held, imported))) == 2);
            // The held question owes more than a projection may hold unpublished (events no relay entry points to):
            // the group's next event for it waits, and so does everything behind it on the partition.
            database.getCollection(ProjectionRepository.COLLECTION).updateOne(Filters.eq("_id", held), Updates.set(Outbox.FIELD,
                    List.of(new Document("eventId", "held").append("data", "x".repeat(7 * 1024 * 1024)))));
            events.publish(TestEvents.hr(held, "h", 1, 0.80, 0.60, 1.07), held, Outbox.Lane.BULK);
            events.publish(TestEvents.hr(imported, "i", 1, 0.80, 0.60, 1.07), imported, Outbox.Lane.BULK);
            events.publish(TestEvents.question(curated, "RANDOM"), curated, Outbox.Lane.INTERACTIVE);
            events.publish(TestEvents.hr(curated, "c", 1, 0.75, 0.55, 1.02), curated, Outbox.Lane.INTERACTIVE);

            ConsumedRecord ahead = estimates.await(1, of(curated), Duration.ofSeconds(30)).get(0);
            assertThat(ahead.headers()).containsEntry("ce_lane", "interactive");
            // The import's record, before the person's on the same partition, was left to the held group.
            assertThat(database.getCollection(ProjectionRepository.COLLECTION).find(Filters.eq("_id", imported)).first()
                    .getList("records", Document.class)).isEmpty();

            database.getCollection(ProjectionRepository.COLLECTION).updateOne(Filters.eq("_id", held), Updates.unset(Outbox.FIELD));
            assertThat(estimates.await(2, of(held), Duration.ofSeconds(60))).hasSize(2);
            ConsumedRecord behind = estimates.await(1, of(imported), Duration.ofSeconds(30)).get(0);
            assertThat(behind.headers()).containsEntry("ce_lane", "bulk");
            // Once the group is past the person's record (a later record behind it is estimated), nothing was published twice.
            events.publish(TestEvents.hr(imported, "i2", 1, 0.85, 0.65, 1.10), imported, Outbox.Lane.BULK);
            assertThat(estimates.await(2, of(imported), Duration.ofSeconds(30))).hasSize(2);
            assertThat(estimates.readFor(Duration.ofSeconds(1), of(curated))).hasSize(1);
        }
    }
}
