package org.livingevidence.support.outbox;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.livingevidence.contracts.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which outbox shards this instance publishes: the partitions of {@link Topics#RELAY_SHARDS} that Kafka's group
 * protocol assigns to it in the group {@code <service>.<database>.outbox-relay}. Kafka then does what a lease table would:
 * exactly one live member owns each shard, shards move to the others when a member leaves or stops heartbeating,
 * and a shard is revoked from its old owner (inside {@link #owned()}, on the relay's own thread, between two
 * batches) before a new owner gets it. Nothing is ever produced to the topic: it only gives the group its shape.
 */
public interface RelayShards extends AutoCloseable {

    /** The shards to publish now; polling also keeps this member in the group. */
    Set<Integer> owned();

    @Override
    void close();

    /** Every shard, always: for a lone instance in unit tests. */
    static RelayShards all() {
        Set<Integer> all = new TreeSet<>();
        for (int shard = 0; shard < Outbox.SHARDS; shard++) {
            all.add(shard);
        }
        return new RelayShards() {
            @Override
            public Set<Integer> owned() {
                return all;
            }

            @Override
            public void close() {
            }
        };
    }

    /** Ownership from the consumer group {@code group} on the shard topic. */
    static RelayShards kafkaGroup(Map<String, Object> groupMemberConfig) {
        return new GroupShards(groupMemberConfig);
    }

    /** The Kafka-group ownership. */
    final class GroupShards implements RelayShards {

        private static final Logger LOG = LoggerFactory.getLogger(RelayShards.class);

        private final Map<String, Object> config = new HashMap<>();
        private final Set<Integer> owned = new ConcurrentSkipListSet<>();
        private KafkaConsumer<byte[], byte[]> consumer;

        GroupShards(Map<String, Object> groupMemberConfig) {
            config.putAll(groupMemberConfig);
            // The relay polls between batches; a batch that takes longer than this gives its shards to another member.
            config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 60_000);
        }

        @Override
        public synchronized Set<Integer> owned() {
            try {
                if (consumer == null) {
                    consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                    consumer.subscribe(List.of(Topics.RELAY_SHARDS), new ConsumerRebalanceListener() {
                        @Override
                        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                            partitions.forEach(p -> owned.remove(p.partition()));
                            LOG.info("outbox shards revoked: {}; publishing {}", partitions, owned);
                        }

                        @Override
                        public void onPartitionsLost(Collection<TopicPartition> partitions) {
                            onPartitionsRevoked(partitions);
                        }

                        @Override
                        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                            partitions.forEach(p -> owned.add(p.partition()));
                            if (!partitions.isEmpty()) {
                                LOG.info("outbox shards assigned: {}; publishing {}", partitions, owned);
                            }
                        }
                    });
                }
                consumer.poll(Duration.ZERO);
            } catch (KafkaException e) {
                LOG.warn("outbox shard membership failed ({}); joining again", e.toString());
                owned.clear();
                closeConsumer();
            }
            return Set.copyOf(owned);
        }

        private void closeConsumer() {
            if (consumer != null) {
                try {
                    consumer.close(Duration.ofSeconds(2));
                } catch (KafkaException e) {
                    LOG.debug("closing the shard consumer: {}", e.toString());
                }
                consumer = null;
            }
        }

        @Override
        public synchronized void close() {
            owned.clear();
            closeConsumer();
        }
    }
}
