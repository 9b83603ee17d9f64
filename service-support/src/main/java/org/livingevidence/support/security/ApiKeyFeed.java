package org.livingevidence.support.security;

import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.livingevidence.contracts.Topics;
import org.livingevidence.contracts.events.ApiKeyRevised;
import org.livingevidence.support.events.EventDecoder;
import org.livingevidence.support.events.KafkaSettings;
import org.livingevidence.support.events.TopicProvisioner;
import org.livingevidence.support.events.UndecodableEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the whole of {@code evidence.api-keys.v1} into the {@link ApiKeyRegistry}, from the beginning at every start
 * and then as keys are issued and revoked. Every instance reads every key, so it is a plain assignment of all
 * partitions with no consumer group: nothing to commit, nothing to share. The service is not ready
 * ({@link #caughtUp()}) until it has read what the topic held when it started.
 */
@Singleton
public class ApiKeyFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyFeed.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final KafkaSettings settings;
    private final TopicProvisioner topics;
    private final ApiKeyRegistry registry;
    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    ApiKeyFeed(KafkaSettings settings, TopicProvisioner topics, ApiKeyRegistry registry) {
        this.settings = settings;
        this.topics = topics;
        this.registry = registry;
    }

    @EventListener
    synchronized void onStartup(StartupEvent event) {
        if (thread == null) {
            thread = new Thread(this::run, "api-key-feed");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Whether every key published before this instance started has been read. */
    public boolean caughtUp() {
        return caughtUp;
    }

    private void run() {
        while (running) {
            try {
                if (!topics.ensureTopics()) {
                    sleep(RETRY);
                    continue;
                }
                follow();
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("reading {} failed ({}); starting over in {} s", Topics.API_KEYS, e.toString(), RETRY.toSeconds());
                sleep(RETRY);
            }
        }
    }

    private void follow() {
        Map<String, Object> config = settings.clientConfig();
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer = c;
            if (!running) {
                return;
            }
            List<TopicPartition> partitions = c.partitionsFor(Topics.API_KEYS, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> startEnd = c.endOffsets(partitions, Duration.ofSeconds(10));
            while (running) {
                for (ConsumerRecord<String, byte[]> record : c.poll(POLL)) {
                    apply(record);
                }
                if (!caughtUp && startEnd.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                    caughtUp = true;
                    LOG.info("API keys read from {}: {} keys", Topics.API_KEYS, registry.all().size());
                }
            }
        } finally {
            consumer = null;
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return; // a tombstone: compaction's deletion marker, never written by the issuer
        }
        try {
            registry.apply(EventDecoder.decode(record).payload(ApiKeyRevised.class));
        } catch (UndecodableEvent e) {
            // Only study-service writes this topic; anything else on it cannot be a key, and must not stop the feed.
            LOG.error("ignoring {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
        }
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @PreDestroy
    @Override
    public synchronized void close() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
