package org.livingevidence.support.outbox;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Updates;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventSerializer;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.livingevidence.support.events.CloudEventPublishing;
import org.livingevidence.support.events.KafkaSettings;
import org.livingevidence.support.events.TopicProvisioner;
import org.livingevidence.support.work.PollingWorker;

/**
 * Publishes pending outbox events to Kafka and then removes them from their documents.
 *
 * <p>Events of one document are sent in their order, through an idempotent producer with {@code acks=all}, and are
 * removed only after the broker acknowledged all of them. A crash between the acknowledgement and the removal
 * publishes them again on restart: delivery is at least once, and every consumer is idempotent. While Kafka is
 * down, events wait in MongoDB and the relay retries with a growing pause ({@link PollingWorker}).
 */
@Singleton
public class OutboxRelay implements AutoCloseable {

    private static final int BATCH = 100;

    private final Outbox outbox;
    private final TopicProvisioner topics;
    private final KafkaProducer<String, CloudEvent> producer;
    private final PollingWorker worker;

    public OutboxRelay(Outbox outbox, TopicProvisioner topics, KafkaSettings settings,
                       @Value("${evidence.outbox.poll-interval:1s}") Duration pollInterval) {
        this.outbox = outbox;
        this.topics = topics;
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.getBootstrapServers());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new CloudEventSerializer());
        this.worker = new PollingWorker("outbox-relay", pollInterval, () -> publishPending() > 0);
        outbox.onWritten(worker::wake);
    }

    /** Starts relaying; services call it once their collections are registered. */
    public void start() {
        worker.start();
    }

    /** Publishes one batch of pending documents; returns how many events went out. */
    int publishPending() throws Exception {
        if (!topics.ensureTopics()) {
            throw new IllegalStateException("the public topics cannot be created yet");
        }
        int published = 0;
        for (MongoCollection<Document> collection : outbox.collections()) {
            List<Document> pending = collection.find(Filters.exists(Outbox.FIELD + ".0"))
                    .projection(Projections.include(Outbox.FIELD)).limit(BATCH).into(new ArrayList<>());
            for (Document document : pending) {
                published += publishDocument(collection, document);
            }
        }
        return published;
    }

    private int publishDocument(MongoCollection<Document> collection, Document document) throws Exception {
        List<OutboxEvent> events = document.getList(Outbox.FIELD, Document.class).stream().map(OutboxEvent::fromBson).toList();
        List<Future<?>> acks = new ArrayList<>(events.size());
        for (OutboxEvent event : events) {
            acks.add(producer.send(new ProducerRecord<>(event.topic(), event.key(), CloudEventPublishing.toCloudEvent(event))));
        }
        for (Future<?> ack : acks) {
            ack.get();
        }
        List<String> ids = events.stream().map(OutboxEvent::eventId).toList();
        collection.updateOne(Filters.eq("_id", document.get("_id")),
                Updates.pullByFilter(new Document(Outbox.FIELD, new Document("eventId", new Document("$in", ids)))));
        return events.size();
    }

    @PreDestroy
    @Override
    public void close() {
        worker.close();
        producer.close(Duration.ofSeconds(5));
    }
}
