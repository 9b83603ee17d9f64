package org.livingevidence.console.live;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.naming.conventions.StringConvention;
import io.micronaut.core.value.PropertyResolver;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.livingevidence.contracts.EventJson;
import org.livingevidence.contracts.Topics;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Follows {@code evidence.pooled-estimates.v1} from its end, without a consumer group (every console instance sees
 * every estimate, and nothing is committed), and tells the pages watching a question. Missed notices cost nothing:
 * a page that reconnects reads the current estimate anyway.
 */
@Context
public class EstimateNotices implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EstimateNotices.class);
    private static final Duration TOPIC_RETRY = Duration.ofSeconds(5);

    /** One stream for all questions: each page filters its own; there are few pages and notices are small. */
    private final Sinks.Many<EstimateNotice> notices = Sinks.many().multicast().directBestEffort();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean following;

    EstimateNotices(@Value("${kafka.bootstrap.servers}") String bootstrapServers, PropertyResolver configuration) {
        Properties properties = new Properties();
        configuration.getProperties("kafka.client", StringConvention.RAW).forEach((key, value) -> {
            if (!key.contains("-")) {
                properties.put(key, String.valueOf(value));
            }
        });
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "console-live-estimates");
        this.consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::follow, "console-live-estimates");
        thread.setDaemon(true);
        thread.start();
    }

    /** Notices for one question from now on, until the subscriber cancels. */
    public Flux<EstimateNotice> watch(String questionId) {
        return notices.asFlux().filter(notice -> notice.questionId().equals(questionId));
    }

    /** Whether the topic's partitions are assigned and read from (for health). */
    public boolean following() {
        return following;
    }

    /** Hands a notice to the question's watchers, if there are any. */
    void announce(EstimateNotice notice) {
        // Only the consumer thread emits, so emissions never overlap (a Sinks.Many requires that).
        notices.tryEmitNext(notice);
    }

    private void follow() {
        try {
            assign();
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    read(record).ifPresent(this::announce);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } catch (InterruptedException | org.apache.kafka.common.errors.InterruptException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("following {} stopped: {}", Topics.POOLED_ESTIMATES, e.toString(), e);
        } finally {
            following = false;
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void assign() throws InterruptedException {
        while (running.get()) {
            try {
                List<TopicPartition> partitions = consumer.partitionsFor(Topics.POOLED_ESTIMATES, Duration.ofSeconds(10)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                if (!partitions.isEmpty()) {
                    consumer.assign(partitions);
                    consumer.seekToEnd(partitions);
                    partitions.forEach(consumer::position);
                    following = true;
                    LOG.info("following {} ({} partitions) from its end", Topics.POOLED_ESTIMATES, partitions.size());
                    return;
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.warn("{} not readable yet ({}); retrying", Topics.POOLED_ESTIMATES, e.getMessage());
            }
            Thread.sleep(TOPIC_RETRY.toMillis());
        }
    }

    static java.util.Optional<EstimateNotice> read(ConsumerRecord<String, byte[]> record) {
        try {
            PooledEstimateComputed estimate = EventJson.mapper().readValue(record.value(), PooledEstimateComputed.class);
            if (estimate.questionId() == null) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(new EstimateNotice(estimate.questionId(), estimate.estimateVersion(), estimate.computedAt(), estimate.k()));
        } catch (java.io.IOException | RuntimeException e) {
            // Not ours to judge: analysis-service's consumers dead-letter what they cannot read; a page just misses it.
            LOG.debug("skipping an unreadable estimate at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.toString());
            return java.util.Optional.empty();
        }
    }

    @Override
    @PreDestroy
    public void close() {
        if (running.compareAndSet(true, false)) {
            consumer.wakeup();
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException | org.apache.kafka.common.errors.InterruptException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
