package org.livingevidence.support.events;

import java.time.OffsetDateTime;
import org.livingevidence.contracts.EventType;

/**
 * A consumed event: its envelope attributes and its parsed, schema-valid payload.
 */
public record IncomingEvent(String id, EventType type, String subject, OffsetDateTime time, Record payload,
                            String topic, int partition, long offset) {

    public <T extends Record> T payload(Class<T> type) {
        return type.cast(payload);
    }
}
