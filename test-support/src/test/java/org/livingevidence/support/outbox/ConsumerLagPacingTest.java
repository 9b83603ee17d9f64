package org.livingevidence.support.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
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

/** Bulk pacing by a consumer group's lag, read from the real broker; and never an outage when the group stops. */
@ExtendWith(InfrastructureExtension.class)
class ConsumerLagPacingTest {

    /** A clock the test moves. */
    private static final class ManualClock extends Clock {
        private final AtomicLong millis = new AtomicLong(Instant.parse("2026-12-02T12:00:00Z").toEpochMilli());

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        void advance(Duration by) {
            millis.addAndGet(by.toMillis());
        }
    }

    @Test
    void allowsWhatKeepsTheGroupsLagUnderItsBoundAndStopsPacingAStalledGroup(TestInfrastructure infrastructure) throws Exception {
        String servers = infrastructure.kafkaBootstrapServers();
        String topic = TestInfrastructure.uniqueName("paced");
        String group = TestInfrastructure.uniqueName("downstream");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers))) {
            admin.createTopics(java.util.List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, "k" + i, "v" + i));
            }
            producer.flush();
        }
        ManualClock clock = new ManualClock();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ConsumerConfig.GROUP_ID_CONFIG, group), new StringDeserializer(), new StringDeserializer());
             ConsumerLagPacing pacing = new ConsumerLagPacing(Admin.create(Map.of("bootstrap.servers", servers)), group, topic, 40,
                     Duration.ofSeconds(10), clock);
             ConsumerLagPacing unknownGroup = new ConsumerLagPacing(Admin.create(Map.of("bootstrap.servers", servers)),
                     TestInfrastructure.uniqueName("nobody"), topic, 40, Duration.ofSeconds(10), clock)) {
            // A group that has consumed nothing yet holds nothing back.
            assertThat(unknownGroup.allowance()).isEqualTo(Integer.MAX_VALUE);

            commit(consumer, topic, 10, 10);       // 25 + 25 produced: 30 unconsumed
            assertThat(pacing.allowance()).isEqualTo(10);

            commit(consumer, topic, 5, 10);        // 35 unconsumed... offsets only move forward in practice, but the sum moved
            clock.advance(Duration.ofSeconds(1));
            assertThat(pacing.allowance()).isEqualTo(5);

            commit(consumer, topic, 2, 2);         // 46 unconsumed, over the bound
            assertThat(pacing.allowance()).isZero();
            clock.advance(Duration.ofSeconds(9));
            assertThat(pacing.allowance()).as("still within stalled-after").isZero();
            clock.advance(Duration.ofSeconds(2));
            assertThat(pacing.allowance()).as("the group committed nothing for 11 s while over the bound").isEqualTo(Integer.MAX_VALUE);

            commit(consumer, topic, 20, 20);       // it moves again: 10 unconsumed
            assertThat(pacing.allowance()).isEqualTo(30);
        }
    }

    private static void commit(KafkaConsumer<String, String> consumer, String topic, long first, long second) {
        consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(first),
                new TopicPartition(topic, 1), new OffsetAndMetadata(second)));
    }
}
