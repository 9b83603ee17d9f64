package org.livingevidence.support.events;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.livingevidence.contracts.ContractViolation;
import org.livingevidence.contracts.EventSchemas;
import org.livingevidence.contracts.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one consumer loop: polls the given topics as one consumer group member, validates each CloudEvent against
 * its contract, hands it to the handler, and commits an offset only after its event was handled.
 *
 * <p>An event whose type is unknown or whose payload breaks its schema can never succeed: it is logged with its
 * coordinates and skipped, so it cannot block its partition. A handler failure (MongoDB unreachable, say) is
 * retried: the partition is rewound to the failed event and polled again after a pause.
 */
public final class EventConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventConsumer.class);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final KafkaConsumer<String, CloudEvent> consumer;
    private final Collection<String> topics;
    private final EventHandler handler;
    private final TopicProvisioner topicProvisioner;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    public EventConsumer(KafkaSettings settings, TopicProvisioner topicProvisioner, String groupId,
                         Collection<String> topics, EventHandler handler) {
        this.topicProvisioner = topicProvisioner;
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.getBootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new CloudEventDeserializer());
        this.topics = List.copyOf(topics);
        this.handler = handler;
        this.thread = new Thread(this::run, "event-consumer-" + groupId);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        try {
            // Subscribing to a topic that does not exist yet would leave this member idle until a metadata refresh.
            while (running.get() && !topicProvisioner.ensureTopics()) {
                pause();
            }
            consumer.subscribe(topics);
            while (running.get()) {
                ConsumerRecords<String, CloudEvent> records = consumer.poll(Duration.ofMillis(500));
                for (TopicPartition partition : records.partitions()) {
                    if (!handlePartition(partition, records.records(partition))) {
                        pause();
                    }
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("event consumer stopped unexpectedly", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Handles a partition's records in order; false when one failed and the partition was rewound to it. */
    private boolean handlePartition(TopicPartition partition, List<ConsumerRecord<String, CloudEvent>> records) {
        for (ConsumerRecord<String, CloudEvent> record : records) {
            try {
                parse(record).ifPresent(handler::handle);
            } catch (RuntimeException e) {
                LOG.warn("handling {}-{}@{} failed; will retry: {}", record.topic(), record.partition(), record.offset(), e.toString());
                LOG.debug("handler failure", e);
                consumer.seek(partition, record.offset());
                return false;
            }
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)));
        }
        return true;
    }

    private Optional<IncomingEvent> parse(ConsumerRecord<String, CloudEvent> record) {
        CloudEvent event = record.value();
        if (event == null) {
            LOG.error("skipping {}-{}@{}: not a CloudEvent", record.topic(), record.partition(), record.offset());
            return Optional.empty();
        }
        Optional<EventType> type = EventType.ofCeType(event.getType());
        if (type.isEmpty()) {
            LOG.error("skipping {}-{}@{}: unknown event type {}", record.topic(), record.partition(), record.offset(), event.getType());
            return Optional.empty();
        }
        try {
            byte[] data = event.getData() == null ? new byte[0] : event.getData().toBytes();
            Record payload = EventSchemas.parse(type.get(), data, type.get().payloadType());
            return Optional.of(new IncomingEvent(event.getId(), type.get(), event.getSubject(), event.getTime(), payload,
                    record.topic(), record.partition(), record.offset()));
        } catch (ContractViolation e) {
            LOG.error("skipping {}-{}@{} (event {}): {}", record.topic(), record.partition(), record.offset(), event.getId(), e.getMessage());
            return Optional.empty();
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
