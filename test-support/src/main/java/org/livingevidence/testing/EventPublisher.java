package org.livingevidence.testing;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventSerializer;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.livingevidence.contracts.EventSchemas;
import org.livingevidence.contracts.EventType;
import org.livingevidence.support.events.CloudEventPublishing;
import org.livingevidence.support.outbox.Outbox;
import org.livingevidence.support.outbox.OutboxEvent;

/** Publishes contract events exactly as the services' outbox relay does (CloudEvents, binary mode), to drive a service in tests. */
public final class EventPublisher implements AutoCloseable {

    private final KafkaProducer<String, CloudEvent> producer;

    public EventPublisher(String bootstrapServers) {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new CloudEventSerializer());
    }

    public void publish(Record payload, String questionId) {
        publish(payload, questionId, UUID.randomUUID().toString());
    }

    /** Publishes with a given CloudEvents id, as a redelivery of the same event would. */
    public void publish(Record payload, String questionId, String eventId) {
        publish(payload, questionId, eventId, null);
    }

    /** Publishes as the outbox relay publishes from {@code lane} ({@code ce_lane}). */
    public void publish(Record payload, String questionId, Outbox.Lane lane) {
        publish(payload, questionId, UUID.randomUUID().toString(), lane);
    }

    private void publish(Record payload, String questionId, String eventId, Outbox.Lane lane) {
        EventType type = EventType.of(payload.getClass());
        OutboxEvent event = new OutboxEvent(eventId, type.ceType(), "/test", type.topic(), questionId, Instant.now(),
                EventSchemas.toValidatedJson(payload));
        try {
            producer.send(new ProducerRecord<>(type.topic(), questionId, lane == null ? CloudEventPublishing.toCloudEvent(event)
                    : CloudEventPublishing.toCloudEvent(event, lane))).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not publish " + type.ceType(), e);
        }
    }

    /** Publishes whatever bytes a careless or hostile producer might (no CloudEvents headers unless given). */
    public static void publishRaw(String bootstrapServers, String topic, String key, byte[] value, java.util.Map<String, String> headers) {
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
            headers.forEach((name, v) -> record.headers().add(name, v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            raw.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + topic, e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
