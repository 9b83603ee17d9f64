package org.livingevidence.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from its beginning, as an ordinary Kafka client would (no consumer group, raw headers), so tests
 * see exactly what integrators see.
 */
public final class TopicReader implements AutoCloseable {

    /** One record with its headers decoded as UTF-8. */
    public record ConsumedRecord(String key, Map<String, String> headers, String value, int partition, long offset) {
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumedRecord> seen = new ArrayList<>();

    public TopicReader(String bootstrapServers, String topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (partitions.isEmpty()) {
            var infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (infos != null) {
                infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            if (partitions.isEmpty() && System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Polls until {@code count} records matching {@code filter} have been seen or the timeout passes; returns all matches. */
    public List<ConsumedRecord> await(int count, Predicate<ConsumedRecord> filter, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (matching(filter).size() < count && System.nanoTime() < deadline) {
            poll(Duration.ofMillis(250));
        }
        return matching(filter);
    }

    /** Reads for {@code duration} and returns every record seen so far that matches. */
    public List<ConsumedRecord> readFor(Duration duration, Predicate<ConsumedRecord> filter) {
        long deadline = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < deadline) {
            poll(Duration.ofMillis(250));
        }
        return matching(filter);
    }

    private void poll(Duration timeout) {
        consumer.poll(timeout).forEach(r -> {
            Map<String, String> headers = new LinkedHashMap<>();
            for (Header h : r.headers()) {
                headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
            }
            seen.add(new ConsumedRecord(r.key(), headers, r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8),
                    r.partition(), r.offset()));
        });
    }

    private List<ConsumedRecord> matching(Predicate<ConsumedRecord> filter) {
        return seen.stream().filter(filter).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
