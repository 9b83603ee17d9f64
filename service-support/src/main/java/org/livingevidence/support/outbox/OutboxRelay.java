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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.livingevidence.support.events.CloudEventPublishing;
import org.livingevidence.support.events.KafkaSettings;
import org.livingevidence.support.events.TopicProvisioner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes pending outbox events to Kafka and then removes them from their documents.
 *
 * <p>Events of one document are sent in their order, through an idempotent producer with {@code acks=all}, and are
 * removed only after the broker acknowledged all of them. A crash between the acknowledgement and the removal
 * publishes them again on restart: delivery is at least once, and every consumer is idempotent. While Kafka is
 * down, events wait in MongoDB and the relay retries with a growing pause.
 */
@Singleton
public class OutboxRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int BATCH = 100;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final Outbox outbox;
    private final TopicProvisioner topics;
    private final KafkaProducer<String, CloudEvent> producer;
    private final Duration pollInterval;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;

    public OutboxRelay(Outbox outbox, TopicProvisioner topics, KafkaSettings settings,
                       @Value("${evidence.outbox.poll-interval:1s}") Duration pollInterval) {
        this.outbox = outbox;
        this.topics = topics;
        this.pollInterval = pollInterval;
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.getBootstrapServers());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new CloudEventSerializer());
        outbox.onWritten(wake::release);
    }

    /** Starts the relay thread; services call it once their collections are registered. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        Duration backoff = Duration.ofMillis(200);
        while (running) {
            try {
                if (!topics.ensureTopics()) {
                    sleep(backoff);
                    backoff = grow(backoff);
                    continue;
                }
                int published = publishPending();
                backoff = Duration.ofMillis(200);
                if (published == 0) {
                    wake.drainPermits();
                    wake.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.warn("outbox relay could not publish ({}); retrying in {} ms", e.toString(), backoff.toMillis());
                sleep(backoff);
                backoff = grow(backoff);
            }
        }
    }

    /** Publishes one batch of pending documents; returns how many events went out. */
    int publishPending() throws Exception {
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

    private static Duration grow(Duration backoff) {
        Duration doubled = backoff.multipliedBy(2);
        return doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
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
    public void close() {
        running = false;
        wake.release();
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close(Duration.ofSeconds(5));
    }
}
