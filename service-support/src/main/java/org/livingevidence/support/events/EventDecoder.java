package org.livingevidence.support.events;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.cloudevents.rw.CloudEventRWException;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.livingevidence.contracts.ContractViolation;
import org.livingevidence.contracts.EventSchemas;
import org.livingevidence.contracts.EventType;

/**
 * Turns a raw Kafka record (bytes and headers, as consumed: nothing can fail before this point) into a validated
 * {@link IncomingEvent}, or says why it never can be one.
 */
public final class EventDecoder {

    private EventDecoder() {
    }

    public static IncomingEvent decode(ConsumerRecord<String, byte[]> record) throws UndecodableEvent {
        CloudEvent event;
        try {
            event = KafkaMessageFactory.createReader(record.headers(), record.value()).toEvent();
        } catch (CloudEventRWException | IllegalArgumentException | IllegalStateException e) {
            throw new UndecodableEvent(UndecodableEvent.Reason.NOT_A_CLOUD_EVENT,
                    "not a CloudEvent in Kafka binary mode: " + e.getMessage());
        }
        Optional<EventType> type = EventType.ofCeType(event.getType());
        if (type.isEmpty()) {
            throw new UndecodableEvent(UndecodableEvent.Reason.UNKNOWN_TYPE, "unknown event type " + event.getType());
        }
        if (!type.get().topic().equals(record.topic())) {
            throw new UndecodableEvent(UndecodableEvent.Reason.WRONG_TOPIC,
                    event.getType() + " belongs on " + type.get().topic() + ", not on " + record.topic());
        }
        try {
            byte[] data = event.getData() == null ? new byte[0] : event.getData().toBytes();
            Record payload = EventSchemas.parse(type.get(), data, type.get().payloadType());
            return new IncomingEvent(event.getId(), type.get(), event.getSubject(), event.getTime(), payload,
                    record.topic(), record.partition(), record.offset(), CloudEventPublishing.bulk(record.headers()));
        } catch (ContractViolation e) {
            throw new UndecodableEvent(UndecodableEvent.Reason.SCHEMA_VIOLATION, e.getMessage());
        }
    }
}
