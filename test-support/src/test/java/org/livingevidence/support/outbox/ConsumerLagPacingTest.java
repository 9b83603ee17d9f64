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
    void allowsWhatKeepsTheGroupsLagUnderItsBoundAndLeavesOutPartitionsThatStalled(TestInfrastructure infrastructure) throws Exception {
        String servers = infrastructure.kafkaBootstrapServers();
        String topic = TestInfrastructure.uniqueName("paced");
        String group = TestInfrastructure.uniqueName("downstream");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers))) {
            admin.createTopics(java.util.List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, "k" + i, "v" + i));
            }
            producer.flush();
        }
        ManualClock clock = new ManualClock();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ConsumerConfig.GROUP_ID_CONFIG, group), new StringDeserializer(), new StringDeserializer());
             ConsumerLagPacing pacing = new ConsumerLagPacing(Admin.create(Map.of("bootstrap.servers", servers)), group, topic, 40,
                     Duration.ofSeconds(10), clock)) {
            // A group that has consumed nothing yet holds nothing back.
            assertThat(pacing.allowance()).isEqualTo(Integer.MAX_VALUE);
            assertThat(pacing.state()).isEqualTo(ConsumerLagPacing.State.NO_OFFSETS);

            commit(consumer, topic, 30, 35);       // 50 + 50 produced: 20 + 15 unconsumed
            assertThat(pacing.allowance()).isEqualTo(5);
            assertThat(pacing.state()).isEqualTo(ConsumerLagPacing.State.PACED);

            commit(consumer, topic, 30, 20);       // partition 1 went back (a reset): 20 + 30, over the bound
            assertThat(pacing.allowance()).isZero();
            clock.advance(Duration.ofSeconds(6));
            commit(consumer, topic, 30, 45);       // partition 1 moves on, partition 0 has not moved for 6 s: 20 + 5
            assertThat(pacing.allowance()).isEqualTo(15);
            clock.advance(Duration.ofSeconds(5));
            // Partition 0 has not moved for 11 s while 20 wait there: it no longer counts; partition 1 still paces.
            assertThat(pacing.allowance()).isEqualTo(35);
            clock.advance(Duration.ofSeconds(11));
            // Now neither moves while both lag: nothing is paced.
            assertThat(pacing.allowance()).isEqualTo(Integer.MAX_VALUE);
            assertThat(pacing.state()).isEqualTo(ConsumerLagPacing.State.STALLED);

            commit(consumer, topic, 45, 50);       // it moves again: 5 unconsumed
            assertThat(pacing.allowance()).isEqualTo(35);
        }
    }

    @Test
    void aLagThatCannotBeReadPacesNothing() {
        // No broker listens there: every read fails within the pacing's own timeout.
        Map<String, Object> nowhere = Map.of("bootstrap.servers", "localhost:1", "request.timeout.ms", 500,
                "default.api.timeout.ms", 1000, "socket.connection.setup.timeout.ms", 200);
        try (ConsumerLagPacing pacing = new ConsumerLagPacing(Admin.create(nowhere), "g", "t", 40, Duration.ofSeconds(10), new ManualClock())) {
            assertThat(pacing.allowance()).isEqualTo(Integer.MAX_VALUE);
            assertThat(pacing.state()).isEqualTo(ConsumerLagPacing.State.UNREADABLE);
        }
    }

    /** An operator who sets a bound beyond an int ("never pace") must not get one that wraps negative and holds every import. */
    @Test
    void aBoundBeyondAnIntAllowsAsMuchAsAnIntHoldsInsteadOfWrappingNegative() {
        Map<String, Object> nowhere = Map.of("bootstrap.servers", "localhost:1");
        TopicPartition partition = new TopicPartition("t", 0);
        try (ConsumerLagPacing pacing = new ConsumerLagPacing(Admin.create(nowhere), "g", "t", Long.MAX_VALUE, Duration.ofSeconds(10), new ManualClock());
             ConsumerLagPacing justAbove = new ConsumerLagPacing(Admin.create(nowhere), "g", "t", Integer.MAX_VALUE + 10L, Duration.ofSeconds(10), new ManualClock())) {
            assertThat(pacing.allowance(Map.of(partition, 100L), Map.of(partition, 150L))).isEqualTo(Integer.MAX_VALUE);
            assertThat(pacing.state()).isEqualTo(ConsumerLagPacing.State.PACED);
            assertThat(justAbove.allowance(Map.of(partition, 100L), Map.of(partition, 105L))).isEqualTo(Integer.MAX_VALUE);
            assertThat(justAbove.allowance(Map.of(partition, 100L), Map.of(partition, 120L))).isEqualTo(Integer.MAX_VALUE - 10);
        }
    }

    @Test
    void forAWhileAfterAPersonsWriteTheTighterBoundPaces() {
        Map<String, Object> nowhere = Map.of("bootstrap.servers", "localhost:1");
        TopicPartition partition = new TopicPartition("t", 0);
        ManualClock clock = new ManualClock();
        try (ConsumerLagPacing pacing = new ConsumerLagPacing(Admin.create(nowhere), "g", "t", 2_000, 300, Duration.ofSeconds(60),
                Duration.ofSeconds(10), clock)) {
            assertThat(pacing.allowance(Map.of(partition, 100L), Map.of(partition, 350L))).isEqualTo(1_750);
            pacing.personWrote();
            assertThat(pacing.allowance(Map.of(partition, 100L), Map.of(partition, 350L))).isEqualTo(50);
            clock.advance(Duration.ofSeconds(59));
            assertThat(pacing.allowance(Map.of(partition, 200L), Map.of(partition, 600L))).as("the lag is over the tighter bound").isZero();
            clock.advance(Duration.ofSeconds(1));
            assertThat(pacing.allowance(Map.of(partition, 200L), Map.of(partition, 600L))).isEqualTo(1_600);
        }
    }

    private static void commit(KafkaConsumer<String, String> consumer, String topic, long first, long second) {
        consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(first),
                new TopicPartition(topic, 1), new OffsetAndMetadata(second)));
    }
}
