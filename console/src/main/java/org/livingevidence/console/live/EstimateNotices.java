package org.livingevidence.console.live;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.naming.conventions.StringConvention;
import io.micronaut.core.value.PropertyResolver;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.livingevidence.contracts.EventJson;
import org.livingevidence.contracts.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Follows {@code evidence.pooled-estimates.v1} from its end, without a consumer group (every console instance sees
 * every estimate, and nothing is committed), and tells the pages watching a question. Missed notices cost nothing:
 * a page re-reads the estimate whenever it (re)connects, and after this reader had to start again (a failed
 * consumer is replaced, with a growing pause) every open page is told to re-read. Partitions added to the topic
 * later are picked up within a minute.
 */
@Context
public class EstimateNotices implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EstimateNotices.class);
    private static final Duration TOPIC_RETRY = Duration.ofSeconds(5);
    private static final Duration PARTITION_CHECK = Duration.ofMinutes(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** Tells every watcher to read its question again (the reader may have missed estimates). */
    static final EstimateNotice RESYNC = new EstimateNotice(null, 0, null, 0);

    /** One stream for all questions: each page filters its own; there are few pages and notices are small. */
    private final Sinks.Many<EstimateNotice> notices = Sinks.many().multicast().directBestEffort();
    private final Properties properties = new Properties();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean following;
    private volatile KafkaConsumer<String, byte[]> consumer;

    EstimateNotices(@Value("${kafka.bootstrap.servers}") String bootstrapServers, PropertyResolver configuration) {
        properties.putAll(clientProperties(configuration, System.getenv()));
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Positions are always set explicitly (end, or beginning of a new partition); never fail on a missing one.
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "console-live-estimates");
        this.thread = new Thread(this::follow, "console-live-estimates");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * {@code kafka.client.*} from the configuration, then {@code KAFKA_CLIENT_*} from the environment, which wins (as on
     * the services: Micronaut lists no environment variables under a prefix, and Kafka's keys are lower case with
     * dots, so {@code KAFKA_CLIENT_SASL_JAAS_CONFIG} is {@code sasl.jaas.config}).
     */
    static Properties clientProperties(PropertyResolver configuration, java.util.Map<String, String> environment) {
        Properties properties = new Properties();
        configuration.getProperties("kafka.client", StringConvention.RAW).forEach((key, value) -> {
            if (!key.contains("-")) {
                properties.put(key, String.valueOf(value));
            }
        });
        environment.forEach((name, value) -> {
            if (name.startsWith("KAFKA_CLIENT_") && name.length() > "KAFKA_CLIENT_".length()) {
                properties.put(name.substring("KAFKA_CLIENT_".length()).toLowerCase(java.util.Locale.ROOT).replace('_', '.'), value);
            }
        });
        return properties;
    }

    /** Notices for one question (and re-read requests for all) from now on, until the subscriber cancels. */
    public Flux<EstimateNotice> watch(String questionId) {
        return notices.asFlux().filter(notice -> notice.questionId() == null || notice.questionId().equals(questionId));
    }

    /** Whether the topic's partitions are assigned and read from (the console's health says so). */
    public boolean following() {
        return following;
    }

    private void follow() {
        Duration backoff = Duration.ofSeconds(1);
        boolean resumed = false;
        while (running) {
            // A new consumer each time: one that threw (authentication, authorisation, a corrupt batch) is not reused.
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer = c;
                Set<TopicPartition> assigned = assign(c, Set.of());
                if (assigned.isEmpty()) {
                    return;
                }
                following = true;
                if (resumed) {
                    notices.tryEmitNext(RESYNC);
                }
                resumed = true;
                backoff = Duration.ofSeconds(1);
                long nextCheck = System.nanoTime() + PARTITION_CHECK.toNanos();
                while (running) {
                    for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofSeconds(1))) {
                        // Only this thread emits, so emissions never overlap (a Sinks.Many requires that).
                        read(record).ifPresent(notices::tryEmitNext);
                    }
                    if (System.nanoTime() > nextCheck) {
                        assigned = assign(c, assigned);
                        nextCheck = System.nanoTime() + PARTITION_CHECK.toNanos();
                    }
                }
            } catch (WakeupException | org.apache.kafka.common.errors.InterruptException e) {
                if (!running) {
                    return;
                }
                LOG.warn("following {} was interrupted; starting again", Topics.POOLED_ESTIMATES);
            } catch (RuntimeException e) {
                LOG.error("following {} failed ({}); starting again in {} s", Topics.POOLED_ESTIMATES, e.toString(), backoff.toSeconds(), e);
            } finally {
                following = false;
                consumer = null;
            }
            if (!pause(backoff)) {
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /**
     * Assigns every partition of the topic, waiting until it exists: partitions already read keep their positions, the
     * first ones start at the end, partitions added later from their beginning (all they hold is new). Empty when
     * stopped while waiting.
     */
    private Set<TopicPartition> assign(KafkaConsumer<String, byte[]> c, Set<TopicPartition> assigned) {
        while (running) {
            List<TopicPartition> partitions = List.of();
            try {
                partitions = c.partitionsFor(Topics.POOLED_ESTIMATES, Duration.ofSeconds(10)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.warn("{} not readable yet ({}); retrying", Topics.POOLED_ESTIMATES, e.getMessage());
            }
            if (!partitions.isEmpty()) {
                Set<TopicPartition> all = new HashSet<>(partitions);
                if (all.equals(assigned)) {
                    return assigned;
                }
                Set<TopicPartition> added = new HashSet<>(all);
                added.removeAll(assigned);
                c.assign(all);
                if (assigned.isEmpty()) {
                    c.seekToEnd(added);
                } else {
                    c.seekToBeginning(added);
                }
                added.forEach(c::position);
                LOG.info("following {} ({} partitions, {} new)", Topics.POOLED_ESTIMATES, all.size(), added.size());
                return all;
            }
            if (!assigned.isEmpty()) {
                return assigned;
            }
            if (!pause(TOPIC_RETRY)) {
                break;
            }
        }
        return Set.of();
    }

    private boolean pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The four fields a notice carries, read straight from the event (they have the contract's names): the rest of an
     * estimate, up to thousands of studies, is skipped over, not built.
     */
    static Optional<EstimateNotice> read(ConsumerRecord<String, byte[]> record) {
        try {
            EstimateNotice notice = EventJson.mapper().readValue(record.value(), EstimateNotice.class);
            return notice.questionId() == null ? Optional.empty() : Optional.of(notice);
        } catch (java.io.IOException | RuntimeException e) {
            // Not ours to judge: analysis-service's consumers dead-letter what they cannot read; a page just misses it.
            LOG.debug("skipping an unreadable estimate at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.toString());
            return Optional.empty();
        }
    }

    @Override
    @PreDestroy
    public void close() {
        if (running) {
            running = false;
            KafkaConsumer<String, byte[]> c = consumer;
            if (c != null) {
                c.wakeup();
            }
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
