package org.livingevidence.support.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.livingevidence.testing.InfrastructureExtension;
import org.livingevidence.testing.TestInfrastructure;

/** The start condition of a rebuild: another group has consumed a topic up to where it ended, read from the real broker. */
@ExtendWith(InfrastructureExtension.class)
class GroupCaughtUpTest {

    @Test
    void isMetOnceTheGroupCommittedWhatTheTopicHeldAtTheFirstCheckAndStaysMet(TestInfrastructure infrastructure) throws Exception {
        String servers = infrastructure.kafkaBootstrapServers();
        String topic = TestInfrastructure.uniqueName("history");
        String group = TestInfrastructure.uniqueName("history-readers");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        GroupCaughtUp condition = GroupCaughtUp.on(new KafkaSettings(servers, (short) 1, Duration.ofSeconds(6), (short) 0), group, List.of(topic));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers),
                new StringSerializer(), new StringSerializer());
             KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                     ConsumerConfig.GROUP_ID_CONFIG, group), new StringDeserializer(), new StringDeserializer())) {
            send(producer, topic, 0, 4);
            send(producer, topic, 1, 2);
            // Partition 2 stays empty: nothing to wait for there.
            assertThat(condition.waitingFor()).hasValueSatisfying(w -> assertThat(w).contains(group).contains("6 events left"));

            // Published after the first check: not part of what the group must have read.
            send(producer, topic, 1, 5);
            consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(4)));
            assertThat(condition.waitingFor()).hasValueSatisfying(w -> assertThat(w).contains("2 events left"));

            consumer.commitSync(Map.of(new TopicPartition(topic, 1), new OffsetAndMetadata(2)));
            assertThat(condition.waitingFor()).isEmpty();
            assertThat(condition.waitingFor()).isEmpty();
        }
    }

    @Test
    void aClusterItCannotReachIsWaitedForWithTheReason() {
        GroupCaughtUp condition = new GroupCaughtUp(() -> Admin.create(Map.of("bootstrap.servers", "localhost:1",
                "default.api.timeout.ms", 1_000, "request.timeout.ms", 500)), "g", List.of("t"));
        assertThat(condition.waitingFor()).hasValueSatisfying(w -> assertThat(w).contains("cannot be read"));
        // Closed (the service stopping): it no longer opens a client to ask.
        condition.close();
        assertThat(condition.waitingFor()).hasValueSatisfying(w -> assertThat(w).contains("closed"));
    }

    private static void send(KafkaProducer<String, String> producer, String topic, int partition, int count) {
        for (int i = 0; i < count; i++) {
            producer.send(new ProducerRecord<>(topic, partition, "k" + i, "v" + i));
        }
        producer.flush();
    }
}
