package org.livingevidence.support.events;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Starts the service's {@link EventConsumer}s with one configuration, and knows them: readiness asks their state,
 * re-driving a dead letter asks the handler of its group, and their lag is a metric
 * ({@code evidence_consumer_lag{group,topic,partition}}).
 */
@Singleton
public class EventConsumers implements AutoCloseable {

    private final KafkaSettings kafka;
    private final TopicProvisioner topics;
    private final DeadLetterSink deadLetters;
    private final Clock clock;
    private final MeterRegistry registry;
    private final List<EventConsumer> started = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicLong> lags = new ConcurrentHashMap<>();

    EventConsumers(KafkaSettings kafka, TopicProvisioner topics, DeadLetterSink deadLetters, Clock clock, MeterRegistry registry) {
        this.kafka = kafka;
        this.topics = topics;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.registry = registry;
    }

    /** Starts a member of consumer group {@code group} on {@code topicNames}. */
    public EventConsumer start(String group, Collection<String> topicNames, EventHandler handler) {
        return start(group, topicNames, handler, EventConsumer.StartCondition.NONE);
    }

    /** Starts a member of consumer group {@code group} on {@code topicNames} once the topics exist and {@code startWhen} is met. */
    public EventConsumer start(String group, Collection<String> topicNames, EventHandler handler, EventConsumer.StartCondition startWhen) {
        EventConsumer.StartCondition topicsThenCondition = () -> topics.ensureTopics() ? startWhen.waitingFor()
                : Optional.of("the topics to exist");
        EventConsumer consumer = new EventConsumer(group, topicNames, handler, deadLetters,
                () -> new KafkaConsumer<>(config(group), new StringDeserializer(), new ByteArrayDeserializer()),
                topicsThenCondition, EventConsumer.Policy.DEFAULTS, clock, this::lag);
        started.add(consumer);
        consumer.start();
        return consumer;
    }

    private Map<String, Object> config(String group) {
        Map<String, Object> config = kafka.groupMemberConfig(group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        return config;
    }

    private void lag(String group, TopicPartition partition, long lag) {
        lags.computeIfAbsent(group + "|" + partition, key -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("evidence.consumer.lag", value, AtomicLong::get)
                    .description("records on the partition not yet consumed by the group")
                    .tags("group", group, "topic", partition.topic(), "partition", Integer.toString(partition.partition()))
                    .register(registry);
            return value;
        }).set(lag);
    }

    public List<EventConsumer.Status> statuses() {
        return started.stream().map(EventConsumer::status).toList();
    }

    /** The handler of consumer group {@code group} in this service, for re-driving its dead letters. */
    public Optional<EventHandler> handler(String group) {
        return started.stream().filter(c -> c.group().equals(group)).map(EventConsumer::handler).findFirst();
    }

    @PreDestroy
    @Override
    public void close() {
        started.forEach(EventConsumer::close);
    }
}
